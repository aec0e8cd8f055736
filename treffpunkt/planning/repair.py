"""Seating by repair: revisits allowed first, then swapped away (min-conflicts search).

Round-by-round seating keeps the no-revisit rule at every step and can end in a round where
somebody's unvisited stations are all full; with stations of unequal size, late arrivals and
hosts, 16 of 300 random feasible requests (proven feasible by a CP-SAT model) got stuck with
every one of 64 seeds and were refused. Here every open round is seated within capacity at
once, each person at a station they have not visited where one has room and at the least
visited one else, so that only the no-revisit rule can be broken; then a min-conflicts search
(Minton et al. 1992) takes a person with a revisit and, in one round of the revisit, swaps
them with somebody else of that round or moves them to a free seat, whichever leaves the
fewest revisits (seeded ties; a random allowed change now and then so it cannot cycle). It
ends when no revisit is left, or (None) after ``STEPS_PER_PERSON`` steps per person or when
the people in a clash have not become fewer for a while.
"""

from __future__ import annotations

import numpy as np

from .feasibility import empty_plan, seat_hosts
from .frozen import rule_violations
from .metrics import group_sizes
from .request import Problem
from .staffing import staff

NAME = "seating by repair"  # the method as plans report it
STEPS_PER_PERSON = 100  # 16 stuck requests of 25-71 people: all repaired within 4 per person
# Steps without fewer people in a clash before the request is taken as impossible (an
# infeasible one of 536 people took 5 s for the full budget).
STALL_PER_PERSON, STALL = 5, 200
NOISE = 0.1  # share of steps that take a random change, best or not


def repaired_plan(problem: Problem) -> np.ndarray | None:
    """A plan keeping every hard rule, or None where the search finds none."""
    return completed_plan(problem, seat_hosts(problem, empty_plan(problem)))


def completed_plan(problem: Problem, assign: np.ndarray) -> np.ndarray | None:
    """``assign`` with everybody present seated: the people without a seat in an open round
    are seated within the free seats, then revisits are swapped away (people seated already
    may move too); None where the search finds no plan keeping every hard rule."""
    if not problem.no_revisit:
        return None  # tables: round-by-round seating never gets stuck
    rng = np.random.default_rng(problem.seed)
    assign = assign.copy()
    room = problem.capacity[None, :] - group_sizes(problem, assign)  # kept up to date
    visits = _seat_rounds(problem, assign, room, rng)
    movers = problem.fixed < 0
    fewest, since = np.inf, 0
    for _ in range(STEPS_PER_PERSON * problem.n_people):
        clash = np.flatnonzero(movers & (visits > 1).any(axis=1))
        if clash.size == 0:
            break
        fewest, since = (clash.size, 0) if clash.size < fewest else (fewest, since + 1)
        if since > STALL_PER_PERSON * problem.n_people + STALL:
            return None  # no fewer clashes for long: taken as impossible
        _step(problem, assign, visits, room, int(clash[rng.integers(clash.size)]), rng)
    if rule_violations(problem, assign):
        return None
    return staff(problem, assign)


def _seat_rounds(problem: Problem, assign: np.ndarray, room: np.ndarray,
                 rng: np.random.Generator) -> np.ndarray:  # fmt: skip
    """Seat the movers without a seat in every open round within ``room``, least visited
    stations first; the visits (N, K) of movers over all rounds."""
    visits = np.zeros((problem.n_people, problem.n_stations), dtype=np.int64)
    movers = problem.fixed < 0
    for r in range(problem.n_rounds):
        seated = np.flatnonzero((assign[r] >= 0) & movers)
        np.add.at(visits, (seated, assign[r, seated]), 1)
    for r in range(problem.n_frozen, problem.n_rounds):
        unseated = problem.present[r] & movers & (assign[r] < 0)
        for i in rng.permutation(np.flatnonzero(unseated)):
            open_ = np.flatnonzero(room[r] > 0)
            k = int(open_[np.argmin(visits[i, open_] + rng.random(open_.size) / 2)])
            assign[r, i] = k
            room[r, k] -= 1
            visits[i, k] += 1
    return visits


def _step(problem: Problem, assign: np.ndarray, visits: np.ndarray, room: np.ndarray, i: int,
          rng: np.random.Generator) -> None:  # fmt: skip
    """Take one of i's revisits away by a swap or a move in one round of it, the change that
    leaves the fewest revisits (or, now and then, a random one)."""
    twice = np.flatnonzero(visits[i] > 1)
    k = int(twice[rng.integers(twice.size)])
    rounds = np.flatnonzero(assign[problem.n_frozen :, i] == k) + problem.n_frozen
    if rounds.size == 0:  # both visits held already (refused before planning)
        return
    r = int(rounds[rng.integers(rounds.size)])
    row = assign[r]
    others = np.flatnonzero((row >= 0) & (row != k) & (problem.fixed < 0))
    theirs = row[others]
    # Revisits after the change less before: i leaves k (one fewer) and takes the other's
    # station; the other leaves theirs and takes k.
    swap = ((visits[i, theirs] >= 1).astype(np.int64) - 1 + (visits[others, k] >= 1)
            - (visits[others, theirs] >= 2))  # fmt: skip
    seats = np.flatnonzero(room[r] > 0)
    move = (visits[i, seats] >= 1).astype(np.int64) - 1
    change = np.concatenate([swap, move]).astype(float)
    if change.size == 0:
        return
    if rng.random() >= NOISE:
        change += rng.random(change.size) / 2  # seeded ties among the best
        pick = int(np.argmin(change))
    else:
        pick = int(rng.integers(change.size))
    if pick < others.size:
        j = int(others[pick])
        _seat(assign, visits, r, j, k)
        _seat(assign, visits, r, i, int(theirs[pick]))
    else:
        room[r, k] += 1
        room[r, seats[pick - others.size]] -= 1
        _seat(assign, visits, r, i, int(seats[pick - others.size]))


def _seat(assign: np.ndarray, visits: np.ndarray, r: int, i: int, k: int) -> None:
    visits[i, assign[r, i]] -= 1
    assign[r, i] = k
    visits[i, k] += 1
