"""The simple greedy plan: the floor every returned plan must beat or match.

Round by round, people in a seeded random order each take the station with room where the
weighted objective gains most right now (new contacts with the people already seated there,
colleagues avoided, a missing category filled, preference).
"""

from __future__ import annotations

import numpy as np

from .feasibility import empty_plan, fill_plan
from .metrics import meet_counts
from .request import Problem


def greedy_plan(problem: Problem, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    assign = empty_plan(problem)
    met = meet_counts(assign[: problem.n_frozen]) > 0
    w = problem.weights
    valuable, colleague = problem.valuable, problem.colleague
    k_count, c_count = problem.n_stations, max(len(problem.categories), 1)
    has_cat = np.zeros((k_count, c_count), dtype=bool)
    current = {"round": -1}

    def choose(r: int, i: int, ok: np.ndarray) -> int:
        if current["round"] != r:  # a new round starts: forget the previous round's seats
            current["round"] = r
            has_cat[:] = False
        seated = np.flatnonzero(assign[r] >= 0)
        gains = w["new_pairs"] * (valuable[i, seated] & ~met[i, seated])
        gains = gains - w["colleagues"] * colleague[i, seated]
        gains = np.bincount(assign[r, seated], weights=gains, minlength=k_count).astype(float)
        gains += w["preferences"] * problem.pref[i]
        if problem.cat[i] >= 0:
            gains += w["categories"] * ~has_cat[:, problem.cat[i]]
        k = int(ok[np.argmax(gains[ok])])
        met[i, seated[assign[r, seated] == k]] = True
        met[seated[assign[r, seated] == k], i] = True
        if problem.cat[i] >= 0:
            has_cat[k, problem.cat[i]] = True
        return k

    return fill_plan(problem, assign, rng, choose)
