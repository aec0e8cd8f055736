"""Roomy stations of uneven size: greedy starts that fill the large stations first, since the
local search cannot reshape the groups under the no-revisit rule."""

import math

import numpy as np
import pytest

from treffpunkt.planning import PlanningError, crowded, plan
from treffpunkt.planning.crowded import (
    applies,
    crowded_plans,
    fewest_seats,
    held_counts,
    rest_capacities,
    resting_plans,
)
from treffpunkt.planning.feasibility import check_feasible, staff_floor
from treffpunkt.planning.frozen import rule_violations
from treffpunkt.planning.greedy import greedy_plan
from treffpunkt.planning.metrics import group_sizes, objective_terms
from treffpunkt.planning.request import parse_request

from .checks import rule_breaks

CAPACITIES = [22, 18, 23, 25, 14, 16, 22, 26, 10]  # 176 seats


def roomy(people: int = 129, mode: str = "stations", capacities=CAPACITIES) -> dict:
    return {
        "rounds": 5, "mode": mode, "seed": 1,
        "stations": [{"id": f"s{k}", "capacity": c} for k, c in enumerate(capacities)],
        "participants": [{"id": f"p{i:03d}"} for i in range(people)],
    }  # fmt: skip


def test_roomy_stations_of_uneven_size_start_from_crowded_plans():
    # 120 people in 176 seats: the best crowded start has 3,952 new pairs, the greedy plan
    # 3,690. The plan: 5,047 new pairs from the cluster design on the largest stations
    # (largest.py), whose search weighs its start against the runner-up's, here the resting
    # start (5,048 from the best crowded start's search where that was the runner-up).
    request = roomy(people=120)
    problem = parse_request(request)
    starts = crowded_plans(problem, math.inf, held_counts(problem))
    assert max(objective_terms(problem, start)["new_pairs"] for start in starts) == 3952
    assert objective_terms(problem, greedy_plan(problem, 1))["new_pairs"] == 3690
    result = plan(request)
    assert result["algorithm"] == "cluster design on the largest stations + local search"
    assert rule_breaks(request, result["rounds"]) == []
    assert result["metrics"]["new_pairs"] == 5047


def test_the_smallest_stations_are_held_to_the_fewest_seats_that_pass_the_check():
    problem = parse_request(roomy())
    smallest = np.argsort(problem.capacity, kind="stable")[:4]  # 10, 14, 16 and 18 seats
    seats = fewest_seats(problem, smallest)
    assert 1 <= seats < 10
    held = problem.capacity.copy()
    held[smallest] = np.minimum(held[smallest], seats)
    check_feasible(parse_request(roomy(capacities=held.tolist())))
    held[smallest] = np.minimum(held[smallest], seats - 1)
    with pytest.raises(PlanningError):
        check_feasible(parse_request(roomy(capacities=held.tolist())))


def test_crowded_starts_keep_every_hard_rule_and_every_staffing_floor_of_the_request():
    problem = parse_request(roomy())
    assert held_counts(problem) == [2, 3, 4, 5]  # a fifth to half of 9 stations
    plans = crowded_plans(problem, math.inf, held_counts(problem))
    plans += resting_plans(problem, math.inf)
    assert len(plans) == 5
    for start in plans:
        assert rule_violations(problem, start) == []
        assert (group_sizes(problem, start) >= staff_floor(problem)).all()


@pytest.mark.parametrize(
    "request_",
    [
        roomy(mode="tables"),
        roomy(people=176),
        {**roomy(), "rounds": 10},
        roomy(people=1001, capacities=[200] * 6),
    ],
    ids=["tables", "every seat taken", "revisits allowed", "over 1,000 people"],
)
def test_no_crowded_start_where_group_sizes_are_free_or_fixed(request_):
    problem = parse_request(request_)
    assert not applies(problem)
    assert held_counts(problem) == []
    assert resting_plans(problem, math.inf) == []


def resting(people: int, capacities: list[int], rounds: int) -> dict:
    return {**roomy(people, capacities=capacities), "rounds": rounds}


def test_a_station_with_seats_nobody_can_fill_rests_in_a_round_that_can_spare_them():
    # 20 people at 3 stations of 10 and one of 4 for 3 rounds: each person visits a station
    # once, so a station of 10 has 10 seats over the rounds that nobody can take. Each round
    # may give up 12 of its 34 seats (2 kept spare): the first station rests (2 people) in
    # rounds 0 and 1, the second in round 2 and gives up 2 seats in round 0; the third gives
    # up what the rounds have left; the station of 4 keeps its seats.
    problem = parse_request(resting(20, [10, 10, 10, 4], 3))
    assert rest_capacities(problem).tolist() == [[2, 8, 8, 4], [2, 10, 6, 4], [10, 2, 6, 4]]


def test_the_large_stations_rest_in_turn_in_the_plan(monkeypatch):
    # 53 people at 7 stations of 4-15 for 5 rounds: with the start that lets the large
    # stations rest in turn, the stations of 15, 14 and 13 are full in most rounds and down to
    # two people in one or two; without it, 28 new pairs fewer
    request = resting(53, [15, 8, 9, 14, 6, 13, 4], 5)
    problem = parse_request(request)
    (start,) = resting_plans(problem, math.inf)
    assert rule_violations(problem, start) == []
    result = plan(request)
    sizes = [[len(groups.get(f"s{k}", [])) for groups in result["rounds"]] for k in (0, 3, 5)]
    assert sizes == [[2, 2, 15, 15, 15], [14, 14, 2, 2, 14], [13, 13, 13, 12, 2]]
    monkeypatch.setattr(crowded, "resting_plans", lambda problem, deadline: [])
    without = plan(request)
    assert [result["metrics"]["new_pairs"], without["metrics"]["new_pairs"]] == [980, 952]
    assert rule_breaks(request, result["rounds"]) == []


def test_no_resting_start_where_nothing_can_rest_or_rounds_are_held():
    full = parse_request(resting(40, [10, 10, 10, 10], 3))  # no seat to spare
    assert rest_capacities(full).tolist() == [[10, 10, 10, 10]] * 3
    assert resting_plans(full, math.inf) == []
    frozen = [{"s0": [f"p{i:03d}" for i in range(10)], "s1": [f"p{i:03d}" for i in range(10, 20)]}]
    held = parse_request({**resting(20, [10, 10, 10, 4], 3), "frozen_rounds": frozen})
    assert resting_plans(held, math.inf) == []
