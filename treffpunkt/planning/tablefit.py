"""Tables mode: each round's groups at the tables that fit them, the largest at the largest.

Tables are interchangeable, so which table a group sits at changes no pair, but it decides
where the free seats are, and the local search moves people only into free seats. A search
that shrinks a group at a large table and fills a small one leaves the free seat where no
group wants it: 52 people at 7 tables of 9-11 for 4 rounds ended with a group of 9 at a table
of 9 and two people at a table of 10 in three rounds (809 new pairs); with the groups moved to
the tables that fit them before each of the searches' stages, 852. ``by_size`` does that move:
people keep their groups, groups change tables.
"""

from __future__ import annotations

import numpy as np

from .request import Problem


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
