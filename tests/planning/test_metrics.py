"""Meeting counts: both ways of counting (group by group, one matrix product) agree with a
plain count of who shares a group, absences included."""

from itertools import combinations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from treffpunkt.planning.metrics import _meet_counts_by_group, _meet_counts_product, meet_counts

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
