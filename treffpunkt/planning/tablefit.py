"""Tables mode: each round's groups at the tables that fit them, the largest at the largest.

Tables are interchangeable, so which table a group sits at changes no pair, but it decides
where the free seats are, and the local search moves people only into free seats. A search
that shrinks a group at a large table and fills a small one leaves the free seat where no
group wants it: 52 people at 7 tables of 9-11 for 4 rounds ended with a group of 9 at a table
of 9 and two people at a table of 10 in three rounds (809 new pairs); with the groups moved to
the tables that fit them before each of the searches' stages, 852. ``by_size`` does that move:
people keep their groups, groups change tables. ``merged`` seats two groups of a round
together at one table where they fit: a move of several people that no single move makes.
"""

from __future__ import annotations

import numpy as np

from .metrics import meet_counts, plan_score
from .request import Problem

# Merges scored in full per round and pass, those with the most new pairs first: the pairs
# are counted for every two groups that fit one table, the whole objective for these few.
MERGES_SCORED = 4
# Person pairs x rounds scored in all (a plan's score is O(N^2 R)), as ``staffing.SCORE_WORK``.
# Merges are few where the searches have crowded the tables (the 73 tables requests of
# realistic 0-299 get the same plans with 50 M); random groups of 3 at tables of 8 for 5-6
# rounds, the worst case, cost 0.08-0.2 s for 100-1,000 people.
MERGE_WORK = 20_000_000


def by_size(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """``assign`` with the groups of each open round at the tables sorted by capacity, the
    largest group at the largest table; among tables of one capacity (the same free seats)
    the groups go where they score most preference points and seats to ``min_size``. Hosts'
    tables keep their groups, and a round keeps its tables where the move would lose on
    those two terms."""
    if problem.mode != "tables":
        return assign
    x = assign.copy()
    hosts = set(problem.fixed[problem.fixed >= 0].tolist())
    order = np.argsort(-problem.capacity, kind="stable")
    tables = np.array([k for k in order if k not in hosts], dtype=np.int64)
    for r in range(problem.n_frozen, problem.n_rounds):
        row = assign[r]
        sizes = np.bincount(row[row >= 0], minlength=problem.n_stations)
        groups = tables[np.argsort(-sizes[tables], kind="stable")]  # ties keep table order
        value = _placement_values(problem, row, sizes)
        if value.any():
            groups = _exchanged(problem, value, groups, tables)
            if value[groups, tables].sum() < value[tables, tables].sum() - 1e-9:
                continue  # the move would lose preference points or min_size seats
        table_of = np.arange(problem.n_stations)
        table_of[groups] = tables
        x[r] = np.where(row >= 0, table_of[row], -1)
    return x


def _placement_values(problem: Problem, row: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """Group (by its table in ``row``) x table: the preference points its people score there
    and its seats to the table's ``min_size``, at their weights."""
    present = np.flatnonzero(row >= 0)
    points = np.zeros((problem.n_stations, problem.n_stations))
    np.add.at(points, row[present], problem.pref[present])
    short = np.maximum(problem.min_size[None, :] - sizes[:, None], 0) * (sizes[:, None] > 0)
    return problem.weights["preferences"] * points - problem.weights["min_size"] * short


def _exchanged(problem: Problem, value: np.ndarray, groups: np.ndarray,
               tables: np.ndarray) -> np.ndarray:  # fmt: skip
    """``groups`` (seated at ``tables``, position by position) with the best exchange of two
    groups between tables of equal capacity made while one gains ``value``."""
    groups = groups.copy()
    for capacity in np.unique(problem.capacity[tables]):
        at = np.flatnonzero(problem.capacity[tables] == capacity)  # positions in ``tables``
        for _ in range(at.size * at.size):  # each exchange gains: a bound, never reached
            g, t = groups[at], tables[at]
            here = value[g, t]
            gain = value[g[:, None], t[None, :]] + value[g[None, :], t[:, None]]
            gain -= here[:, None] + here[None, :]
            a, b = np.unravel_index(np.argmax(gain), gain.shape)
            if gain[a, b] <= 1e-9:
                break
            groups[at[a]], groups[at[b]] = groups[at[b]], groups[at[a]]
    return groups


def merged(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """``assign`` (tables mode) with two groups of an open round seated together at one table
    that holds both (one of theirs or an empty one) wherever that scores more, the best merge
    of a round first, until none does or ``MERGE_WORK`` is spent.

    Each of them keeps every meeting of the round and meets the other group besides, but no
    single move gets there where the other tables are full: 70 people at 15 tables of 5-7 for
    8 rounds had a round seated as 7, 7, 7, 7, 6, 6, 6, 6, 6, 5, 5 and two people at a table
    of 7 (the searches leave nobody alone, so the two stay together); merged with a group of
    five in the plan, 1,460 -> 1,464 new pairs, merged between the searches too, 1,480."""
    if problem.mode != "tables":
        return assign
    x, score = assign, None  # scored once a merge fits (most plans have none)
    scores_left = MERGE_WORK // (problem.n_people**2 * problem.n_rounds)
    for r in range(problem.n_frozen, problem.n_rounds):
        while scores_left > 0:
            options = _merges(problem, x[r])
            if not options:
                break
            score = plan_score(problem, x) if score is None else score
            plans = _most_pairs(problem, x, r, options)[:scores_left]
            scores_left -= len(plans) + 1  # and the meeting counts
            value, plan = max(((plan_score(problem, plan), plan) for plan in plans),
                              key=lambda item: item[0])  # fmt: skip
            if value <= score + 1e-9:
                break
            score, x = value, plan
    return x


def _merges(problem: Problem, row: np.ndarray) -> list[tuple[int, int, int]]:
    """(table, table, target) of the round ``row``: two groups without hosts and a table that
    holds both, theirs or an empty one (the smallest that fits)."""
    sizes = np.bincount(row[row >= 0], minlength=problem.n_stations)
    hosts = np.zeros(problem.n_stations, dtype=bool)
    hosts[problem.fixed[(problem.fixed >= 0) & (row >= 0)]] = True
    groups = np.flatnonzero((sizes > 0) & ~hosts)
    empty = np.flatnonzero(sizes == 0)
    empty = empty[np.argsort(problem.capacity[empty], kind="stable")]
    both = sizes[groups][:, None] + sizes[groups][None, :]
    capacity = problem.capacity[groups]
    first = np.searchsorted(problem.capacity[empty], both)  # the smallest empty that fits
    # without an empty table nothing fits there, and the targets are never read
    smallest_empty = empty[np.minimum(first, empty.size - 1)] if empty.size else first
    targets = [
        (capacity[:, None] >= both, groups[:, None]),
        (capacity[None, :] >= both, groups[None, :]),
        (first < empty.size, smallest_empty),
    ]
    out = []
    upper = np.triu(np.ones(both.shape, dtype=bool), 1)
    for fits, table in targets:
        table = np.broadcast_to(table, both.shape)
        a, b = np.nonzero(fits & upper)
        out += zip(groups[a].tolist(), groups[b].tolist(), table[a, b].tolist(), strict=True)
    return out


def _most_pairs(problem: Problem, assign: np.ndarray, r: int,
                options: list[tuple[int, int, int]]) -> list[np.ndarray]:  # fmt: skip
    """The plans of the ``MERGES_SCORED`` options that make the most new pairs less colleague
    meetings (pairs of the two groups that have not met, at their weights)."""
    row, w = assign[r], problem.weights
    a, b, _ = np.array(options).T
    people = np.flatnonzero(np.isin(row, np.concatenate([a, b])))  # of the groups in options
    pairs = np.ix_(people, people)
    fresh = problem.valuable[pairs] & (meet_counts(assign)[pairs] == 0)
    value = w["new_pairs"] * fresh - w["colleagues"] * problem.colleague[pairs]
    onehot = np.zeros((people.size, problem.n_stations))
    onehot[np.arange(people.size), row[people]] = 1.0
    between = onehot.T @ value @ onehot  # (K, K): what two groups bring each other
    plans = []
    for n in np.argsort(-between[a, b], kind="stable")[:MERGES_SCORED]:
        one, two, target = options[n]
        plan = assign.copy()
        plan[r, (row == one) | (row == two)] = target
        plans.append(plan)
    return plans
