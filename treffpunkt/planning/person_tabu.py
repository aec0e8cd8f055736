"""Tabu search at person level on the whole weighted objective (steepest ascent).

Each step looks at one open round (the open rounds take turns) and scores *every* move in it
at once with numpy: every swap of two people between stations and every move of one person
to a station with a free seat, from the pair meeting counts:

    new pairs (i <-> j):  J[i, g_j] + J[j, g_i] - L[i, g_i] - L[j, g_j] - 2 [m_ij = 0]

with J[i, g] the valuable partners in group g whom i has not met (A0 @ onehot) and L[i, g]
those i meets only there (A1 @ onehot); colleagues, preferences and category gaps are
scored the same way, group sizes too where a move changes them. What i gains by taking j's
seat depends on j only through j's station and category, so the swap scores are gathered
from a small table (stations x categories, N) rather than computed pair by pair; the moves
are scored only where the best of them could beat the best swap (``_move_ceiling``). The best
move that is not tabu is made, even when it loses (a tabu move only if it beats the best
plan so far); the people moved may not move again in that round for a random tenure.
Where it is a swap in a large meeting, every further improving swap between two groups that
no swap of the step touched is made too (their scores do not change each other;
``_more_swaps``). After a stall the search returns to the best plan and makes a few random
swaps (a kick).

Why beside the annealing of ``search.py``: that scores one person's moves per step (cheap
steps, few candidates), which settles early where groups differ in size or seats are free.
Scoring all N^2 swaps of a round costs a few N x N array operations a step, so it is used up
to ``MAX_PEOPLE``. From the greedy plan (seed 0): 171 people at 9 stations of 9-26 for 5
rounds 7,191 -> 7,364 new pairs, 61 at 9 tables of 5-11 for 7 rounds 1,340 -> 1,389.
"""

from __future__ import annotations

import math
import time

import numpy as np

from .feasibility import staff_floor
from .metrics import category_counts, group_sizes, meet_counts, most_seat_gain, plan_score
from .request import Problem

MAX_PEOPLE = 400  # each step costs a few N x N operations
STEPS_PER_ROUND = 300  # budget per open round, times ``effort``
# At most this many steps (before ``effort``): with many rounds the per-round budget outgrew
# the time target (38 people at 5 tables for 8 rounds: 2,400 steps, 0.98 s from a cold start;
# 1,500 on 49 requests: the same new pairs on average, 3 fewer on 61 people at 9 tables).
MAX_STEPS = 1_500
# Work of all steps: a step costs about N^2 + STEP_OVERHEAD person pairs' time (12-18 ns
# each here), so the search takes at most about 0.25 s (100 people: 1,066 steps; 143: 628).
# 20 M pairs without the overhead: 0.35 s more at the slowest of 40 realistic requests for
# 0.07 % more new pairs; 22 M gained nothing; 10 M lost 0.7 % on 117 people at 9 stations.
PAIR_WORK = 16_000_000
STEP_OVERHEAD = 5_000
# Above this many people a step that swaps makes every further improving swap between
# untouched groups too (``_more_swaps``): ``PAIR_WORK`` leaves fewer steps than people x
# rounds there (141-277 people: 0-1 % more); below, the descent settled sooner (70: -0.3 %).
MORE_SWAPS_PEOPLE = 120
TENURE = (4, 12)  # steps a moved person stays put in that round, drawn at random
STALL = 100  # steps without a new best before the kick
KICKS = 6  # random swaps of a kick
# Steps without a new best (four kicks) before the search stops: 25 people at 10 stations
# 0.8 -> 0.57 s, 51 at 10 tables 1.05 -> 0.75 s; of 19 requests one lost 2 new pairs.
GIVE_UP = 400
_ZERO_ONE = np.array([0, 1], dtype=np.int32)  # the meeting counts of ``unmet_once``


def unmet_once_of(met: np.ndarray, valuable: np.ndarray) -> np.ndarray:
    """(2, ...): where a pair brings a new contact and has met 0 / 1 times (``met``)."""
    return (met == _ZERO_ONE.reshape((2,) + (1,) * met.ndim)) & valuable


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
    valuable and met once; colleagues), so one product with a round's one-hot groups counts
    them for every person at every station; the counts are whole numbers, exact in any
    order of summation and in single precision (which halves the product's time), so the
    weights applied after give the same scores on every machine. Preferences are added per
    station, category gaps per swap.
    """

    def __init__(self, problem: Problem, assign: np.ndarray, seed: int) -> None:
        p = self.p = problem
        self.rng = np.random.default_rng(seed)
        self.w = w = p.weights
        self.pair = np.empty((3, p.n_people, p.n_people), dtype=np.float32)
        self.pair[2] = p.colleague
        self.col_cost = w["colleagues"] * p.colleague  # what sharing a group costs in colleagues
        self.pref = w["preferences"] * p.pref
        self.has_cat, self.has_min_size = p.has_categories, p.has_min_size
        self.cat_safe = np.maximum(p.cat, 0)
        self.cat_rows = max(len(p.categories), 1) + 1  # the categories, and none (last)
        self.cat_row = np.where(p.cat >= 0, p.cat, self.cat_rows - 1)
        self.cat_of_row = np.append(np.arange(self.cat_rows - 1), -1)
        self.cat_real = self.cat_of_row >= 0
        # [c, i]: someone of category c (row) is not of i's, and i has one
        self.other_cat = (self.cat_of_row[:, None] != p.cat[None, :]) & (p.cat >= 0)[None, :]
        self.move_slack = most_seat_gain(p)  # bounds the moves' scores (``_move_ceiling``)
        self.floor = staff_floor(p)
        self.movable = p.present & (p.fixed < 0)[None, :]
        self.open = np.arange(p.n_frozen, p.n_rounds)
        self.more_swaps = p.n_people > MORE_SWAPS_PEOPLE
        self.everyone = np.arange(p.n_people)
        self.onehot = np.eye(p.n_stations + 1, p.n_stations, dtype=np.float32)  # by station
        self._reset(assign)

    def _reset(self, assign: np.ndarray) -> None:
        """Start from ``assign``: its meeting counts, groups and visits, no tabu, it as best."""
        p = self.p
        self.a = assign.copy()
        self.m = meet_counts(assign).astype(np.int32)
        self.pair[:2] = unmet_once = unmet_once_of(self.m, p.valuable)
        self.join = self._join(unmet_once[0], slice(None))  # kept beside: every swap needs it
        self.sizes = group_sizes(p, assign)
        self.cnt = category_counts(p, assign)
        self.visits = np.zeros((p.n_people, p.n_stations), dtype=np.int64)
        for row in assign:
            seated = np.flatnonzero(row >= 0)
            self.visits[seated, row[seated]] += 1
        self.tabu = np.zeros((p.n_rounds, p.n_people), dtype=np.int64)
        self.score = plan_score(p, assign)
        self.best, self.best_score = self.a.copy(), self.score

    def _join(self, unmet: np.ndarray, rows: int | slice) -> np.ndarray:
        """What i (``rows``) gains by newly sharing a group with each y."""
        return self.w["new_pairs"] * unmet - self.col_cost[rows]

    # -- scoring ---------------------------------------------------------------------------
    def _round_terms(self, r: int) -> tuple[np.ndarray, np.ndarray]:
        """Round r: own station (0 where absent), and the change of moving each person to
        each station (N, K; 0 at the own one) in the pair terms and preferences."""
        own, n = self.a[r], self.p.n_people
        g = self.onehot[own]  # the absent (-1): the last row, none
        own = np.maximum(own, 0)
        counts = (self.pair.reshape(3 * n, n) @ g).astype(np.float64)  # weighed in double
        unmet, once, colleagues = counts.reshape(3, n, -1)
        w, colleague_cost = self.w, self.w["colleagues"] * colleagues
        gain = w["new_pairs"] * unmet - colleague_cost + self.pref
        at = (self.everyone, own)  # staying: the terms at the own station only
        stay = w["new_pairs"] * once[at] - colleague_cost[at] + self.pref[at]
        return own, gain - stay[:, None]

    def swap_scores(self, r: int, own: np.ndarray, change: np.ndarray,
                    may: np.ndarray) -> np.ndarray:  # fmt: skip
        """(N, N) score change of swapping i and j in round r; -inf where not allowed.

        Every term is x[j, i] + x[i, j] for the change x[j, i] of i taking j's station (leaving
        its own), which depends on j only through j's station and category: it is gathered
        from a (stations x categories, N) table by j's (station, category), which keeps arrays
        C-ordered and numpy fast, and added to its transpose once; i and j never meet in the
        swap, hence -join. A move i may not make (i held, or the station visited or, at
        tables, its own) is -inf in the table, so every swap that needs it is -inf."""
        table = np.ascontiguousarray(np.where(may, change, -np.inf).T)
        code = own
        if self.has_cat:  # (K x categories, N); else (K, N)
            table = (table[:, None, :] - self._swap_gaps(r, own)[None]).reshape(-1, table.shape[1])
            code = own * self.cat_rows + self.cat_row
        side = table[code]
        side -= self.join
        return side + side.T

    def _may_take(self, r: int, own: np.ndarray) -> np.ndarray:
        """[i, k]: i may take a seat at station k in round r (by the hard rules)."""
        if self.p.no_revisit:  # the own station is visited, so this also keeps groups apart
            may = self.visits == 0
        else:
            may = np.arange(self.p.n_stations)[None, :] != own[:, None]
        return may & self.movable[r][:, None]

    def _swap_gaps(self, r: int, own: np.ndarray) -> np.ndarray:
        """[c, i]: weighted change in category gaps on i's side when i takes the station of
        someone of category c (the last row: no category): i's category may vanish from i's
        group, c may join it (0 for c = i's own category, whose exchange changes no group's
        mix; c is never missing from i's group then)."""
        cnt = self.cnt[r]
        lose = self.other_cat & (cnt[own, self.cat_safe] == 1)  # i's category leaves with i
        gaps = lose.astype(np.float64)
        gaps[:-1] -= cnt[own].T == 0  # [c, i]: category c missing from i's group (last: none)
        return self.w["categories"] * gaps

    def _move_ceiling(self, r: int, change: np.ndarray, may: np.ndarray) -> float:
        """No move of round r scores more (``move_scores``): the best pair-and-preference
        change to a seat one may take, plus the most the seat terms can add."""
        cols = self._open_seats(r)
        if cols.size == 0:
            return -np.inf
        return np.where(may[:, cols], change[:, cols], -np.inf).max() + self.move_slack

    def _open_seats(self, r: int) -> np.ndarray:
        """Stations a move may go to in round r: a free seat (at tables, someone there)."""
        size = self.sizes[r]
        cols = np.flatnonzero(size < self.p.capacity)
        if self.p.mode == "tables":  # nobody sat alone (``staffing.nobody_alone``)
            cols = cols[size[cols] > 0]
        return cols

    def move_scores(self, r: int, own: np.ndarray, change: np.ndarray,
                    may: np.ndarray) -> np.ndarray:  # fmt: skip
        """(N, K) score change of moving i to station k in round r; -inf where not allowed.
        Only the stations with a free seat are scored (in full rooms most steps have none)."""
        p, w = self.p, self.w
        size = self.sizes[r]
        out = np.full(change.shape, -np.inf)
        cols = self._open_seats(r)
        ok = may[:, cols] & (size[own] > self.floor[r, own])[:, None]
        if p.mode == "tables":  # nobody left alone
            ok &= (size[own] != 2)[:, None]
        if not ok.any():
            return out
        total = change[:, cols]
        if self.has_cat:
            total -= w["categories"] * self._move_gaps(r, own, cols)
        if self.has_min_size:
            total -= w["min_size"] * self._move_shortfall(size, own, cols)
        out[:, cols] = np.where(ok, total, -np.inf)
        return out

    def _move_gaps(self, r: int, own: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """[i, k]: change in category gaps when i moves from its station to station k of
        ``cols``, gathered by i's category from a table per station it leaves (the group's
        gaps gone where i was alone, else one more where i was the last of its category) and
        one per station it joins (the gaps of a group opened, else one fewer where i's
        category was missing); the last row: no category."""
        cnt, size = self.cnt[r], self.sizes[r]
        present, absent = cnt.any(axis=0), cnt == 0
        emptied = -(absent & present).sum(axis=1)  # gaps a group loses emptying
        last = np.zeros((size.size, self.cat_rows), dtype=np.int64)  # the last column: none
        last[:, :-1] = cnt == 1
        leave = np.where((size == 1)[:, None], emptied[:, None], last)
        opened = int(present.sum()) - self.cat_real
        missing = np.zeros((self.cat_rows, cols.size), dtype=np.int64)
        missing[:-1] = absent[cols].T
        into = np.where((size[cols] == 0)[None, :], opened[:, None], -missing)
        return leave[own, self.cat_row][:, None] + into[self.cat_row]

    def _move_shortfall(self, size: np.ndarray, own: np.ndarray, cols: np.ndarray) -> np.ndarray:
        low, s = self.p.min_size, size + np.array([[-1], [0], [1]])  # one fewer, now, one more
        fewer, now, more = np.where((s > 0) & (s < low), low - s, 0)  # seats short of ``low``
        return (fewer - now)[own][:, None] + (more - now)[cols][None, :]

    # -- moves -----------------------------------------------------------------------------
    def relocate(self, r: int, i: int, k: int) -> None:
        row = self.a[r]
        old = row[i]
        met = (row == k).astype(np.int32) - (row == old)  # +1 the new mates, -1 the old
        met[i] = 0
        self.m[i] += met
        self.m[:, i] += met
        unmet_once = unmet_once_of(self.m[i], self.p.valuable[i])
        self.pair[:2, i, :] = self.pair[:2, :, i] = unmet_once
        self.join[i, :] = self.join[:, i] = self._join(unmet_once[0], i)
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
        own, change = self._round_terms(r)
        free = self.tabu[r] <= it
        aspire = self.best_score - self.score + 1e-9  # a tabu move must beat the best plan
        may = self._may_take(r, own)
        swaps = self._not_tabu(self.swap_scores(r, own, change, may), free, aspire)
        best_swap, best_move = swaps.max(), -np.inf
        if best_swap == -np.inf or self._move_ceiling(r, change, may) >= best_swap - 1e-6:
            moves = self.move_scores(r, own, change, may)
            moves = np.where(free[:, None] | (moves > aspire), moves, -np.inf)
            best_move = moves.max()
        if max(best_swap, best_move) == -np.inf:
            return
        if best_swap >= best_move:
            i, j = self._pick(swaps, best_swap)
            self.swap(r, i, j)
            self.tabu[r, i], self.tabu[r, j] = it + self.rng.integers(*TENURE, size=2)
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

    @staticmethod
    def _not_tabu(swaps: np.ndarray, free: np.ndarray, aspire: float) -> np.ndarray:
        """``swaps`` (changed in place) with -inf for the swaps of a tabu person that do not
        score above ``aspire``: their rows and columns only, not the whole matrix."""
        held = np.flatnonzero(~free)
        if held.size:
            swaps[held] = np.where(swaps[held] > aspire, swaps[held], -np.inf)
            swaps[:, held] = np.where(swaps[:, held] > aspire, swaps[:, held], -np.inf)
        return swaps

    def _more_swaps(self, r: int, it: int, own: np.ndarray, swaps: np.ndarray, *,
                    used: set[int]) -> None:  # fmt: skip
        """After the step's swap (between the groups ``used``), every further improving swap
        of round r between two groups no swap of this step touched, each person's best first
        (``own``, ``swaps``: as the step scored them). A swap changes only the pair terms and
        the category mix of its two groups in this round, so the step's scores still hold."""
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
            self.tabu[r, i], self.tabu[r, j] = it + self.rng.integers(*TENURE, size=2)
            self.score += value[i]

    def _pick(self, scores: np.ndarray, top: float) -> tuple[int, ...]:
        """A seeded choice among the best-scoring moves."""
        ties = np.flatnonzero(scores >= top - 1e-9)
        flat = int(ties[self.rng.integers(ties.size)])
        return divmod(flat, scores.shape[1]) if scores.ndim == 2 else (flat,)

    def kick(self) -> None:
        """Back to the best plan, then a few random allowed swaps (a new random stream)."""
        self.rng = np.random.default_rng(int(self.rng.integers(2**32)))
        self._reset(self.best)
        for _ in range(KICKS):
            r = int(self.open[self.rng.integers(self.open.size)])
            own, change = self._round_terms(r)
            swaps = self.swap_scores(r, own, change, self._may_take(r, own))
            options = np.argwhere(np.isfinite(swaps))
            if len(options):
                i, j = options[self.rng.integers(len(options))]
                self.swap(r, int(i), int(j))
        self.score = plan_score(self.p, self.a)


def tabu_improve(problem: Problem, assign: np.ndarray, *, seed: int, steps: int,
                 deadline: float, target: float = math.inf) -> np.ndarray:  # fmt: skip
    """The best plan found by ``steps`` tabu steps from ``assign`` (never worse than it), or
    fewer where ``GIVE_UP`` steps bring no better plan or the plan scores ``target`` (no plan
    can score more: ``engine.perfect_score``)."""
    return TabuRun(problem, assign, seed=seed, steps=steps, deadline=deadline, target=target).run()


class TabuRun:
    """``tabu_improve`` in parts: ``run(share)`` goes on to that share of the steps, as one run."""

    def __init__(self, problem: Problem, assign: np.ndarray, *, seed: int, steps: int,
                 deadline: float, target: float = math.inf) -> None:  # fmt: skip
        self.steps, self.deadline, self.target = steps, deadline, target
        self.search = PersonTabu(problem, assign, seed) if steps > 0 and applies(problem) else None
        self.best = assign if self.search is None else self.search.best
        self.best_score = -math.inf if self.search is None else self.search.best_score
        self.it = self.last_gain = self.last_best = 0
        self.stopped = self.search is None

    def run(self, share: float = 1.0) -> np.ndarray:
        """The best plan after the steps up to ``share`` of the budget (or the stop)."""
        search, end = self.search, int(self.steps * share)
        while not self.stopped and self.it < end:
            it = self.it
            out_of_time = it % 32 == 0 and time.perf_counter() > self.deadline
            settled = it - self.last_best >= GIVE_UP or self.best_score >= self.target - 1e-9
            if out_of_time or settled:
                self.stopped = True
                break
            search.step(it)
            if search.best_score > self.best_score + 1e-9:
                self.best, self.best_score = search.best, search.best_score
                self.last_gain = self.last_best = it
            elif it - self.last_gain >= STALL:
                search.kick()
                self.last_gain = it
            self.it += 1
        return self.best
