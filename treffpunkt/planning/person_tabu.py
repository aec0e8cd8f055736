"""Tabu search at person level on the whole weighted objective (steepest ascent).

Each step looks at one open round (the open rounds take turns) and scores *every* move in it
at once with numpy: every swap of two people between stations and every move of one person
to a station with a free seat, from the pair meeting counts:

    new pairs (i <-> j):  J[i, g_j] + J[j, g_i] - L[i, g_i] - L[j, g_j] - 2 [m_ij = 0]

with J[i, g] the valuable partners in group g whom i has not met (A0 @ onehot) and L[i, g]
those i meets only there (A1 @ onehot); colleagues, preferences and category gaps are
scored the same way, group sizes too where a move changes them. The best move that is not
tabu is made, even when it loses (a tabu move only if it beats the best plan so far); the
people moved may not move again in that round for a random tenure. Where it is a swap in a
large meeting, every further improving swap between two groups that no swap of the step
touched is made too (their scores do not change each other; ``_more_swaps``). After a stall
the search returns to the best plan and makes a few random swaps (a kick).

Why beside the annealing of ``search.py``: that scores one person's moves per step (cheap
steps, few candidates), which settles early where groups differ in size or seats are free.
Scoring all N^2 swaps of a round costs a few N x N array operations a step, so it is used up
to ``MAX_PEOPLE``. Measured (seed 0, from the greedy plan): 171 people at 9 stations of 9-26
for 5 rounds 7,191 -> 7,364 new pairs; 61 at 9 tables of 5-11 for 7 rounds 1,340 -> 1,389;
80 at 6 stations of 16 for 4 rounds 1,917 -> 1,950 (see docs/planning.md).
"""

from __future__ import annotations

import math
import time

import numpy as np

from .feasibility import staff_floor
from .metrics import category_counts, group_sizes, meet_counts, plan_score
from .request import Problem

MAX_PEOPLE = 400  # each step costs a few N x N operations
STEPS_PER_ROUND = 300  # budget per open round, times ``effort``
# At most this many steps (before ``effort``): with many rounds the per-round budget outgrew
# the time target (38 people at 5 tables for 8 rounds: 2,400 steps, 0.98 s from a cold start;
# 1,500 on 49 requests: the same new pairs on average, 3 fewer on 61 people at 9 tables).
MAX_STEPS = 1_500
# Work of all steps: a step costs about N^2 + STEP_OVERHEAD person pairs' time (about 22 ns
# each here: the N x N arrays, plus some 60 small array operations), so the search takes at
# most about 0.35 s (100 people: 1,066 steps; 143: 628). Until 2026-11-26 it was 20 M pairs
# without the overhead: on 40 random realistic requests of 31-277 people that took 0.35 s
# more at the slowest for 0.07 % more new pairs on average (1.2 % on one); 10 M pairs lost
# 0.7 % on 117 people at 9 stations of 5-23 for 6 rounds.
PAIR_WORK = 16_000_000
STEP_OVERHEAD = 5_000
# Above this many people a step that swaps makes every further improving swap between
# untouched groups too (``_more_swaps``): there ``PAIR_WORK`` cuts the steps to fewer than
# the people x rounds, and from 12 greedy starts each 141-277 people gained 0-1 % (179 at 10
# stations for 6 rounds 1.0 %, 141 at 7 stations for 4 rounds 0.8 %); below, the faster
# descent settled sooner (70 people at 7 stations of 6-18 for 5 rounds: 0.3 % fewer).
MORE_SWAPS_PEOPLE = 120
TENURE = (4, 12)  # steps a moved person stays put in that round, drawn at random
STALL = 100  # steps without a new best before the kick
KICKS = 6  # random swaps of a kick
# Steps without a new best (four kicks) before the search stops: 25 people at 10 stations of
# 3 for 6 rounds 0.8 -> 0.57 s and 51 at 10 tables of 6 1.05 -> 0.75 s for the same plans;
# over 19 requests one lost 2 new pairs (60 at 10 tables of 6: 900 -> 898).
GIVE_UP = 400


def applies(problem: Problem) -> bool:
    return problem.n_people <= MAX_PEOPLE and problem.n_rounds > problem.n_frozen


def tabu_steps(problem: Problem) -> int:
    """``STEPS_PER_ROUND`` per open round up to ``MAX_STEPS``, fewer where steps are large
    (``PAIR_WORK``)."""
    per_rounds = min(STEPS_PER_ROUND * (problem.n_rounds - problem.n_frozen), MAX_STEPS)
    step_work = problem.n_people**2 + STEP_OVERHEAD
    return int(min(per_rounds, PAIR_WORK // step_work) * problem.effort)


class PersonTabu:
    """A plan under person-level tabu search; every move keeps the hard rules.

    Pair terms live in 0/1 matrices kept up to date move by move (valuable and not met,
    valuable and met once, colleagues), so one product with a round's one-hot groups counts
    them for every person at every station; the counts are whole numbers, exact in any
    order of summation, so the weights applied after give the same scores on every machine.
    Preferences are added per station, category gaps per swap.
    """

    def __init__(self, problem: Problem, assign: np.ndarray, seed: int) -> None:
        p = self.p = problem
        self.rng = np.random.default_rng(seed)
        self.w = w = p.weights
        self.col = p.colleague.astype(np.float64)
        self.pref = w["preferences"] * p.pref
        self.has_cat = bool((p.cat >= 0).any())
        self.has_min_size = bool((p.min_size > 1).any())  # a group of one meets min_size 1
        self.cat_safe = np.maximum(p.cat, 0)
        self.cat_row = np.where(p.cat >= 0, p.cat, max(len(p.categories), 1))  # none: last
        self.other_cat = w["categories"] * (p.cat[:, None] != p.cat[None, :])
        self.floor = staff_floor(p)
        self.movable = p.present & (p.fixed < 0)[None, :]
        self.open = np.arange(p.n_frozen, p.n_rounds)
        self.more_swaps = p.n_people > MORE_SWAPS_PEOPLE
        self._reset(assign)

    def _reset(self, assign: np.ndarray) -> None:
        """Start from ``assign``: its meeting counts, groups and visits, no tabu, it as best."""
        p, w = self.p, self.w
        self.a = assign.copy()
        self.m = meet_counts(assign).astype(np.int32)
        self.unmet = (p.valuable & (self.m == 0)).astype(np.float64)
        self.once = (p.valuable & (self.m == 1)).astype(np.float64)
        self.join = w["new_pairs"] * self.unmet - w["colleagues"] * self.col  # i joins y
        self.sizes = group_sizes(p, assign)
        self.cnt = category_counts(p, assign)
        self.visits = np.zeros((p.n_people, p.n_stations), dtype=np.int64)
        for row in assign:
            seated = np.flatnonzero(row >= 0)
            self.visits[seated, row[seated]] += 1
        self.tabu = np.zeros((p.n_rounds, p.n_people), dtype=np.int64)
        self.score = plan_score(p, assign)
        self.best, self.best_score = self.a.copy(), self.score

    # -- scoring ---------------------------------------------------------------------------
    def _round_terms(self, r: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Round r: own station (0 where absent), gain of joining each station (N, K), loss
        of leaving the own one (N,)."""
        own = self.a[r]
        seated = own >= 0
        g = np.zeros((self.p.n_people, self.p.n_stations))
        g[np.flatnonzero(seated), own[seated]] = 1.0
        own = np.where(seated, own, 0)
        people, w = np.arange(self.p.n_people), self.w
        colleagues = self.col @ g
        gain = w["new_pairs"] * (self.unmet @ g) - w["colleagues"] * colleagues + self.pref
        loss = w["new_pairs"] * (self.once @ g) - w["colleagues"] * colleagues + self.pref
        return own, gain, loss[people, own]

    def swap_scores(self, r: int, own, gain, loss) -> tuple[np.ndarray, np.ndarray]:
        """(N, N) score change of swapping i and j in round r, and where that is allowed.

        Every term is x[j, i] + x[i, j] for the change x[j, i] of i taking j's station (leaving
        its own), so one side is built (rows gathered, which keeps arrays C-ordered and numpy
        fast) and added to its transpose once; i and j never meet in the swap, hence -join."""
        side = np.ascontiguousarray(gain.T)[own]
        side -= loss[None, :]
        side -= self.join
        if self.has_cat:
            side -= self._swap_gaps(r, own)
        total = side + side.T
        allowed = self.movable[r][None, :] & self.movable[r][:, None]
        if self.p.no_revisit:  # the own station is visited, so this also keeps groups apart
            allowed &= np.ascontiguousarray((self.visits == 0).T)[own]
        else:
            allowed &= own[:, None] != own[None, :]
        allowed &= allowed.T
        return total, allowed

    def _swap_gaps(self, r: int, own: np.ndarray) -> np.ndarray:
        """[j, i]: weighted change in category gaps on i's side when i takes j's station: i's
        category may vanish from i's group, j's may join it (0 between people of one
        category, whose exchange changes no group's mix; j's category is never missing
        from i's group then)."""
        cnt = self.cnt[r]
        lose = (self.p.cat >= 0) & (cnt[own, self.cat_safe] == 1)
        missing = np.zeros((cnt.shape[1] + 1, self.p.n_people), dtype=bool)  # last: no category
        missing[:-1] = cnt[own].T == 0  # [c, i]: category c missing from i's group
        gaps = self.other_cat * lose[None, :]
        np.subtract(gaps, self.w["categories"], out=gaps, where=missing[self.cat_row])
        return gaps

    def move_scores(self, r: int, own, gain, loss) -> np.ndarray:
        """(N, K) score change of moving i to station k in round r; -inf where not allowed."""
        p, w = self.p, self.w
        stations = np.arange(p.n_stations)
        size = self.sizes[r]
        if not (size < p.capacity).any():  # no free seat: no move (most steps of full rooms)
            return np.full(gain.shape, -np.inf)
        total = gain - loss[:, None]
        if self.has_cat:
            total -= w["categories"] * self._move_gaps(r, own)
        if self.has_min_size:
            total -= w["min_size"] * self._move_shortfall(size, own)
        ok = self.movable[r][:, None] & (stations[None, :] != own[:, None])
        ok &= (size < p.capacity)[None, :] & (size[own] > self.floor[r, own])[:, None]
        if p.no_revisit:
            ok &= self.visits == 0
        if p.mode == "tables":  # nobody left alone, nobody sat alone (``staffing.nobody_alone``)
            ok &= (size[own] != 2)[:, None] & (size > 0)[None, :]
        return np.where(ok, total, -np.inf)

    def _move_gaps(self, r: int, own: np.ndarray) -> np.ndarray:
        cat, cnt, size = self.p.cat, self.cnt[r], self.sizes[r]
        has = cat >= 0
        present = cnt.sum(axis=0) > 0
        emptied = -((cnt == 0) & present[None, :]).sum(axis=1)  # gaps a group loses emptying
        out = np.where(size[own] == 1, emptied[own], has & (cnt[own, self.cat_safe] == 1))
        joined = has[:, None] & (cnt[:, self.cat_safe].T == 0)  # [i, k]
        opened = int(present.sum()) - has.astype(np.int64)
        into = np.where((size == 0)[None, :], opened[:, None], -joined.astype(np.int64))
        return out[:, None] + into

    def _move_shortfall(self, size: np.ndarray, own: np.ndarray) -> np.ndarray:
        low = self.p.min_size

        def short(s):
            return np.where((s > 0) & (s < low), low - s, 0)

        leave = short(size - 1) - short(size)
        return leave[own][:, None] + (short(size + 1) - short(size))[None, :]

    # -- moves -----------------------------------------------------------------------------
    def relocate(self, r: int, i: int, k: int) -> None:
        old = self.a[r, i]
        mates = np.flatnonzero(self.a[r] == old)
        mates = mates[mates != i]
        self.m[i, mates] -= 1
        self.m[mates, i] -= 1
        joined = np.flatnonzero(self.a[r] == k)
        self.m[i, joined] += 1
        self.m[joined, i] += 1
        touched = np.concatenate([mates, joined])
        met, new = self.m[i, touched], self.p.valuable[i, touched]
        self.unmet[i, touched] = self.unmet[touched, i] = new & (met == 0)
        self.once[i, touched] = self.once[touched, i] = new & (met == 1)
        w = self.w
        join = w["new_pairs"] * self.unmet[i, touched] - w["colleagues"] * self.col[i, touched]
        self.join[i, touched] = self.join[touched, i] = join
        self.a[r, i] = k
        self.visits[i, old] -= 1
        self.visits[i, k] += 1
        self.sizes[r, old] -= 1
        self.sizes[r, k] += 1
        if self.p.cat[i] >= 0:
            self.cnt[r, old, self.p.cat[i]] -= 1
            self.cnt[r, k, self.p.cat[i]] += 1

    def swap(self, r: int, i: int, j: int) -> None:
        gi, gj = self.a[r, i], self.a[r, j]
        self.relocate(r, i, gj)
        self.relocate(r, j, gi)

    # -- driver ----------------------------------------------------------------------------
    def step(self, it: int) -> None:
        """The best allowed move of open round ``it`` mod the open rounds."""
        if self.open.size == 0:
            return
        r = int(self.open[it % self.open.size])
        own, gain, loss = self._round_terms(r)
        swaps, allowed = self.swap_scores(r, own, gain, loss)
        moves = self.move_scores(r, own, gain, loss)
        free = self.tabu[r] <= it
        aspire = self.best_score - self.score + 1e-9  # a tabu move must beat the best plan
        allowed &= (free[:, None] & free[None, :]) | (swaps > aspire)
        swaps = np.where(allowed, swaps, -np.inf)
        moves = np.where(free[:, None] | (moves > aspire), moves, -np.inf)
        best_swap, best_move = swaps.max(), moves.max()
        if max(best_swap, best_move) == -np.inf:
            return
        if best_swap >= best_move:
            i, j = self._pick(swaps, best_swap)
            self.swap(r, i, j)
            self.tabu[r, [i, j]] = it + self.rng.integers(*TENURE, size=2)
            self.score += best_swap
            if self.more_swaps:
                self._more_swaps(r, it, own, swaps, used={int(own[i]), int(own[j])})
        else:
            i, k = self._pick(moves, best_move)
            self.relocate(r, i, k)
            self.tabu[r, i] = it + self.rng.integers(*TENURE)
            self.score += best_move
        if self.score > self.best_score + 1e-9:
            self.best, self.best_score = self.a.copy(), self.score

    def _more_swaps(self, r: int, it: int, own: np.ndarray, swaps: np.ndarray, *,
                    used: set[int]) -> None:  # fmt: skip
        """After the step's swap (between the groups ``used``), every further improving swap
        of round r between two groups that no swap of this step touched, each person's best
        first (``own``, ``swaps``: as the step scored them).

        Such swaps do not change each other's scores: a swap changes only the pair terms of
        the two people moved with the members of their two groups in this round, and those
        two groups' category mix, so the scores computed for the step still hold."""
        partner = swaps.argmax(axis=1)
        value = swaps[np.arange(swaps.shape[0]), partner]
        for i in np.argsort(-value, kind="stable"):
            if not value[i] > 1e-9:
                return
            j = int(partner[i])
            groups = {int(own[i]), int(own[j])}
            if groups & used:
                continue
            used |= groups
            self.swap(r, int(i), j)
            self.tabu[r, [i, j]] = it + self.rng.integers(*TENURE, size=2)
            self.score += value[i]

    def _pick(self, scores: np.ndarray, top: float) -> tuple[int, int]:
        """A seeded choice among the best-scoring moves."""
        ties = np.flatnonzero(scores >= top - 1e-9)
        return np.unravel_index(int(ties[self.rng.integers(ties.size)]), scores.shape)

    def kick(self) -> None:
        """Back to the best plan, then a few random allowed swaps (a new random stream)."""
        self.rng = np.random.default_rng(int(self.rng.integers(2**32)))
        self._reset(self.best)
        for _ in range(KICKS):
            r = int(self.open[self.rng.integers(self.open.size)])
            own, gain, loss = self._round_terms(r)
            options = np.argwhere(self.swap_scores(r, own, gain, loss)[1])
            if len(options):
                i, j = options[self.rng.integers(len(options))]
                self.swap(r, int(i), int(j))
        self.score = plan_score(self.p, self.a)


def tabu_improve(problem: Problem, assign: np.ndarray, *, seed: int, steps: int,
                 deadline: float, target: float = math.inf) -> np.ndarray:  # fmt: skip
    """The best plan found by ``steps`` tabu steps from ``assign`` (never worse than it), or
    fewer where ``GIVE_UP`` steps bring no better plan or the plan scores ``target`` (no plan
    can score more: ``engine.perfect_score``)."""
    if steps <= 0 or not applies(problem):
        return assign
    search = PersonTabu(problem, assign, seed)
    best, best_score, last_gain, last_best = search.best, search.best_score, 0, 0
    for it in range(steps):
        if it % 32 == 0 and time.perf_counter() > deadline:
            break
        if it - last_best >= GIVE_UP or best_score >= target - 1e-9:
            break
        search.step(it)
        if search.best_score > best_score + 1e-9:
            best, best_score, last_gain, last_best = search.best, search.best_score, it, it
        elif it - last_gain >= STALL:
            search.kick()
            last_gain = it
    return best
