"""Tabu search for schedules with few repeated meetings (Dotu and Van Hentenryck 2005).

The schedule gives every item (a golfer, or a cluster of people who travel together) a group
per round; group sizes never change. The cost is the number of repeated meetings,
sum over pairs of (times met - 1)+. A move swaps the groups of two items in one round, and at
least one of them must sit in a conflict there (meet someone of its group more than once).
All swaps of all rounds are scored at once with numpy from the pair meeting counts:

    delta(u <-> v in round r) = A1[u, g_v] + A1[v, g_u] - 2 [m_uv >= 1] - A2[u, g_u] - A2[v, g_v]

with A1[u, g] the members of group g that u has met, A2[u, g] those met twice or more.
The best non-tabu swap is made (a tabu swap only if it beats the best cost so far); the two
items may not move again in that round for a random tenure, and after a stall two random
swaps break out (the paper's breakout). In stations mode an item never takes a group it
visits in another round. The budget is counted in iterations, so the result is the same on
every machine.
"""

from __future__ import annotations

import numpy as np

from .metrics import meet_counts

TENURE = (4, 12)  # rounds of tabu after a move, drawn at random
STALL = 60  # iterations without a new best before a breakout


class Tabu:
    def __init__(self, start: np.ndarray, groups: int, no_revisit: bool,
                 rng: np.random.Generator) -> None:  # fmt: skip
        self.s = start.copy()  # (R, C) group of each item per round
        self.k, self.no_revisit, self.rng = groups, no_revisit, rng
        self.m = meet_counts(self.s).astype(np.int64)
        rounds, items = self.s.shape
        self.visits = np.zeros((items, groups), dtype=np.int64)
        for row in self.s:
            self.visits[np.arange(items), row] += 1
        self.tabu = np.zeros((rounds, items), dtype=np.int64)
        self.cost = int(np.maximum(self.m - 1, 0).sum() // 2)

    def deltas(self) -> np.ndarray:
        """(R, C, C) cost change of every swap; +inf where not allowed."""
        rounds, items = self.s.shape
        r_idx, u_idx = np.arange(rounds)[:, None, None], np.arange(items)[None, :, None]
        onehot = np.zeros((items, rounds * self.k), dtype=np.int64)
        onehot[np.arange(items)[None, :], np.arange(rounds)[:, None] * self.k + self.s] = 1
        met1 = (self.m >= 1).astype(np.int64)
        a1 = (met1 @ onehot).reshape(items, rounds, self.k).transpose(1, 0, 2)  # (R, C, K)
        a2 = ((self.m >= 2) @ onehot).reshape(items, rounds, self.k).transpose(1, 0, 2)
        joins = a1[r_idx, u_idx, self.s[:, None, :]]  # [r, u, v]: u's met in v's group
        own = a2[r_idx[:, :, 0], u_idx[:, :, 0], self.s]  # (R, C): repeats in own group
        delta = joins + joins.transpose(0, 2, 1) - 2 * met1[None] - own[:, :, None]
        delta = (delta - own[:, None, :]).astype(float)
        conflict = own > 0  # only swaps that touch a conflict (Dotu-Van Hentenryck)
        allowed = (self.s[:, :, None] != self.s[:, None, :]) & (
            conflict[:, :, None] | conflict[:, None, :]
        )
        if self.no_revisit:  # u may take v's group only if u visits it in no other round
            free = (self.visits == 0)[u_idx, self.s[:, None, :]]  # [r, u, v]
            allowed &= free & free.transpose(0, 2, 1)
        return np.where(allowed, delta, np.inf)

    def swap(self, r: int, u: int, v: int) -> None:
        gu, gv = self.s[r, u], self.s[r, v]
        for item, old, new in ((u, gu, gv), (v, gv, gu)):
            mates_old = np.flatnonzero(self.s[r] == old)
            mates_old = mates_old[mates_old != item]
            self.m[item, mates_old] -= 1
            self.m[mates_old, item] -= 1
            self.s[r, item] = -1
            mates_new = np.flatnonzero(self.s[r] == new)
            self.m[item, mates_new] += 1
            self.m[mates_new, item] += 1
            self.s[r, item] = new
            self.visits[item, old] -= 1
            self.visits[item, new] += 1
        self.m[u, u] = self.m[v, v] = 0


def tabu_search(start: np.ndarray, groups: int, no_revisit: bool, seed: int,
                iterations: int) -> np.ndarray:  # fmt: skip
    """The schedule with the fewest repeats found within ``iterations`` moves."""
    rng = np.random.default_rng(seed)
    state = Tabu(start, groups, no_revisit, rng)
    best, best_cost, stall = state.s.copy(), state.cost, 0
    for it in range(iterations):
        if best_cost == 0:
            break
        delta = state.deltas()
        tabu = (state.tabu[:, :, None] > it) | (state.tabu[:, None, :] > it)
        aspire = state.cost + delta < best_cost
        delta = np.where(tabu & ~aspire, np.inf, delta)
        if not np.isfinite(delta).any():
            break
        ties = np.flatnonzero(delta == delta.min())  # seeded choice among the best swaps
        r, u, v = np.unravel_index(int(ties[rng.integers(ties.size)]), delta.shape)
        state.cost += int(delta[r, u, v])
        state.swap(int(r), int(u), int(v))
        state.tabu[r, [u, v]] = it + rng.integers(*TENURE, size=2)
        stall += 1
        if state.cost < best_cost:
            best, best_cost, stall = state.s.copy(), state.cost, 0
        elif stall >= STALL:
            _breakout(state)
            stall = 0
    return best


def _breakout(state: Tabu) -> None:
    """Two random allowed swaps (the cost is recounted from the meeting counts)."""
    for _ in range(2):
        delta = state.deltas()
        options = np.argwhere(np.isfinite(delta))
        if options.size == 0:
            return
        r, u, v = options[state.rng.integers(len(options))]
        state.swap(int(r), int(u), int(v))
    state.cost = int(np.maximum(state.m - 1, 0).sum() // 2)
