"""Local search on a complete plan with incremental scoring.

Moves work inside one round: swap two people between stations, or move one person to a
station with room. Each step picks a person and scores all its candidate moves at once with
numpy (O(candidates x group size)), from the pair meeting counts kept up to date. Acceptance
is simulated annealing with a temperature falling to zero over a budget counted in steps, so
the same request and seed give the same plan on every machine; the wall-clock limit is only
a safety stop that returns the best plan found so far.
"""

from __future__ import annotations

import time

import numpy as np

from .acceptance import ROUNDING, accepted
from .feasibility import staff_floor
from .metrics import meet_counts, most_seat_gain
from .person_tabu import unmet_once_of
from .request import Problem


class Search:
    """A plan under local search; ``best`` holds the best assignment seen."""

    def __init__(self, problem: Problem, assign: np.ndarray, seed: int):
        self.p = p = problem
        self.rng = np.random.default_rng(seed)
        n, k = p.n_people, p.n_stations
        self.a = assign.copy()
        self.w = p.weights
        pad = np.zeros((n + 1, n + 1), dtype=np.int16)  # row/column n: the empty seat
        pad[:n, :n] = meet_counts(assign)
        self.met = pad
        self.val = np.zeros((n + 1, n + 1), dtype=bool)
        self.val[:n, :n] = p.valuable
        self.col = np.zeros((n + 1, n + 1), dtype=bool)
        self.col[:n, :n] = p.colleague
        self.col_cost = self.w["colleagues"] * self.col
        # [i, y]: score for i newly sharing a group with y, and lost when i stops sharing one
        # with y; kept up to date move by move (whole rows: cheaper than gathering the pairs)
        self.joins, self.leaves = self._pair_values(slice(None))
        self.cat = p.cat
        self._build_groups(k)
        self.floor = staff_floor(p)
        self.has_min_size = p.has_min_size
        self.move_slack = most_seat_gain(p)  # bounds what moves' seat terms add
        self.rounds = np.arange(p.n_frozen, p.n_rounds)
        self.movable = [np.flatnonzero(p.present[r] & (p.fixed < 0)) for r in range(p.n_rounds)]
        self.patterns = self._pattern_groups()
        self.pattern_people = np.array(sorted(self.patterns), dtype=np.int64)
        # Code swaps keep every round's group shapes; they carry the person-level goals in
        # stations mode, where a single-round swap would often revisit a station.
        side_goals = (
            not problem.valuable.all(where=~np.eye(problem.n_people, dtype=bool))
            or problem.pref.any()
            or problem.has_categories
        )
        # Without person-level goals a code swap only relabels people: never worth a step.
        self.code_share = (0.5 if problem.no_revisit else 0.2) if side_goals else 0.0
        self.best, self.gain, self.best_gain = self.a.copy(), 0.0, 0.0

    def _build_groups(self, k: int) -> None:
        p, n = self.p, self.p.n_people
        width = int(p.capacity.max()) + 1  # one spare slot while a swap is half done
        self.mem = np.full((p.n_rounds, k, width), n, dtype=np.int64)
        self.pos = np.full((p.n_rounds, n), -1, dtype=np.int64)
        self.size = np.zeros((p.n_rounds, k), dtype=np.int64)
        c = max(len(p.categories), 1)
        self.cnt = np.zeros((p.n_rounds, k, c), dtype=np.int64)
        self.visits = np.zeros((n, k), dtype=np.int64)
        for r in range(p.n_rounds):
            for i in np.flatnonzero(self.a[r] >= 0):
                self._add(r, i, self.a[r, i])
                self.visits[i, self.a[r, i]] += 1
        self.in_round = self.cnt.sum(axis=1) > 0  # (R, C) categories present per round

    def _add(self, r: int, i: int, k: int) -> None:
        self.mem[r, k, self.size[r, k]] = i
        self.pos[r, i] = self.size[r, k]
        self.size[r, k] += 1
        if self.cat[i] >= 0:
            self.cnt[r, k, self.cat[i]] += 1

    def _remove(self, r: int, i: int) -> None:
        k, slot = self.a[r, i], self.pos[r, i]
        last = self.size[r, k] - 1
        moved = self.mem[r, k, last]
        self.mem[r, k, slot] = moved
        self.pos[r, moved] = slot
        self.mem[r, k, last] = self.p.n_people
        self.size[r, k] = last
        if self.cat[i] >= 0:
            self.cnt[r, k, self.cat[i]] -= 1

    # -- scoring ---------------------------------------------------------------------------
    def _pair_values(self, rows: int | slice) -> tuple[np.ndarray, np.ndarray]:
        """(joins, leaves) of the people ``rows`` (see ``__init__``)."""
        met, colleagues, new = self.met[rows], self.col_cost[rows], self.w["new_pairs"]
        unmet, once = unmet_once_of(met, self.val[rows])
        return new * unmet - colleagues, new * once - colleagues

    def _refresh_pair_values(self, i: int) -> None:
        """i's row and column of ``joins`` and ``leaves`` after i's meeting counts changed."""
        joins, leaves = self._pair_values(i)
        self.joins[i], self.leaves[i] = joins, leaves
        self.joins[:, i], self.leaves[:, i] = joins, leaves

    def _gap_change(self, r: int, k: np.ndarray, out_cat: np.ndarray, in_cat: np.ndarray):
        """Change in category gaps of groups k when one of out_cat leaves and in_cat joins."""
        cnt = self.cnt[r]
        lose = (out_cat >= 0) & (out_cat != in_cat) & (cnt[k, np.maximum(out_cat, 0)] == 1)
        fill = (in_cat >= 0) & (out_cat != in_cat) & (cnt[k, np.maximum(in_cat, 0)] == 0)
        return lose.astype(np.int64) - fill

    def swap_scores(self, r: int, a: int, cand: np.ndarray) -> np.ndarray:
        p, ka = self.p, self.a[r, a]
        kb = self.a[r, cand]
        mates_a = self.mem[r, ka]
        mates_a = mates_a[mates_a != a]
        gain_a = self.joins[a, self.mem[r, kb]].sum(axis=1) - self.joins[a, cand]
        loss_a = self.leaves[a, mates_a].sum()
        gain_b = self.joins[cand[:, None], mates_a[None, :]].sum(axis=1)
        loss_b = self.leaves[cand[:, None], self.mem[r, kb]].sum(axis=1)
        total = gain_a - loss_a + gain_b - loss_b
        ca, cb = np.full(cand.size, self.cat[a]), self.cat[cand]
        gaps = self._gap_change(r, np.full(cand.size, ka), ca, cb)
        gaps += self._gap_change(r, kb, cb, ca)
        total -= self.w["categories"] * gaps
        pref = p.pref[a, kb] - p.pref[a, ka] + p.pref[cand, ka] - p.pref[cand, kb]
        total += self.w["preferences"] * pref
        if p.no_revisit:
            ok = (self.visits[a, kb] == 0) & (self.visits[cand, ka] == 0)
            total = np.where(ok, total, -np.inf)
        return total

    def move_scores(self, r: int, a: int, beat: float = -np.inf) -> np.ndarray:
        """Score of moving a to each station (``-inf`` where not allowed); all ``-inf`` where
        no move could score above ``beat`` (the category and size terms then go unscored)."""
        p, ka = self.p, self.a[r, a]
        mates_a = self.mem[r, ka]
        mates_a = mates_a[mates_a != a]
        stations = np.arange(p.n_stations)
        ok = (self.size[r] < p.capacity) & (stations != ka)
        ok &= self.size[r, ka] > self.floor[r, ka]  # nobody leaves a station at its floor
        if p.no_revisit:
            ok &= self.visits[a] == 0
        total = self.joins[a, self.mem[r]].sum(axis=1) - self.leaves[a, mates_a].sum()
        total += self.w["preferences"] * (p.pref[a] - p.pref[a, ka])
        if np.where(ok, total, -np.inf).max() + self.move_slack < beat - 1e-6:
            return np.full(p.n_stations, -np.inf)
        total -= self.w["categories"] * self._move_gaps(r, a, ka, stations)
        if self.has_min_size:  # else every shortfall is 0
            total -= self.w["min_size"] * self._move_shortfall(r, ka, stations)
        return np.where(ok, total, -np.inf)

    def _move_gaps(self, r: int, a: int, ka: int, ks: np.ndarray) -> np.ndarray:
        ca, cnt, size = self.cat[a], self.cnt[r], self.size[r]
        present = self.in_round[r]
        if size[ka] == 1:  # the group empties: its gaps vanish
            out = -int((present & (cnt[ka] == 0)).sum())
        else:
            out = int(ca >= 0 and cnt[ka, ca] == 1)
        joined = np.where(ca >= 0, cnt[ks, max(ca, 0)] == 0, False).astype(np.int64)
        opened = int(present.sum()) - int(ca >= 0)
        return out + np.where(size[ks] == 0, opened, -joined)

    def _move_shortfall(self, r: int, ka: int, ks: np.ndarray) -> np.ndarray:
        low, size = self.p.min_size, self.size[r]

        def short(k, s):
            return np.where((s > 0) & (s < low[k]), low[k] - s, 0)

        here = short(ka, size[ka] - 1) - short(ka, size[ka])
        return here + short(ks, size[ks] + 1) - short(ks, size[ks])

    def code_swap_score(self, a: int, b: int) -> float:
        """Exact score change when a and b exchange their whole open-round schedules."""
        p, n = self.p, self.p.n_people
        rounds = self.rounds[self.a[self.rounds, a] != self.a[self.rounds, b]]
        ka, kb = self.a[rounds, a], self.a[rounds, b]
        if rounds.size == 0 or (p.no_revisit and not self._codes_fit(a, b, ka, kb)):
            return -np.inf
        groups_a = [self.mem[r, k, : self.size[r, k]] for r, k in zip(rounds, ka, strict=True)]
        groups_b = [self.mem[r, k, : self.size[r, k]] for r, k in zip(rounds, kb, strict=True)]
        # a takes b's groups and b takes a's, so b's change is the negative of a's.
        base = np.bincount(np.concatenate(groups_b), minlength=n + 1) - np.bincount(
            np.concatenate(groups_a), minlength=n + 1
        )
        base[[a, b, n]] = 0
        touched = np.flatnonzero(base)
        pair = np.array([a, b])[:, None]
        change = np.stack([base[touched], -base[touched]])
        before = self.met[pair, touched]
        gained = self.val[pair, touched] * ((before + change > 0).astype(np.int64) - (before > 0))
        total = self.w["new_pairs"] * gained.sum()
        total -= self.w["colleagues"] * (self.col[pair, touched] * change).sum()
        pref = p.pref[a, kb].sum() - p.pref[a, ka].sum() + p.pref[b, ka].sum() - p.pref[b, kb].sum()
        total += self.w["preferences"] * pref
        every_ka, every_kb = self.a[self.rounds, a][:, None], self.a[self.rounds][:, [b]]
        gaps = self._code_gaps_many(a, np.array([b]), every_ka, every_kb)[0]
        return total - self.w["categories"] * gaps

    def code_swap_scores(self, a: int, cand: np.ndarray) -> np.ndarray:
        """Score changes of code swaps of a with each candidate (same attendance, no frozen
        rounds). Exchanging whole schedules relabels people, so afterwards a meets y exactly
        as often as b met y before: only pairs where a and b differ (known, colleague) count.
        """
        p, w, n = self.p, self.w, self.p.n_people
        met_a, met_b = self.met[a, :n], self.met[cand, :n]
        keep = np.ones((cand.size, n), dtype=bool)
        keep[:, a] = False
        keep[np.arange(cand.size), cand] = False
        val = self.val[a, :n].astype(np.int64) - self.val[cand, :n]
        col = self.col[a, :n].astype(np.int64) - self.col[cand, :n]
        hit = (met_b > 0).astype(np.int64) - (met_a > 0)
        total = w["new_pairs"] * (val * hit * keep).sum(axis=1)
        total -= w["colleagues"] * (col * (met_b - met_a) * keep).sum(axis=1)
        rounds = self.rounds
        ka, kb = self.a[rounds, a][:, None], self.a[rounds][:, cand]  # (R', 1), (R', C)
        pref = p.pref[a, kb].sum(0) - p.pref[a, ka].sum()
        pref = pref + p.pref[cand[None, :], np.broadcast_to(ka, kb.shape)].sum(0)
        pref = pref - p.pref[cand[None, :], kb].sum(0)
        total += w["preferences"] * pref
        total -= w["categories"] * self._code_gaps_many(a, cand, ka, kb)
        return total

    def _code_gaps_many(self, a: int, cand: np.ndarray, ka, kb) -> np.ndarray:
        """Change in category gaps of code swaps of a with each candidate; ``ka`` (R', 1)
        and ``kb`` (R', C): their stations in the open rounds."""
        ca, cb = self.cat[a], self.cat[cand]
        cnt = self.cnt[self.rounds]  # (R', K, C)
        r_idx = np.arange(self.rounds.size)[:, None]
        moved = (ka != kb) & (cb != ca)[None, :]
        gaps = np.zeros(kb.shape, dtype=np.int64)
        ka_full = np.broadcast_to(ka, kb.shape)
        if ca >= 0:
            gaps += cnt[r_idx, ka_full, ca] == 1
            gaps -= cnt[r_idx, kb, ca] == 0
        cb_safe = np.maximum(cb, 0)[None, :]
        has_b = (cb >= 0)[None, :]
        gaps += has_b & (cnt[r_idx, kb, cb_safe] == 1)
        gaps -= has_b & (cnt[r_idx, ka_full, cb_safe] == 0)
        return (gaps * moved).sum(axis=0)

    def _codes_fit(self, a: int, b: int, ka: np.ndarray, kb: np.ndarray) -> bool:
        """Stations mode: the exchanged schedules must not revisit a frozen-round station."""
        frozen = self.a[: self.p.n_frozen]
        return not (np.isin(kb, frozen[:, a]).any() or np.isin(ka, frozen[:, b]).any())

    def code_swap(self, a: int, b: int) -> None:
        """a and b exchange their open-round schedules. Without held rounds that relabels
        them: each takes the other's seats and meeting counts (they meet each other as
        before), a few array writes instead of a move per round."""
        if self.p.n_frozen:  # held meetings stay with the person: move round by round
            for r in self.rounds:
                if self.a[r, a] != self.a[r, b]:
                    self.swap(r, a, b)
            return
        rounds = self.rounds[self.a[self.rounds, a] != self.a[self.rounds, b]]
        ka, kb = self.a[rounds, a], self.a[rounds, b]
        pa, pb = self.pos[rounds, a], self.pos[rounds, b]
        self.mem[rounds, ka, pa], self.mem[rounds, kb, pb] = b, a
        self.pos[rounds, a], self.pos[rounds, b] = pb, pa
        self.a[rounds, a], self.a[rounds, b] = kb, ka
        for person, left, joined in ((a, ka, kb), (b, kb, ka)):
            np.add.at(self.visits[person], left, -1)
            np.add.at(self.visits[person], joined, 1)
            if self.cat[person] >= 0:  # (round, station) pairs are distinct: plain writes
                self.cnt[rounds, left, self.cat[person]] -= 1
                self.cnt[rounds, joined, self.cat[person]] += 1
        swapped = [b, a]
        self.met[[a, b]] = self.met[swapped]
        self.met[:, [a, b]] = self.met[:, swapped]
        self._refresh_pair_values(a)
        self._refresh_pair_values(b)

    def _pattern_groups(self) -> dict[int, np.ndarray]:
        """Movable people by attendance pattern in the open rounds (code swaps stay inside)."""
        p = self.p
        movers = np.flatnonzero(p.fixed < 0)
        if movers.size == 0:
            return {}
        keys = np.packbits(p.present[self.rounds][:, movers], axis=0)
        _, label = np.unique(keys, axis=1, return_inverse=True)
        label = label.ravel()
        out = {}
        for g in np.unique(label):
            members = movers[label == g]
            for i in members:
                out[int(i)] = members
        return out

    # -- moves -----------------------------------------------------------------------------
    def _relocate(self, r: int, i: int, k: int) -> None:
        """Move i to station k in round r, updating meeting counts and group tables."""
        old = self.a[r, i]
        mates = self.mem[r, old, : self.size[r, old]]
        mates = mates[mates != i]
        self.met[i, mates] -= 1
        self.met[mates, i] -= 1
        self._remove(r, i)
        new_mates = self.mem[r, k, : self.size[r, k]]
        self.met[i, new_mates] += 1
        self.met[new_mates, i] += 1
        self._refresh_pair_values(i)
        self.a[r, i] = k
        self._add(r, i, k)
        self.visits[i, old] -= 1
        self.visits[i, k] += 1

    def swap(self, r: int, a: int, b: int) -> None:
        ka, kb = self.a[r, a], self.a[r, b]
        self._relocate(r, a, kb)
        self._relocate(r, b, ka)

    # -- driver ----------------------------------------------------------------------------
    def step(self, temperature: float, sample: int) -> None:
        if self.pattern_people.size and self.rng.random() < self.code_share:
            self._code_step(temperature, max(4, sample // 8))
        else:
            self._round_step(temperature, sample)

    def _code_step(self, temperature: float, sample: int) -> None:
        a = int(self.pattern_people[self.rng.integers(self.pattern_people.size)])
        mates = self.patterns[a]
        if mates.size < 2:
            return
        cand = mates[self.rng.choice(mates.size, min(sample, mates.size), replace=False)]
        cand = cand[cand != a]
        if self.p.n_frozen == 0:
            scores = self.code_swap_scores(a, cand)
        else:
            scores = np.array([self.code_swap_score(a, int(b)) for b in cand])
        if scores.size == 0 or not self._accept(scores.max(), temperature):
            return
        self.code_swap(a, int(cand[np.argmax(scores)]))
        self._record(scores.max())

    def _record(self, delta: float) -> None:
        self.gain += delta
        if self.gain > self.best_gain + 1e-9:
            self.best_gain = self.gain
            self.best = self.a.copy()

    def _round_step(self, temperature: float, sample: int) -> None:
        r = int(self.rounds[self.rng.integers(self.rounds.size)])  # rng.choice's draw, cheaper
        movers = self.movable[r]
        if movers.size == 0:
            return
        a = int(movers[self.rng.integers(movers.size)])
        ka = self.a[r, a]
        cand = movers[self.a[r, movers] != ka]
        if cand.size > sample:
            cand = cand[self.rng.choice(cand.size, sample, replace=False)]
        swaps = self.swap_scores(r, a, cand) if cand.size else np.empty(0)
        best_swap = swaps.max() if swaps.size else -np.inf
        moves = self.move_scores(r, a, beat=best_swap)  # a move is made only if it beats it
        best_move = moves.max()
        delta = max(best_swap, best_move)
        if not self._accept(delta, temperature):
            return
        if best_swap >= best_move:
            self.swap(r, a, int(cand[np.argmax(swaps)]))
        else:
            self._relocate(r, a, int(np.argmax(moves)))
        self._record(delta)

    def _accept(self, delta: float, temperature: float) -> bool:
        """``acceptance.accepted``, its chance drawn only where it decides."""
        if delta > ROUNDING or delta == -np.inf:
            return delta > ROUNDING
        if temperature <= 0 and abs(delta) > ROUNDING:
            return False
        return bool(accepted(delta, self.rng.random(), temperature))

    def run(self, steps: int, deadline: float, start_temp: float, sample: int = 64) -> None:
        """``steps`` annealing steps (temperature falls linearly to 0), or until deadline.

        A plan that half the budget could not improve at all is taken as locally optimal (a
        structured design usually is): the rest of the budget is not spent on it.
        """
        for s in range(steps):
            if s % 128 == 0 and time.perf_counter() > deadline:
                return
            if s == steps // 2 and self.best_gain <= 0:
                return
            self.step(start_temp * (1 - s / steps), sample)


def improve(problem: Problem, assign: np.ndarray, *, seed: int, steps: int,
            deadline: float, start_temp: float | None = None) -> np.ndarray:  # fmt: skip
    """Best plan found by local search from ``assign`` (never worse than ``assign``)."""
    if steps <= 0 or problem.n_frozen >= problem.n_rounds:
        return assign
    search = Search(problem, assign, seed)
    temp = 0.3 * problem.weights["new_pairs"] if start_temp is None else start_temp
    search.run(steps, deadline, temp)
    return search.best
