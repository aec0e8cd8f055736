"""Greedy plans that fill the large stations first, for roomy stations meetings.

Where stations have free seats, the best plans crowd the large stations and keep the small
ones near their floor: more people share a group, and nobody has to visit a small station
for want of room. The local search cannot find that shape from an even start: under the
no-revisit rule a person can join a large station in one round only by leaving it in another,
so group sizes hardly move (129 people at 9 stations of 10-26 for 5 rounds: 4,923 new pairs
from greedy and search, 5,618 from a start with the 4 smallest stations held to 3 seats).

A crowded start is the greedy plan of the request with the ``s`` smallest stations held to
the fewest seats that still seat everybody (``check_feasible``; the staffing floor stays);
it keeps every hard rule of the request itself. Which ``s`` is best depends on the request
(over 10 realistic requests: a fifth to half of the stations), so four are tried and the
plans compete with the others by their score; the best two greedy starts get a local search
each (``engine._polish_twice``).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .errors import OutOfTime, PlanningError
from .feasibility import FEW_ATTEMPTS, check_feasible
from .greedy import greedy_plan
from .request import Problem
from .staffing import staff

NAME = "greedy, large stations first"
SHARES = (0.2, 0.3, 0.4, 0.5)  # of the stations, the smallest, held to their fewest seats


def applies(problem: Problem) -> bool:
    """Stations mode under the no-revisit rule with free seats (else sizes are fixed)."""
    return problem.no_revisit and problem.has_free_seats and problem.n_stations >= 3


def held_counts(problem: Problem) -> list[int]:
    """How many of the smallest stations each crowded start holds: a fifth, 30 %, 40 % and
    half of the stations (fewer where these round to the same number)."""
    return sorted({max(1, int(share * problem.n_stations + 0.5)) for share in SHARES})


def crowded_plans(problem: Problem, deadline: float, counts: list[int]) -> list[np.ndarray]:
    """Greedy plans with the ``counts`` smallest stations held to their fewest seats, staffed
    for ``problem``; none where greedy seating gets stuck or the time is up."""
    order = np.argsort(problem.capacity, kind="stable")
    plans = []
    for count in counts:
        tight = held_small(problem, order[:count])
        if tight is None:
            continue
        try:
            seated = greedy_plan(tight, problem.seed, FEW_ATTEMPTS, deadline, staffed=False)
        except (PlanningError, OutOfTime):
            continue
        plans.append(staff(problem, seated, scored=False))  # scored: 0.05-0.1 s a plan
    return plans


def held_small(problem: Problem, small: np.ndarray) -> Problem | None:
    """``problem`` with the stations ``small`` held to the fewest seats that still seat
    everybody (the same for all of them), or None where that is their capacity already."""
    low, high = 1, int(problem.capacity[small].max())  # high: the request itself is feasible
    while low < high:
        middle = (low + high) // 2
        if _feasible(_capped(problem, small, middle)):
            high = middle
        else:
            low = middle + 1
    tight = _capped(problem, small, low)
    return None if (tight.capacity == problem.capacity).all() else tight


def _capped(problem: Problem, small: np.ndarray, seats: int) -> Problem:
    capacity = problem.capacity.copy()
    capacity[small] = np.minimum(capacity[small], seats)
    return dataclasses.replace(
        problem, capacity=capacity, min_size=np.minimum(problem.min_size, capacity)
    )


def _feasible(problem: Problem) -> bool:
    try:
        check_feasible(problem)
    except PlanningError:
        return False
    return True
