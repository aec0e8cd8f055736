"""The simple greedy plan: the floor every returned plan must beat or match.

Round by round, people in a seeded random order each take the station with room where the
weighted objective gains most right now (new contacts with the people already seated there,
colleagues avoided, a missing category filled, preference); then every dialogue station is
brought to its staffing floor (``staffing.py``), as every plan the planner returns is.
"""

from __future__ import annotations

import numpy as np

from .feasibility import empty_plan, fill_plan, with_retries
from .metrics import meet_counts
from .request import Problem
from .staffing import staff


def greedy_plan(problem: Problem, seed: int) -> np.ndarray:
    return with_retries(lambda s: _greedy_once(problem, s), problem, seed)


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
