"""Meeting counts: both ways of counting (group by group, one matrix product) agree with a
plain count of who shares a group, absences included; moves scored from them agree with the
objective counted from scratch."""

from itertools import combinations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from treffpunkt.planning.metrics import (
    _meet_counts_by_group,
    _meet_counts_product,
    meet_counts,
    plan_score,
    scores_of_moves,
)
from treffpunkt.planning.request import parse_request

from .strategies import meetings

plans = st.tuples(st.integers(1, 6), st.integers(1, 40), st.integers(1, 8)).flatmap(
    lambda shape: arrays(np.int64, shape[:2], elements=st.integers(-1, shape[2] - 1))
)


def plain_count(assign: np.ndarray) -> np.ndarray:
    counts = np.zeros((assign.shape[1],) * 2, dtype=np.int64)
    for row in assign:
        for i, j in combinations(range(row.size), 2):
            if row[i] >= 0 and row[i] == row[j]:
                counts[i, j] += 1
                counts[j, i] += 1
    return counts


@given(plans)
def test_both_ways_of_counting_meetings_agree_with_a_plain_count(assign):
    expected = plain_count(assign)
    stations = int(assign.max(initial=-1)) + 1
    assert (_meet_counts_by_group(assign) == expected).all()
    assert (_meet_counts_product(assign, stations) == expected).all()
    assert (meet_counts(assign) == expected).all()


def test_a_large_meeting_at_many_tables_is_counted_group_by_group_and_right():
    # 2,000 people at 250 tables for 2 rounds: 500 groups, past PRODUCT_GROUPS (a product
    # would be 4 times slower), each person with the same 7 others twice.
    assign = np.tile(np.arange(2000) % 250, (2, 1))
    counts = meet_counts(assign)
    assert counts.dtype == np.int16
    assert counts[0, 250] == 2 and counts[0, 1] == 0
    assert int(counts.sum()) == 2000 * 7 * 2


@given(meetings(max_stations=5, max_capacity=6, max_people=12, max_hosts=1,
                min_sizes=st.integers(1, 3)), st.data())  # fmt: skip
def test_a_move_of_one_person_is_scored_as_the_whole_plan_would_be(request, data):
    # The staffing scores its moves from the plan's meeting counts and the moved person's
    # row: the objective must come out exactly as a count from scratch.
    problem = parse_request(request)
    shape = (problem.n_rounds, problem.n_people)
    stations = st.integers(-1, problem.n_stations - 1)
    assign = data.draw(arrays(np.int64, shape, elements=stations))
    moved = []
    for _ in range(3):
        i = data.draw(st.integers(0, problem.n_people - 1))
        plan = assign.copy()
        plan[:, i] = data.draw(arrays(np.int64, problem.n_rounds, elements=stations))
        moved.append((i, plan))
    assert scores_of_moves(problem, assign, moved) == [plan_score(problem, p) for _, p in moved]
