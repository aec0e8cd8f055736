"""Exact solver for the small code-count model (few stations): enumeration, no MIP solver.

The model (``codes.py``) minimises

    sum_{u<v} A[u, v] n_u n_v + sum_u c_u n_u          (A[u, v] = 1: codes never meet)

over counts n_u >= 0 of one class of many people (the full movers, at most a handful of
codes) and of a few one-person classes (late arrivals), under a seat limit per (round,
station) cell and, where given, a least number of people per cell (the staffing floor).
One-person classes are enumerated code by code. For the many-people class the counts of the
codes outside a largest clique of A run over a numpy grid (pruned by the cells' room as it
grows), and the clique's codes are finished exactly per grid row: there the objective is
concave, so its minimum is at a vertex (see ``_Sub``). The result is the exact optimum (or,
for very large stations, the best found, marked as not proven), with the same work on every
machine.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

GRID_MAX_ROWS = 400_000  # beyond this the best found is not proven (a memory and time budget)
COARSE_VALUES = 8  # counts per code in the first, coarse pass (its optimum prunes the exact one)


@dataclass
class CountModel:
    never: np.ndarray  # (U, U) bool, symmetric: people on these codes never meet
    linear: np.ndarray  # (U,) cost per person on a code (fixed people never met)
    cells: np.ndarray  # (cells, U) bool: the code seats someone in this (round, station)
    room: np.ndarray  # (cells,) seats left for the model's people
    cell_round: np.ndarray  # (cells,) round of each cell (everyone of the full class sits
    # once per round, which prunes the grid)
    full: np.ndarray  # codes of the many-people class
    total: int  # people in that class
    singles: list[np.ndarray]  # codes of each one-person class
    need: np.ndarray | None = None  # (cells,) fewest of the model's people in each cell


@dataclass
class Result:
    counts: np.ndarray  # people per code
    value: float  # objective of these counts
    proven: bool  # the minimum (else the best found: the grid was too large to finish)


def solve(model: CountModel) -> Result | None:
    """The minimum over all count vectors (or the best found), None if none is feasible."""
    best: Result | None = None
    for picks in itertools.product(*model.singles):
        found = _with_singles(model, list(picks))
        if found is None:
            continue
        if best is None or found.value < best.value - 1e-9:
            best = Result(found.counts, found.value, best is None or best.proven)
        best.proven = best.proven and found.proven
    return best


def _with_singles(model: CountModel, picks: list[int]) -> Result | None:
    u_count = model.never.shape[0]
    chosen = np.zeros(u_count, dtype=np.int64)
    chosen[picks] = 1
    seated = model.cells.astype(np.int64) @ chosen
    room = model.room - seated
    if (room < 0).any():
        return None
    need = np.zeros_like(room) if model.need is None else np.maximum(model.need - seated, 0)
    never = model.never.astype(np.int64)
    constant = float(model.linear @ chosen + chosen @ never @ chosen / 2)
    linear = model.linear + never @ chosen  # each full-class person misses the picks
    full = model.full
    sub = _Sub(never[np.ix_(full, full)], linear[full], model.cells[:, full], room, need,
               model.total, model.cell_round)  # fmt: skip
    result = sub.solve()
    if result is None:
        return None
    chosen[full] = result.counts
    return Result(chosen, result.value + constant, result.proven)


class _Sub:
    """min n^T A n / 2 + c n over counts of one class.

    The codes of a largest clique W of A (codes that pairwise never meet, so no two share a
    cell) are finished exactly; the other codes run over a grid. For one grid row, each W
    code has its own upper bound (the seats its cells have left) and lower bound (the people
    its cells still need: 0 without a floor) and the W counts add up to the people left, S;
    on that polytope the objective is sum_{w<w'} n_w n_w' + g n = (S^2 - sum n_w^2) / 2 +
    g n, concave, so its minimum is at a vertex: every W code at one of its bounds but one,
    which takes the rest. All vertices of all rows are evaluated at once.

    Three grid passes: a coarse grid (every q-th count) and then every count within q of its
    best give a near-optimal incumbent; the exact pass drops rows whose lower bound (the
    objective of the codes counted so far plus every person left at the cheapest remaining
    code) exceeds it. If even so the exact grid grows too large, the incumbent is returned
    as not proven.
    """

    def __init__(self, a: np.ndarray, c: np.ndarray, cells: np.ndarray, room: np.ndarray,
                 need: np.ndarray, total: int, cell_round: np.ndarray) -> None:  # fmt: skip
        clique = _largest_clique(a)
        self.order = np.array([v for v in range(a.shape[0]) if v not in clique] + clique)
        idx = self.order
        self.a, self.c, self.cells = a[np.ix_(idx, idx)], c[idx], cells[:, idx]
        self.room, self.need, self.total, self.cell_round = room, need, total, cell_round
        self.free_codes = a.shape[0] - len(clique)  # codes on the grid
        self.caps = [self._cap(v) for v in range(a.shape[0])]

    def solve(self) -> Result | None:
        if self.a.shape[0] == 0:
            empty = self.total == 0 and not self.need.any()
            return Result(np.zeros(0, dtype=np.int64), 0.0, True) if empty else None
        found = self._search()
        if found is not None:
            counts = np.empty_like(found.counts)
            counts[self.order] = found.counts
            found.counts = counts
        return found

    def _search(self) -> Result | None:
        k = self.free_codes
        step = max(self.caps) // COARSE_VALUES + 1
        best = self._pass([(0, c, step) for c in self.caps[:k]], np.inf) if step > 1 else None
        if best is not None:  # refine around the coarse optimum
            near = [(max(n - step, 0), min(n + step, c), 1)
                    for n, c in zip(best.counts[:k], self.caps[:k], strict=True)]  # fmt: skip
            best = self._pass(near, best.value) or best
        exact = self._pass([(0, c, 1) for c in self.caps[:k]],
                           np.inf if best is None else best.value)  # fmt: skip
        if exact is not None:
            return exact if best is None or exact.value <= best.value else best
        if best is not None and self.too_large:
            best.proven = False
        return best

    def _pass(self, ranges: list[tuple[int, int, int]], bound: float) -> Result | None:
        self.too_large = False
        grid = self._grid(ranges, bound)
        if grid is None:
            self.too_large = True
            return None
        return self._finish(grid) if grid.shape[0] else None

    def _cap(self, v: int) -> int:
        rooms = self.room[self.cells[:, v]]
        return int(min(rooms.min(), self.total)) if rooms.size else self.total

    def _grid(self, ranges: list[tuple[int, int, int]], bound: float) -> np.ndarray | None:
        """Counts of the grid codes (value ranges lo..hi by step), pruned as they grow."""
        rows = np.zeros((1, 0), dtype=np.int64)
        for v, (lo, hi, step) in enumerate(ranges):
            values = np.arange(lo, hi + 1, step)
            if rows.shape[0] * values.size > 4 * GRID_MAX_ROWS:  # give up before building it
                return None
            rows = np.concatenate(
                [np.repeat(rows, values.size, axis=0), np.tile(values, rows.shape[0])[:, None]],
                axis=1,
            )
            used = rows @ self.cells[:, : v + 1].T.astype(np.int64)
            left = self.total - rows.sum(axis=1)
            ok = (used <= self.room).all(axis=1) & (left >= 0)
            ok &= (left <= sum(self.caps[v + 1 :])) & self._seats_left(used, left, v)
            ok &= self._lower(rows, left) <= bound + 1e-9
            rows = rows[ok]
            if rows.shape[0] > GRID_MAX_ROWS:
                return None
        return rows

    def _lower(self, rows: np.ndarray, left: np.ndarray) -> np.ndarray:
        """Objective of the enumerated codes plus each person left at the cheapest code."""
        v = rows.shape[1]
        cross = rows @ self.a[:v, v:] + self.c[v:]  # (M, codes left): cost of one more person
        return self._partial(rows) + left * cross.min(axis=1)

    def _partial(self, rows: np.ndarray) -> np.ndarray:
        v = rows.shape[1]
        return np.einsum("mu,uv,mv->m", rows, self.a[:v, :v], rows) / 2 + rows @ self.c[:v]

    def _seats_left(self, used: np.ndarray, left: np.ndarray, v: int) -> np.ndarray:
        """In every round the people left must fit in the cells the codes left can use."""
        usable = self.cells[:, v + 1 :].any(axis=1)
        free = np.where(usable, self.room - used, 0)
        rounds = self.cell_round[:, None] == np.arange(self.cell_round.max() + 1)[None, :]
        per_round = free @ rounds.astype(np.int64)  # (M, rounds) seats left per round
        return (per_round >= left[:, None]).all(axis=1)

    def _finish(self, grid: np.ndarray) -> Result | None:
        """Best vertex of the clique codes' polytope for every grid row (see the class)."""
        k, m = self.free_codes, self.a.shape[0] - self.free_codes
        used = grid @ self.cells[:, :k].T.astype(np.int64)
        free, short = self.room[None, :] - used, self.need[None, :] - used
        on = [self.cells[:, k + w] for w in range(m)]
        upper = [np.where(on[w], free, self.total).min(axis=1) for w in range(m)]
        # No two clique codes share a cell, so a cell's shortfall is its one code's to fill.
        lower = [np.maximum(np.where(on[w], short, 0).max(axis=1), 0) for w in range(m)]
        uncovered = ~np.logical_or.reduce(on)  # m >= 1: a single code is a clique
        feasible = (short[:, uncovered] <= 0).all(axis=1)
        feasible &= np.logical_and.reduce([lo <= up for lo, up in zip(lower, upper, strict=True)])
        rest = self.total - grid.sum(axis=1)
        base = self._partial(grid) + rest.astype(float) ** 2 / 2  # W's pairs: (S^2 - sum n^2)/2
        cross = grid @ self.a[:k, k:] + self.c[k:]  # (M, m): cost of one person on a W code
        best_value, best_n = np.inf, None
        for f in range(m):
            others = [x for x in range(m) if x != f]
            for mask in itertools.product((0, 1), repeat=m - 1):
                tops = zip(others, mask, strict=True)
                ends = {w: upper[w] if top else lower[w] for w, top in tops}
                n_f = rest - sum(ends.values(), np.zeros_like(rest))
                values = base + cross[:, f] * n_f - n_f.astype(float) ** 2 / 2
                for w, n_w in ends.items():
                    values += cross[:, w] * n_w - n_w.astype(float) ** 2 / 2
                ok = feasible & (n_f >= lower[f]) & (n_f <= upper[f])
                values = np.where(ok, values, np.inf)
                i = int(np.argmin(values))  # first minimum: deterministic
                if values[i] < best_value - 1e-9:
                    n = np.zeros(m, dtype=np.int64)
                    for w, n_w in ends.items():
                        n[w] = n_w[i]
                    n[f] = n_f[i]
                    best_value, best_n = float(values[i]), np.concatenate([grid[i], n])
        return None if best_n is None else Result(best_n, best_value, True)


def _largest_clique(a: np.ndarray) -> list[int]:
    """Largest set of codes that pairwise never meet (the model has at most a handful)."""
    u = a.shape[0]
    for size in range(u, 0, -1):
        for subset in itertools.combinations(range(u - 1, -1, -1), size):
            if all(a[x, y] for x, y in itertools.combinations(subset, 2)):
                return sorted(subset)
    return []
