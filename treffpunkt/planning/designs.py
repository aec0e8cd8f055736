"""Zero-repeat designs for tables mode: g groups of s points over w rounds, no pair twice.

* ``transversal``: stations Z_n, point (row i, column x) sits at x + r*i (mod n) in round r.
  Two rows i, j never meet twice while every difference d = j - i has order n/gcd(n, d) of
  at least w; row 0 never moves (hosts). Covers large meetings (e.g. 250 tables of 8).
* ``cyclic``: the method of differences. Points form c cycles of length w plus f fixed points
  under a permutation sigma; round r is sigma^r applied to one base round B. No pair repeats
  iff the pairs of B lie in distinct sigma-orbits of full length w, so the search is over a
  single round. A seeded min-conflicts search on B finds Kirkman (5-3-7), nearly Kirkman
  (6-3-8), 8-4-9, 8-4-10 and 10-4-10 schedules in well under a second.

Each function returns an array (w, g*s) of group numbers per point, or None.
"""

from __future__ import annotations

from math import gcd

import numpy as np


def transversal(g: int, s: int, w: int) -> np.ndarray | None:
    if s > g or any(g // gcd(g, d) < w for d in range(1, s)):
        return None
    row, col = np.divmod(np.arange(g * s), g)
    return np.array([(col + r * row) % g for r in range(w)])


def binary_affine(g: int, s: int, w: int, seed: int) -> np.ndarray | None:
    """Points F_2^m; round j = the cosets of a k-dim subspace S_j (s = 2^k, g = 2^(m-k)).

    Cosets of two subspaces that meet only in 0 share at most one point, so no pair repeats;
    the subspaces (a partial spread, e.g. 9 planes of F_2^5 for 8-4-9) are found by a seeded
    depth-first search over random candidates.
    """
    k, m = s.bit_length() - 1, (g * s).bit_length() - 1
    if s < 2 or 1 << k != s or 1 << m != g * s or k >= m:
        return None
    rng = np.random.default_rng(seed)
    spread = _spread(m, k, w, rng)
    if spread is None:
        return None
    points = np.arange(g * s)
    rounds = []
    for sub in spread:
        label = np.min([points ^ v for v in sub], axis=0)  # smallest point of each coset
        rounds.append(np.unique(label, return_inverse=True)[1].ravel())
    return np.array(rounds)


def _span(basis: list[int]) -> frozenset[int]:
    out = {0}
    for b in basis:
        out |= {x ^ b for x in out}
    return frozenset(out)


def _spread(m: int, k: int, w: int, rng, tries: int = 4000):
    """w k-dim subspaces of F_2^m meeting pairwise only in 0 (depth-first, seeded)."""
    candidates: list[frozenset[int]] = []
    seen = set()
    for _ in range(tries):
        sub = _span([int(v) for v in rng.integers(1, 1 << m, size=k)])
        if len(sub) == 1 << k and sub not in seen:
            seen.add(sub)
            candidates.append(sub)

    def extend(chosen, used, start):
        if len(chosen) == w:
            return chosen
        for i in range(start, len(candidates)):
            if not (candidates[i] - {0}) & used:
                found = extend([*chosen, candidates[i]], used | candidates[i], i + 1)
                if found:
                    return found
        return None

    return extend([], set(), 0)


class _Orbits:
    """Pair orbits under sigma for points 0..N-1: cycles (j, pos) first, fixed points last."""

    def __init__(self, n_points: int, w: int):
        self.w = w
        self.cycles = n_points // w
        self.n = n_points
        self.cycle_of = np.full(n_points, -1)
        self.pos = np.zeros(n_points, dtype=np.int64)
        idx = np.arange(self.cycles * w)
        self.cycle_of[idx], self.pos[idx] = np.divmod(idx, w)

    def orbit(self, x: int, y: int) -> int:
        """An id for the orbit of pair {x, y}; -1 if it is shorter than w (never allowed)."""
        cx, cy, w = self.cycle_of[x], self.cycle_of[y], self.w
        if cx < 0 and cy < 0:
            return -1
        if cx < 0 or cy < 0:
            fixed, other = (x, y) if cx < 0 else (y, x)
            return 1 + (fixed * self.cycles + self.cycle_of[other]) * w
        if cx > cy or (cx == cy and self.pos[x] > self.pos[y]):
            x, y, cx, cy = y, x, cy, cx
        d = int((self.pos[y] - self.pos[x]) % w)
        if cx == cy:
            if 2 * d == w:
                return -1
            d = min(d, w - d)
        return 1 + self.n * w + (cx * self.cycles + cy) * w + d

    def table(self) -> list[list[int]]:
        """All orbit ids as nested lists (plain list lookups keep the search loop fast)."""
        return [[self.orbit(x, y) if x != y else -2 for y in range(self.n)] for x in range(self.n)]

    def image(self, x: int, r: int) -> int:
        if self.cycle_of[x] < 0:
            return x
        return int(self.cycle_of[x] * self.w + (self.pos[x] + r) % self.w)


def cyclic(g: int, s: int, w: int, seed: int, max_steps: int = 2_000) -> np.ndarray | None:
    """Try cycle lengths t dividing w (longest first): w/t base rounds, each developed t times."""
    n = g * s
    rng = np.random.default_rng(seed)
    for t in sorted((t for t in range(2, w + 1) if w % t == 0), reverse=True):
        if n - (n // t) * t > g:  # fixed points must sit in different groups
            continue
        orbits = _Orbits(n, t)
        orbits.ids = orbits.table()
        groups = _min_conflicts(orbits, g, s, w // t, rng, max_steps)
        if groups is not None:
            return _develop(orbits, groups, g, w)
    return None


def _develop(orbits: _Orbits, groups: list, g: int, w: int) -> np.ndarray:
    n, t = orbits.n, orbits.w
    out = np.empty((w, n), dtype=np.int64)
    for b in range(w // t):
        base = np.empty(n, dtype=np.int64)
        for k in range(g):
            base[groups[b * g + k]] = k
        for r in range(t):
            for x in range(n):
                out[b * t + r, orbits.image(x, r)] = base[x]
    return out


def _min_conflicts(orbits: _Orbits, g: int, s: int, n_base: int, rng, max_steps: int):
    groups = []
    for _ in range(n_base):
        order = list(rng.permutation(orbits.n))
        groups += [order[k * s : (k + 1) * s] for k in range(g)]
    use: dict[int, int] = {}

    ids = orbits.ids

    def group_pairs(members):
        return [ids[x][y] for i, x in enumerate(members) for y in members[i + 1 :]]

    def cost_of(ids):
        return sum(1 for o in ids if o < 0 or use.get(o, 0) > 1)

    for members in groups:
        for o in group_pairs(members):
            use[o] = use.get(o, 0) + 1
    conflicts = sum(max(c - 1, 0) for o, c in use.items() if o >= 0) + use.get(-1, 0)
    tabu: dict[int, int] = {}
    for step in range(max_steps):
        if conflicts == 0:
            return groups
        bad = [k for k, m in enumerate(groups) if cost_of(group_pairs(m))]
        k1 = bad[rng.integers(len(bad))]
        best = None
        for i1 in range(len(groups[k1])):
            for k2 in range((k1 // g) * g, (k1 // g + 1) * g):  # same base round
                if k2 == k1:
                    continue
                for i2, y in enumerate(groups[k2]):
                    delta = _swap_delta(orbits, groups, use, k1, i1, k2, i2)
                    if tabu.get(y, -1) > step and conflicts + delta > 0:
                        continue
                    key = (delta, rng.random())
                    if best is None or key < best[0]:
                        best = (key, i1, k2, i2)
        if best is None:
            continue
        (delta, _), i1, k2, i2 = best
        _apply_swap(orbits, groups, use, k1, i1, k2, i2)
        tabu[groups[k2][i2]] = step + 2 + int(rng.integers(4))
        conflicts += delta
    return None


def _pairs_with(orbits: _Orbits, x: int, members) -> list[int]:
    row = orbits.ids[x]
    return [row[y] for y in members if y != x]


def _swap_delta(orbits, groups, use, k1, i1, k2, i2) -> int:
    x, y = groups[k1][i1], groups[k2][i2]
    rest1 = [m for m in groups[k1] if m != x]
    rest2 = [m for m in groups[k2] if m != y]
    removed = _pairs_with(orbits, x, rest1) + _pairs_with(orbits, y, rest2)
    added = _pairs_with(orbits, y, rest1) + _pairs_with(orbits, x, rest2)
    change: dict[int, int] = {}
    for o in removed:
        change[o] = change.get(o, 0) - 1
    for o in added:
        change[o] = change.get(o, 0) + 1
    delta = 0
    for o, c in change.items():
        before, after = use.get(o, 0), use.get(o, 0) + c
        if o < 0:
            delta += c
        else:
            delta += max(after - 1, 0) - max(before - 1, 0)
    return delta


def _apply_swap(orbits, groups, use, k1, i1, k2, i2) -> None:
    x, y = groups[k1][i1], groups[k2][i2]
    rest1 = [m for m in groups[k1] if m != x]
    rest2 = [m for m in groups[k2] if m != y]
    for o in _pairs_with(orbits, x, rest1) + _pairs_with(orbits, y, rest2):
        use[o] -= 1
    for o in _pairs_with(orbits, y, rest1) + _pairs_with(orbits, x, rest2):
        use[o] = use.get(o, 0) + 1
    groups[k1][i1], groups[k2][i2] = y, x
