"""The simple greedy plan: the floor every returned plan must beat or match.

Round by round, people in a seeded random order each take the station with room where the
weighted objective gains most right now (new contacts with the people already seated there,
colleagues avoided, a missing category filled, preference); then every dialogue station is
brought to its staffing floor (``staffing.py``), as every plan the planner returns is.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .errors import OutOfTime, PlanningError
from .feasibility import (
    FEW_ATTEMPTS,
    FILL_ATTEMPTS,
    empty_plan,
    fill_plan,
    seat_hosts,
    with_retries,
)
from .frozen import rule_violations
from .repair import NAME as REPAIRED
from .repair import completed_plan, repaired_plan
from .request import Problem
from .staffing import staff

NAME = "greedy"  # the method as plans report it


def greedy_plan(problem: Problem, seed: int, attempts: int = FILL_ATTEMPTS,
                deadline: float = math.inf, *, staffed: bool = True,
                seats: np.ndarray | None = None,
                capacity: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """The greedy plan, lifted to the staffing floor unless ``staffed`` is false; where
    seating gets stuck, up to ``attempts`` seeds are tried. OutOfTime when a round would
    start after ``deadline`` (``time.perf_counter()``): each costs N x N work, 1-2 s at
    10,000 people. ``seats`` (an (R, N) array), where given, is seated in place: where
    every attempt gets stuck it holds the last attempt's seats. ``capacity`` (R, K), where
    given, holds each round's stations to those seats (``feasibility.Placer``)."""
    empty = empty_plan(problem)
    seated = empty.copy() if seats is None else seats

    def fill(attempt_seed: int) -> np.ndarray:
        seated[:] = empty
        return _greedy_once(problem, attempt_seed, deadline, seated, capacity)

    plan = with_retries(fill, problem, seed, attempts)
    return staff(problem, plan) if staffed else plan


def greedy_or_repaired(problem: Problem, *, keep_seats: bool = True) -> tuple[np.ndarray, str]:
    """The greedy plan (``FEW_ATTEMPTS`` seeds) and its name; where that seating gets stuck,
    the last attempt's seats kept and the rest seated by repair (``repair.completed_plan``;
    not where ``keep_seats`` is false), else the seating by repair from scratch; greedy's
    PlanningError (naming the round it got stuck in) where neither seats everybody.

    The rounds greedy seated keep their new contacts, which seating by repair from scratch
    ignores: 117 people at 9 stations of 6-28 for 6 rounds, where greedy gets stuck for
    seeds 1 and 3, got 4,389 and 4,536 new pairs from the repair's start after the local
    search, 4,473 and 4,591 from this one (seed 2, which greedy seats: 4,578)."""
    seated = np.empty((problem.n_rounds, problem.n_people), dtype=np.int64)
    try:
        return greedy_plan(problem, problem.seed, FEW_ATTEMPTS, seats=seated), NAME
    except PlanningError:
        completed = completed_plan(problem, seated) if keep_seats else None
        if completed is None:
            completed = repaired_plan(problem)
        if completed is None:
            raise
    return completed, REPAIRED


def _greedy_once(problem: Problem, seed: int, deadline: float, assign: np.ndarray,
                 capacity: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Fill ``assign`` (the frozen rounds held, the rest empty) by greedy seating; where it
    gets stuck (PlanningError), ``assign`` keeps the seats taken so far."""
    rng = np.random.default_rng(seed)
    met = problem.met_before.copy()  # the held rounds in ``assign``; grows round by round
    w = problem.weights
    k_count, c_count = problem.n_stations, max(len(problem.categories), 1)
    colleague = w["colleagues"] * problem.colleague
    preference = w["preferences"] * problem.pref  # (N, K)
    state: dict = {"round": -1}

    def start_round(r: int) -> None:
        """Pair values for this round, and per station the value of joining it so far.

        gain[k, i] sums the value of i sharing station k with everyone seated there; it
        grows by one row of ``value`` per seat, so each choice is a lookup.
        """
        if time.perf_counter() > deadline:
            raise OutOfTime
        if state["round"] >= 0:
            row = assign[state["round"]]
            met[:] |= (row[:, None] == row[None, :]) & (row >= 0)[:, None]
        state["round"] = r
        fresh = problem.valuable & ~met
        state["value"] = (w["new_pairs"] * fresh - colleague).astype(np.float32)
        state["gain"] = np.zeros((k_count, problem.n_people), dtype=np.float32)
        # [c, k]: the category weight while category c is missing at station k, then 0
        state["missing"] = np.full((c_count, k_count), w["categories"])

    def choose(r: int, i: int, ok: np.ndarray) -> int:
        if state["round"] != r:
            start_round(r)
        gains = state["gain"][:, i] + preference[i]
        c = problem.cat[i]
        if c >= 0:
            gains = gains + state["missing"][c]
        k = int(ok[np.argmax(gains[ok])])
        state["gain"][k] += state["value"][i]
        if c >= 0:
            state["missing"][c, k] = 0.0
        return k

    return fill_plan(problem, assign, rng, choose, capacity)


def latin_plan(problem: Problem) -> np.ndarray | None:
    """Everybody visits the stations in a Latin order: the fallback where greedy gets stuck.

    With as many rounds as stations and hardly a free seat, round-by-round seating can leave
    the last round without a placement (each person has one station left, and those may
    overflow). Here people come in blocks of K (stations); block member j is at station
    sigma(alpha(r) + beta(j) mod K) in round r, with random permutations sigma, alpha, beta
    per block: a Latin square, so a block has its members at different stations in every
    round and nobody visits a station twice. Every full block puts one person at every
    station per round, so the plan fits whenever every station takes ceil(people / K).
    People of different blocks meet about as often as in a random plan; the search improves it.
    """
    if problem.n_frozen or not problem.no_revisit:  # (tables never get stuck: no revisit rule)
        return None
    k = problem.n_stations
    rng = np.random.default_rng(problem.seed)
    movers = np.flatnonzero(problem.fixed < 0)
    assign = np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64)
    for first in range(0, movers.size, k):
        block = movers[first : first + k]
        sigma, alpha, beta = rng.permutation(k), rng.permutation(k), rng.permutation(k)
        cells = alpha[: problem.n_rounds, None] + beta[None, : block.size]
        assign[:, block] = sigma[cells % k]
    seat_hosts(problem, assign)
    return None if rule_violations(problem, assign) else staff(problem, assign)
