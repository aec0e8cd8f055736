"""Roomy stations meetings: a cluster design on the largest stations, the people over their
seats sent to the small ones, as a start the local search keeps the structure of."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from treffpunkt.planning import plan
from treffpunkt.planning.crowded import NAME as CROWDED
from treffpunkt.planning.crowded import crowded_plans, held_counts
from treffpunkt.planning.engine import _runner_up, _start_roomy
from treffpunkt.planning.feasibility import random_plan
from treffpunkt.planning.frozen import rule_violations
from treffpunkt.planning.greedy import greedy_plan
from treffpunkt.planning.largest import NAME, applies, build
from treffpunkt.planning.metrics import group_sizes, objective_terms
from treffpunkt.planning.person_tabu import tabu_improve, tabu_steps
from treffpunkt.planning.polish import _probed
from treffpunkt.planning.request import parse_request
from treffpunkt.planning.staffing import staff

from .checks import rule_breaks
from .starts import as_rounds
from .strategies import participants
from .test_crowded import roomy
from .test_person_tabu import uneven_stations


def test_the_largest_stations_carry_a_cluster_design_in_a_roomy_meeting():
    # 129 people at 9 stations of 10-26 seats (176) for 5 rounds.
    request = roomy()
    problem = parse_request(request)
    start = build(problem, math.inf)
    assert rule_violations(problem, start) == []
    assert objective_terms(problem, start)["new_pairs"] == 5564
    crowded = crowded_plans(problem, math.inf, held_counts(problem))
    assert max(objective_terms(problem, plan)["new_pairs"] for plan in crowded) == 4493
    assert objective_terms(problem, greedy_plan(problem, 1))["new_pairs"] == 4116
    # The five largest stations (26, 25, 23, 22, 22 seats) full in every round but one, the
    # others with 2-3 people.
    sizes = group_sizes(problem, start)
    largest = np.argsort(-problem.capacity, kind="stable")[:5]
    assert sizes[:, largest].sum(axis=1).tolist() == [117, 118, 118, 118, 118]
    assert sizes[1:, largest].tolist() == [problem.capacity[largest].tolist()] * 4

    result = plan(request)
    assert result["algorithm"] == f"{NAME} + local search"
    assert rule_breaks(request, result["rounds"]) == []
    assert result["metrics"]["new_pairs"] == 5633  # seeds 2 and 3 the same; before: 5,416-5,628


@st.composite
def roomy_stations(draw) -> dict:
    """7-9 stations of 4-10 seats for 5 rounds (over 2,000 schedules: no code-count search),
    75-95 % of the seats taken, with hosts, absences, organisations and categories."""
    capacities = draw(st.lists(st.integers(4, 10), min_size=7, max_size=9))
    seats = sum(capacities)
    people = draw(st.integers(int(0.75 * seats), int(0.95 * seats)))
    request = roomy(people=people, capacities=capacities)
    for person in draw(participants(people, 5, len(capacities), organisations=8)):
        request["participants"][int(person["id"][1:])].update(
            person, id=f"p{int(person['id'][1:]):03d}"
        )
    for k in range(draw(st.integers(0, 2))):
        request["participants"][k].pop("absent_rounds", None)
        request["participants"][k]["fixed_station"] = f"s{k}"
    return request


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roomy_stations())
def test_the_start_keeps_every_hard_rule_of_the_request(request):
    problem = parse_request(request)
    assume(applies(problem))  # absences may shrink the schedules to a code-count search
    start = build(problem, math.inf)
    event("built" if start is not None else "none")
    assert start is None or rule_violations(problem, start) == []


def test_no_design_on_the_largest_stations_beside_the_code_count_search():
    # 80 people at 6 stations of 16 for 4 rounds: the code search and its rival run; the
    # design would take the second core from the rival, and where it outranked the code
    # search's plan it cost a second search (0.77 -> 1.05 s for the same 1,951 new pairs).
    problem = parse_request({**roomy(people=80, capacities=[16] * 6), "rounds": 4})
    assert applies(problem)
    child, starts = _start_roomy(problem, math.inf, has_rival=True)
    try:
        names = {name for _, name in starts("greedy")}  # even where the code search lost
    finally:
        if child is not None:
            child.cancel()
    assert names == {CROWDED}


def first_round_held() -> dict:
    request = roomy()
    problem = parse_request(request)
    return {**request, "frozen_rounds": as_rounds(problem, greedy_plan(problem, 1))[:1]}


@pytest.mark.parametrize(
    "request_",
    [
        roomy(mode="tables"),
        roomy(people=176),
        {**roomy(), "rounds": 9},
        first_round_held(),
    ],
    ids=[
        "tables",
        "every seat taken",
        "as many rounds as stations",
        "a round held",
    ],
)
def test_no_design_on_the_largest_stations_where_it_does_not_fit(request_):
    assert not applies(parse_request(request_))


def test_the_second_search_starts_from_the_next_best_candidate_where_the_design_is_best():
    # (score, order, plan, name), best first: the design's high start can end lower than a
    # plain one, so the other search takes whatever comes next, not only a crowded start.
    ranked = [(3.0, 0, "design", NAME), (2.0, -1, "repaired", "seating by repair"),
              (1.0, -2, "crowded", CROWDED)]  # fmt: skip
    assert _runner_up(ranked) == ("repaired", "seating by repair")
    # Where another construction is best, the best crowded start (another shape of groups).
    ranked = [(3.0, 0, "clusters", "cluster design"), (2.0, -1, "greedy", "greedy"),
              (1.0, -2, "crowded", CROWDED)]  # fmt: skip
    assert _runner_up(ranked) == ("crowded", CROWDED)


def test_the_search_goes_on_from_the_start_that_leads_after_half_its_steps():
    # Where the design ranks first, its search is compared with one from the next candidate
    # after half the tabu steps (polish._probed); the leader's search runs on as if
    # never paused. Here a random plan against a greedy one, either way round.
    problem = parse_request(uneven_stations())
    greedy = (staff(problem, greedy_plan(problem, 0)), "greedy")
    weak = (staff(problem, random_plan(problem, 0)), "random")
    alone = tabu_improve(problem, greedy[0], seed=0, steps=tabu_steps(problem), deadline=math.inf)
    for start, fallback in ((weak, greedy), (greedy, weak)):
        found, name = _probed(problem, start, fallback, math.inf, math.inf)
        assert name == "greedy"
        assert (found == alone).all()
