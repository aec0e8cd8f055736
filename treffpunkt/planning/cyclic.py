"""Zero-repeat schedules by the method of differences, with a seeded depth-first search.

Points form ``c`` cycles of length ``t`` plus ``f`` fixed points under a permutation sigma
(n = c*t + f). A schedule of w rounds is ``w / t`` base rounds, each developed ``t`` times:
round b*t + r is sigma^r applied to base round b. No pair repeats iff every pair of the base
rounds lies in its own sigma-orbit of full length t (a pair in a shorter orbit, such as two
fixed points, would meet again within the development). So the search is over the base
rounds only: an exact-cover-like problem over pair orbits, tiny compared to the schedule.

Kirkman (5-3-7), nearly Kirkman (6-3-8) and 10-4-10 schedules are computed this way: the
depth-first search places groups one at a time (first free point first, partners in a seeded
random order) and gives up after a node budget; the cycle structures take turns with seeded
attempts in a fixed order, so the result is deterministic. 8-4-10 is not found: its natural
structure (three 10-cycles and two fixed points, leaving exactly the 16 unmet pairs) has no
solution within the budget.
"""

from __future__ import annotations

import numpy as np

# Partner checks per attempt and in all: a work budget, not a time limit. The attempts that
# succeed need at most 74,000 (10-4-10: its ninth attempt, after 8 x 80,000); a meeting
# without a solution stops after the total instead of searching for seconds (60 people at
# 10 tables of 6 for 10 rounds: 10 s before).
CHECK_BUDGET = 80_000
TOTAL_CHECKS = 800_000
ATTEMPTS = 6  # seeded restarts per cycle structure


class Orbits:
    """Pair orbits under sigma for points 0..n-1: cycles (j, pos) first, fixed points last."""

    def __init__(self, n_points: int, t: int, cycles: int):
        self.n, self.t, self.cycles = n_points, t, cycles
        self.cycle_of = [-1] * n_points
        self.pos = [0] * n_points
        for x in range(cycles * t):
            self.cycle_of[x], self.pos[x] = divmod(x, t)
        # Orbit id per pair as nested lists (plain lookups keep the search loop fast).
        self.ids = [[self._orbit(x, y) for y in range(n_points)] for x in range(n_points)]
        self.count = 1 + max(max(row) for row in self.ids)
        self.full = len({o for row in self.ids for o in row if o >= 0})  # full-length orbits

    def _orbit(self, x: int, y: int) -> int:
        """Orbit id of pair {x, y}; -1 if its orbit is shorter than t (never allowed)."""
        if x == y:
            return -1
        cx, cy, t = self.cycle_of[x], self.cycle_of[y], self.t
        if cx < 0 and cy < 0:
            return -1
        if cx < 0 or cy < 0:
            fixed, other = (x, y) if cx < 0 else (y, x)
            return (fixed - self.cycles * t) * self.cycles + self.cycle_of[other]
        base = (self.n - self.cycles * t) * self.cycles
        if cx > cy or (cx == cy and self.pos[x] > self.pos[y]):
            x, y, cx, cy = y, x, cy, cx
        d = (self.pos[y] - self.pos[x]) % t
        if cx == cy:
            if 2 * d == t:
                return -1
            d = min(d, t - d)
        return base + (cx * self.cycles + cy) * t + d

    def image(self, x: int, r: int) -> int:
        if self.cycle_of[x] < 0:
            return x
        return self.cycle_of[x] * self.t + (self.pos[x] + r) % self.t


def _search(
    orbits: Orbits, g: int, s: int, bases: int, rng, budget: int
) -> tuple[list | None, int]:
    """Base rounds (g groups of s points each) with all pair orbits distinct, or None; and
    the partner checks spent.

    Depth-first: each group starts at the first free point of its base round, and its
    partners come in a seeded random order (each later partner after the previous one in
    that order, so no group is tried twice); the budget of partner checks makes it give up.
    """
    n, ids = orbits.n, orbits.ids
    used = bytearray(orbits.count)
    groups: list[list[int]] = []
    free = [[True] * n for _ in range(bases)]
    order = [[int(x) for x in rng.permutation(n)] for _ in range(bases)]
    rank = [{x: i for i, x in enumerate(o)} for o in order]
    nodes = [0]

    def fits(y: int, group: list[int]) -> list[int] | None:
        row = ids[y]
        new: list[int] = []
        for x in group:  # a plain loop that stops at the first clash: the hot spot
            orbit = row[x]
            if orbit < 0 or used[orbit] or orbit in new:
                return None
            new.append(orbit)
        return new

    def grow(b: int, group: list[int]) -> bool:
        if nodes[0] > budget:
            return False
        if len(group) == s:
            groups.append(group)
            if place():
                return True
            groups.pop()
            return False
        start = rank[b][group[-1]] + 1 if len(group) > 1 else 0
        for y in order[b][start:]:
            nodes[0] += 1
            new = fits(y, group) if free[b][y] else None
            if new is None:
                continue
            for o in new:
                used[o] = 1
            free[b][y] = False
            if grow(b, [*group, y]):
                return True
            free[b][y] = True
            for o in new:
                used[o] = 0
        return False

    def place() -> bool:
        if len(groups) == g * bases:
            return True
        b = len(groups) // g
        first = next(x for x in range(n) if free[b][x])
        free[b][first] = False
        if grow(b, [first]):
            return True
        free[b][first] = True
        return False

    found = place()
    return (groups if found else None), nodes[0]


def _develop(orbits: Orbits, groups: list, g: int, w: int) -> np.ndarray:
    n, t = orbits.n, orbits.t
    out = np.empty((w, n), dtype=np.int64)
    for b in range(w // t):
        base = np.empty(n, dtype=np.int64)
        for k in range(g):
            base[groups[b * g + k]] = k
        for r in range(t):
            for x in range(n):
                out[b * t + r, orbits.image(x, r)] = base[x]
    return out


def structures(n: int, g: int, w: int) -> list[tuple[int, int]]:
    """(cycle length t, cycles c) worth trying, most symmetric first (t divides w)."""
    out = []
    for t in sorted((t for t in range(2, w + 1) if w % t == 0), reverse=True):
        for c in range(n // t, 0, -1):
            fixed = n - c * t
            if fixed <= g and fixed <= t:  # fixed points need distinct groups; few only
                out.append((t, c))
    return out


def cyclic(g: int, s: int, w: int, seed: int, effort: float = 1.0) -> np.ndarray | None:
    """A w-round schedule of g groups of s points without repeats, or None if not found.

    The cycle structures take turns, one seeded attempt each per pass, so a structure
    without any solution (e.g. 8-cycles for 6-3-8) costs one budget per pass, not all.
    """
    n = g * s
    if w * (s - 1) > n - 1:  # the per-person counting bound
        return None
    tried = []
    for t, c in structures(n, g, w)[:3]:
        orbits = Orbits(n, t, c)
        if orbits.full >= (w // t) * g * s * (s - 1) // 2:  # enough orbits for the bases
            tried.append(orbits)
    # A check costs about s lookups: budgets are sized for groups of up to 4.
    size = min(1.0, 4 / s)
    budget = max(int(CHECK_BUDGET * size * min(effort, 1.0)), 1000)
    left = int(TOTAL_CHECKS * size * max(effort, 1.0))
    for attempt in range(max(int(ATTEMPTS * effort), 1)):
        for orbits in tried:
            if left <= 0:
                return None
            rng = np.random.default_rng([seed, orbits.t, orbits.cycles, attempt])
            groups, spent = _search(orbits, g, s, w // orbits.t, rng, min(budget, left))
            left -= spent
            if groups is not None:
                return _develop(orbits, groups, g, w)
    return None
