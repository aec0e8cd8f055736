"""The simple greedy plan: the floor every returned plan must beat or match.

Round by round, people in a seeded random order each take the station with room where the
weighted objective gains most right now (new contacts with the people already seated there,
colleagues avoided, a missing category filled, preference); then every dialogue station is
brought to its staffing floor (``staffing.py``), as every plan the planner returns is.
"""

from __future__ import annotations

import math

import numpy as np

from .feasibility import FILL_ATTEMPTS, empty_plan, fill_plan, with_retries
from .metrics import meet_counts
from .request import Problem
from .staffing import staff


def greedy_plan(problem: Problem, seed: int, attempts: int = FILL_ATTEMPTS) -> np.ndarray:
    """The greedy plan; where seating gets stuck, up to ``attempts`` seeds are tried."""
    return with_retries(lambda s: _greedy_once(problem, s), problem, seed, attempts)


def _greedy_once(problem: Problem, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    assign = empty_plan(problem)
    met = meet_counts(assign[: problem.n_frozen]) > 0
    w = problem.weights
    k_count, c_count = problem.n_stations, max(len(problem.categories), 1)
    colleague = w["colleagues"] * problem.colleague
    state: dict = {"round": -1}

    def start_round(r: int) -> None:
        """Pair values for this round, and per station the value of joining it so far.

        gain[k, i] sums the value of i sharing station k with everyone seated there; it
        grows by one row of ``value`` per seat, so each choice is a lookup.
        """
        if state["round"] >= 0:
            row = assign[state["round"]]
            met[:] |= (row[:, None] == row[None, :]) & (row >= 0)[:, None]
        state["round"] = r
        fresh = problem.valuable & ~met
        state["value"] = (w["new_pairs"] * fresh - colleague).astype(np.float32)
        state["gain"] = np.zeros((k_count, problem.n_people), dtype=np.float32)
        state["has_cat"] = np.zeros((k_count, c_count), dtype=bool)

    def choose(r: int, i: int, ok: np.ndarray) -> int:
        if state["round"] != r:
            start_round(r)
        gains = state["gain"][:, i] + w["preferences"] * problem.pref[i]
        if problem.cat[i] >= 0:
            gains = gains + w["categories"] * ~state["has_cat"][:, problem.cat[i]]
        k = int(ok[np.argmax(gains[ok])])
        state["gain"][k] += state["value"][i]
        if problem.cat[i] >= 0:
            state["has_cat"][k, problem.cat[i]] = True
        return k

    return staff(problem, fill_plan(problem, assign, rng, choose))


def shifted_plan(problem: Problem) -> np.ndarray | None:
    """Everybody moves on by a fixed step per round, from a start station dealt in turn.

    The fallback where greedy seating gets stuck: with as many rounds as stations and
    hardly a free seat, the last rounds leave each person one station, and those may
    overflow. Here people come in blocks of K (stations); in a block, person j starts at
    station j and moves on by the block's step, a number coprime to K, so nobody revisits a
    station, and every full block puts exactly one person at every station in every round:
    the plan fits whenever every station takes ceil(people / K). The steps differ between
    blocks, so that two people of different steps meet at most once.
    """
    if problem.n_frozen:
        return None
    k = problem.n_stations
    steps = np.array([u for u in range(1, max(k, 2)) if math.gcd(u, k) == 1])
    movers = np.flatnonzero(problem.fixed < 0)
    block, start = np.divmod(np.arange(movers.size), k)
    step = steps[block % steps.size]
    rounds = np.arange(problem.n_rounds)[:, None]
    assign = np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64)
    assign[:, movers] = (start[None, :] + rounds * step[None, :]) % k
    hosts = np.flatnonzero(problem.fixed >= 0)
    assign[:, hosts] = problem.fixed[hosts][None, :]
    assign[~problem.present] = -1
    from .frozen import rule_violations

    return None if rule_violations(problem, assign) else staff(problem, assign)
