"""Metrics and objective of a plan, computed from scratch (the search keeps its own deltas)."""

from __future__ import annotations

import numpy as np

from .feasibility import staff_floor
from .request import Problem

# Up to these sizes the meeting counts are one matrix product (``_meet_counts_product``).
PRODUCT_PEOPLE = 2000
PRODUCT_GROUPS = 300  # rounds x stations


def meet_counts(assign: np.ndarray) -> np.ndarray:
    """(N, N) how often each pair shares a group over the rounds of ``assign`` (R, N).

    Counted group by group (the sum of squared group sizes, not N x N per round: 10,000
    people at tables of 10 in 0.1 s instead of 1.1 s), or for a few hundred groups at most
    as one matrix product, 4-8 times faster there (129 people at 9 stations for 5 rounds:
    0.07 ms against 0.5 ms; plans are scored from scratch hundreds of times)."""
    stations = int(assign.max(initial=-1)) + 1
    if assign.shape[1] <= PRODUCT_PEOPLE and assign.shape[0] * stations <= PRODUCT_GROUPS:
        return _meet_counts_product(assign, stations)
    return _meet_counts_by_group(assign)


def _meet_counts_by_group(assign: np.ndarray) -> np.ndarray:
    n = assign.shape[1]
    counts = np.zeros((n, n), dtype=np.int16)
    for row in assign:
        seated = np.flatnonzero(row >= 0)
        order = seated[np.argsort(row[seated], kind="stable")]
        ends = np.flatnonzero(np.diff(row[order])) + 1
        for members in np.split(order, ends):
            counts[np.ix_(members, members)] += 1
    np.fill_diagonal(counts, 0)
    return counts


def _meet_counts_product(assign: np.ndarray, stations: int) -> np.ndarray:
    """``meet_counts`` as H @ H.T with H (N, rounds x stations) one where a person sits: the
    sums are whole numbers below 2^24, exact in float32 in any order of summation."""
    rounds, n = assign.shape
    seated = np.zeros((n, rounds * stations), dtype=np.float32)
    for r, row in enumerate(assign):
        present = np.flatnonzero(row >= 0)
        seated[present, r * stations + row[present]] = 1.0
    counts = (seated @ seated.T).astype(np.int16)
    np.fill_diagonal(counts, 0)
    return counts


def group_sizes(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """(R, K) people per station and round."""
    k = problem.n_stations
    return np.array([np.bincount(row[row >= 0], minlength=k) for row in assign])


def category_counts(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """(R, K, C) people per station, round and category (people without one not counted)."""
    r_count, k, c = assign.shape[0], problem.n_stations, max(len(problem.categories), 1)
    counts = np.zeros((r_count, k, c), dtype=np.int64)
    for r, row in enumerate(assign):
        mask = (row >= 0) & (problem.cat >= 0)
        np.add.at(counts[r], (row[mask], problem.cat[mask]), 1)
    return counts


def category_gaps(counts: np.ndarray, sizes: np.ndarray) -> int:
    """Groups x categories missing: a category present in the round but not in the group."""
    in_round = counts.sum(axis=1) > 0  # (R, C)
    missing = (counts == 0) & in_round[:, None, :] & (sizes > 0)[:, :, None]
    return int(missing.sum())


def objective_terms(problem: Problem, assign: np.ndarray) -> dict[str, float]:
    """The five weighted terms of the objective (see docs/planning.md, 'Objective')."""
    met = meet_counts(assign)
    return _terms(problem, assign, met, problem.valuable & (met > 0))


def _terms(problem: Problem, assign: np.ndarray, met: np.ndarray,
           new: np.ndarray) -> dict[str, float]:  # fmt: skip
    """The terms from the pair meeting counts and the new contacts they make (both N x N)."""
    return {**_pair_terms(problem, met, new), **_seat_terms(problem, assign)}


def _pair_terms(problem: Problem, met: np.ndarray, new: np.ndarray) -> dict[str, int]:
    """New pairs and colleague meetings from the pair meeting counts and new contacts."""
    # Pair matrices are symmetric with an empty diagonal: sums over both halves, halved.
    return {
        "new_pairs": _pairs(new),
        "colleagues": int(met[problem.colleague].sum(dtype=np.int64)) // 2,
    }


def _seat_terms(problem: Problem, assign: np.ndarray) -> dict[str, float]:
    """The terms that each seat decides alone: category gaps, preferences, min_size."""
    sizes = group_sizes(problem, assign)
    below = (sizes > 0) & (sizes < problem.min_size[None, :])
    rows = np.nonzero(assign >= 0)
    return {
        "categories": category_gaps(category_counts(problem, assign), sizes),
        "preferences": float(problem.pref[rows[1], assign[rows]].sum()),
        "min_size": int((problem.min_size[None, :] - sizes)[below].sum()),
    }


def scores_of_moves(problem: Problem, assign: np.ndarray,
                    moved: list[tuple[int, np.ndarray]]) -> list[float]:  # fmt: skip
    """``plan_score`` of each plan in ``moved``, given as (i, plan) where the plan differs from
    ``assign`` in person i's schedule only: the pair terms from ``assign``'s meeting counts
    less i's row plus i's row in that plan (O(N R) a plan instead of O(N^2 R)), the seat terms
    counted in full; the same whole numbers, so the same scores."""
    met = meet_counts(assign)
    new = problem.valuable & (met > 0)
    base = _pair_terms(problem, met, new)
    out = []
    for i, plan in moved:
        # i's meetings in the plan (with itself too: no pair term counts the diagonal)
        row = ((plan == plan[:, [i]]) & (plan >= 0)).sum(axis=0)
        mates, gained = problem.colleague[i], problem.valuable[i] & (row > 0)
        terms = {
            "new_pairs": base["new_pairs"] - int(new[i].sum()) + int(gained.sum()),
            "colleagues": base["colleagues"] - int(met[i, mates].sum()) + int(row[mates].sum()),
            **_seat_terms(problem, plan),
        }
        out.append(score(terms, problem.weights))
    return out


def most_seat_gain(problem: Problem) -> float:
    """The most the category and size terms can add to the score of moving one person in a
    round: the group left may empty (its gaps go, at most one per category and one for
    those without) or fall below its ``min_size`` (a group of one emptied: min_size - 1),
    the group joined may gain the person's missing category or come one closer to its
    ``min_size``. The local searches skip scoring moves that could not beat a swap even so."""
    gaps = len(problem.categories) + 1 if problem.has_categories else 0
    short = int(problem.min_size.max(initial=0)) if problem.has_min_size else 0
    w = problem.weights
    return w["categories"] * gaps + w["min_size"] * short


def _pairs(matrix: np.ndarray) -> int:
    """Pairs marked in a symmetric boolean matrix with an empty diagonal."""
    return int(np.count_nonzero(matrix)) // 2


def score(terms: dict[str, float], weights: dict[str, float]) -> float:
    """Weighted objective to maximise: gains minus penalties."""
    return (
        weights["new_pairs"] * terms["new_pairs"]
        - weights["colleagues"] * terms["colleagues"]
        - weights["categories"] * terms["categories"]
        + weights["preferences"] * terms["preferences"]
        - weights["min_size"] * terms["min_size"]
    )


def plan_score(problem: Problem, assign: np.ndarray) -> float:
    return score(objective_terms(problem, assign), problem.weights)


def compute_metrics(problem: Problem, assign: np.ndarray) -> dict:
    """Every objective term plus the figures organisers look at (docs/planning.md)."""
    met = meet_counts(assign)
    new = problem.valuable & (met > 0)
    terms = _terms(problem, assign, met, new)
    new_each = new.sum(axis=1)
    attending = (assign >= 0).any(axis=0)
    sizes = group_sizes(problem, assign)
    visited = np.zeros_like(problem.pref, dtype=bool)
    for row in assign:
        idx = np.flatnonzero(row >= 0)
        visited[idx, row[idx]] = True
    wished = problem.pref > 0
    return {
        "new_pairs": terms["new_pairs"],
        "repeat_meetings": int((met[met > 1] - 1).sum(dtype=np.int64)) // 2,
        "known_pairs_met": _pairs(problem.known & (met > 0)),
        "colleague_meetings": terms["colleagues"],
        "distinct_pairs_met": _pairs(met > 0),
        "fewest_new_contacts": int(new_each[attending].min()) if attending.any() else 0,
        "new_contacts_per_person": {
            problem.person_ids[i]: int(new_each[i]) for i in np.flatnonzero(attending)
        },
        "category_gaps": terms["categories"],
        "category_mix": _category_mix(problem, assign),
        "preference_points": terms["preferences"],
        "preferences_met": int((wished & visited).sum()),
        "preferences_total": int(wished.sum()),
        "groups_below_min_size": int(((sizes > 0) & (sizes < problem.min_size)).sum()),
        "min_size_shortfall": terms["min_size"],
        "unstaffed_groups": int((sizes < staff_floor(problem)).sum()),
        "objective": score(terms, problem.weights),
    }


def _category_mix(problem: Problem, assign: np.ndarray) -> list[dict[str, dict[str, int]]]:
    counts = category_counts(problem, assign)
    names = problem.categories
    return [
        {
            sid: {names[c]: int(counts[r, k, c]) for c in range(len(names)) if counts[r, k, c]}
            for k, sid in enumerate(problem.station_ids)
        }
        for r in range(assign.shape[0])
    ]
