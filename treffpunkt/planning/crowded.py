"""Greedy plans that fill the large stations first, for roomy stations meetings.

Where stations have free seats, the best plans crowd the large stations and keep the small
ones near their floor: more people share a group, and nobody has to visit a small station
for want of room. The local search cannot find that shape from an even start: under the
no-revisit rule a person can join a large station in one round only by leaving it in another,
so group sizes hardly move (129 people at 9 stations of 10-26 for 5 rounds: 4,923 new pairs
from greedy and search, 5,618 from a start with the 4 smallest stations held to 3 seats).

A crowded start is the greedy plan of the request with the ``s`` smallest stations held to
the fewest seats that pass the feasibility check (``check_feasible``: necessary conditions, so
where greedy seating gets stuck there, one seat more is tried); it keeps every hard rule of
the request itself, and one that leaves a station below its staffing floor is dropped (the
floor comes before the objective, and the search never fills a short station). Which ``s``
is best depends on the request (over 10 realistic requests: a fifth to half of the
stations), so four are tried and the plans compete with the others by their score; the best
two greedy starts get a local search each (``polish.polish_twice``).

One more start lets the large stations rest in turn (``resting_plans``): under the no-revisit
rule a station can take each person once, so a station with more seats over the rounds than
people to visit it has seats it cannot fill; the better plans leave them empty in one or two
rounds (a rest, down to two people) and keep the station full in the others, rather than a
few seats short in every round: 117 people at 9 stations of 6-28 for 6 rounds, the best plan
known has the station of 28 at 28, 2, 28, 2, 28 and 18 people (4,683 new pairs; 4,541 from
the other starts, 4,632 from this one).
"""

from __future__ import annotations

import dataclasses

import numpy as np

from .errors import OutOfTime, PlanningError
from .feasibility import FEW_ATTEMPTS, check_feasible
from .greedy import greedy_plan
from .request import Problem
from .staffing import missing_seats, staff

NAME = "greedy, large stations first"
SHARES = (0.2, 0.3, 0.4, 0.5)  # of the stations, the smallest, held to their fewest seats
REST_SEATS = 2  # a resting station keeps its hosts and one more, at least two people
SLACK = 2  # seats per round left free beyond the people present, so greedy seating fits
# Four more greedy plans cost N^2 work each: 2,000 people at 40 stations for 5 rounds 1.27 ->
# 1.77 s, 5,000 at 50 stations 5.7 -> 7.9 s; above this many people the constructions and
# the searches carry the plan without them.
MAX_PEOPLE = 1000


def applies(problem: Problem) -> bool:
    """Stations mode under the no-revisit rule with free seats (else group sizes are fixed
    or the local search moves freely), at 3 stations or more, up to ``MAX_PEOPLE``."""
    return (
        problem.no_revisit
        and problem.has_free_seats
        and problem.n_stations >= 3
        and problem.n_people <= MAX_PEOPLE
    )


def held_counts(problem: Problem) -> list[int]:
    """How many of the smallest stations each crowded start holds: a fifth, 30 %, 40 % and
    half of the stations (fewer where these round to the same number); none where crowded
    starts do not apply."""
    if not applies(problem):
        return []
    return sorted({max(1, int(share * problem.n_stations + 0.5)) for share in SHARES})


def crowded_plans(problem: Problem, deadline: float, counts: list[int]) -> list[np.ndarray]:
    """Greedy plans with the ``counts`` smallest stations held to their fewest seats, staffed
    for ``problem``; none where greedy seating gets stuck, a station stays below its floor or
    the time is up."""
    order = np.argsort(problem.capacity, kind="stable")
    plans = []
    for count in counts:
        plans += _staffed(problem, _seated(problem, order[:count], deadline))
    return plans


def _seated(problem: Problem, small: np.ndarray, deadline: float) -> np.ndarray | None:
    """The unstaffed greedy plan with ``small`` held to their fewest seats, one seat more
    where greedy gets stuck there; None where neither seats everybody or nothing is held."""
    fewest = fewest_seats(problem, small)
    for seats in (fewest, fewest + 1):
        tight = _capped(problem, small, seats)
        if (tight.capacity == problem.capacity).all():
            return None
        seated = _greedy_seats(tight, deadline)
        if seated is not None:
            return seated
    return None


def _greedy_seats(problem: Problem, deadline: float,
                  capacity: np.ndarray | None = None) -> np.ndarray | None:  # fmt: skip
    """The unstaffed greedy plan (``FEW_ATTEMPTS`` seeds; ``capacity`` per round and
    station where given); None where greedy seating gets stuck or the time is up."""
    try:
        return greedy_plan(problem, problem.seed, FEW_ATTEMPTS, deadline, staffed=False,
                           capacity=capacity)  # fmt: skip
    except (PlanningError, OutOfTime):
        return None


def _staffed(problem: Problem, seated: np.ndarray | None) -> list[np.ndarray]:
    """``seated`` lifted to the staffing floor of ``problem`` by the first moves (scored:
    0.05-0.1 s a plan, and the search reshapes starts anyway); none where there is no plan
    or a station stays below its floor."""
    if seated is None:
        return []
    plan = staff(problem, seated, scored=False)
    return [] if missing_seats(problem, plan) else [plan]


def fewest_seats(problem: Problem, small: np.ndarray) -> int:
    """The fewest seats (the same for all of ``small``) at which the request with those
    stations held there passes ``check_feasible``."""
    low, high = 1, int(problem.capacity[small].max())  # high: the request itself is feasible
    while low < high:
        middle = (low + high) // 2
        if _feasible(_capped(problem, small, middle)):
            high = middle
        else:
            low = middle + 1
    return low


def _capped(problem: Problem, small: np.ndarray, seats: int) -> Problem:
    """``problem`` with the stations ``small`` held to at most ``seats``."""
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


def resting_plans(problem: Problem, deadline: float) -> list[np.ndarray]:
    """The greedy plan with the large stations resting in turn (``rest_capacities``), staffed
    for ``problem``; none where crowded starts do not apply, rounds are held, nothing rests,
    greedy seating gets stuck, a station stays below its floor or the time is up."""
    if not applies(problem) or problem.n_frozen:
        return []
    capacity = rest_capacities(problem)
    if (capacity == problem.capacity).all():
        return []
    return _staffed(problem, _greedy_seats(problem, deadline, capacity))


def rest_capacities(problem: Problem) -> np.ndarray:
    """(R, K) seats per round and station: each station's seats that nobody can fill (more
    over the rounds than its hosts' and each mover's one visit) taken away, a whole rest
    (down to ``REST_SEATS``) in the round with the most seats to spare where that round can
    spare them, the largest surplus first; then each round's seats beyond its people (and
    ``SLACK``) taken from the smallest stations."""
    capacity = problem.capacity.astype(np.int64)
    rounds = problem.n_rounds
    hosts = np.bincount(problem.fixed[problem.fixed >= 0], minlength=problem.n_stations)
    movers = int((problem.fixed < 0).sum())
    low = np.maximum(REST_SEATS, hosts + 1)
    out = np.tile(capacity, (rounds, 1))
    spare = out.sum(axis=1) - problem.present.sum(axis=1) - SLACK
    surplus = rounds * capacity - (movers + hosts * rounds)
    for k in np.argsort(-surplus, kind="stable"):
        while surplus[k] > 0:
            open_rounds = np.flatnonzero((out[:, k] > low[k]) & (spare > 0))
            if open_rounds.size == 0:
                break
            r = open_rounds[np.argmax(spare[open_rounds])]
            whole = out[r, k] - low[k]
            cut = whole if spare[r] >= whole else min(surplus[k], spare[r])
            out[r, k] -= cut
            surplus[k] -= cut
            spare[r] -= cut
    for r in range(rounds):
        for k in np.argsort(capacity, kind="stable"):
            cut = min(spare[r], out[r, k] - low[k])
            if cut > 0:
                out[r, k] -= cut
                spare[r] -= cut
    return out
