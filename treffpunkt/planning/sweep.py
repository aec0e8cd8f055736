"""Annealing by sweeps over a round, on the tabu search's scores of all moves of a round.

``search.py``'s annealing scores one person's moves per step (up to 64 partners), about 100
microseconds a step on small meetings, nearly all of it numpy's overhead per call. Here one
round's swaps and moves are scored at once (``PersonTabu.swap_scores``, ``move_scores``: a
few N x N operations), and then every person of the round in random order takes the best
of its moves (a random one among equals) under the Metropolis rule. A move changes the pair
terms and the category mix of its two groups in this round only, so the scores of the moves
between the other groups still hold: each person is offered only those (``clean``), and a
sweep makes several moves for one scoring. Where the budget bounds the search (small
meetings with many rounds, where eight times the annealing's steps found 0.85 % more new
pairs), a sweep does the work of dozens of steps. It runs after the tabu search and before
the annealing, which keeps its whole-schedule swaps and its moves that leave someone alone
for a while (``polish._anneal``).
"""

from __future__ import annotations

import math
import time

import numpy as np

from .acceptance import accepted
from .person_tabu import PersonTabu, applies
from .request import Problem

# Times the weight of a new pair, falling to 0 as in ``search.py`` (0.15: -0.01 %, 0.6:
# -0.04 % new pairs on realistic 0-99 and the tables requests of 100-299, seeds 1-2).
START_TEMPERATURE = 0.3
# Budget, in units of a person pair's share of a sweep (about 15 ns here): a sweep costs
# about N^2 + ``PERSON_COST`` N + ``SWEEP_COST`` of them (45 people: 160 microseconds, 277:
# 1.8 ms) and each move it makes ``MOVE_COST``; ``SWEEPS_PER_ROUND`` sweeps per open round, at
# most ``SWEEP_WORK`` (about 0.1 s). Measured on realistic 0-99 and the 73 tables requests of
# 0-299, seeds 1-2 (``plan()`` in one process): +0.022 % and +0.108 % new pairs for 6 % and
# 12 % more time; twice the budget +0.034 % more for 15 % more time; the annealing after the
# sweeps cut to half lost 0.012 % (it keeps its whole-schedule swaps and moves that leave
# someone alone for a while).
SWEEPS_PER_ROUND = 60
SWEEP_WORK = 6_000_000
PERSON_COST = 70
SWEEP_COST = 7_000
# A move a sweep makes (about 45 microseconds): on many small tables a sweep makes 7-13,
# most of them between equals (64 people at 21 tables: 0.53 -> 0.80 s from a cold start
# where only sweeps were counted, 0.63 s so).
MOVE_COST = 3_000
# Where this share of the sweeps found nothing better, the rest is not spent (half, as in
# ``search.py``; a quarter: 3 % less time, 17 of 270 plans worse, none better).
GIVE_UP_SHARE = 0.5


def sweep_work(problem: Problem) -> int:
    """The sweeps' budget in work units: ``SWEEPS_PER_ROUND`` sweeps per open round, at most
    ``SWEEP_WORK``, times ``effort``."""
    per_rounds = SWEEPS_PER_ROUND * (problem.n_rounds - problem.n_frozen) * _sweep_cost(problem)
    return int(min(per_rounds, SWEEP_WORK) * problem.effort)


def _sweep_cost(problem: Problem) -> int:
    n = problem.n_people
    return n * n + PERSON_COST * n + SWEEP_COST


def sweep_anneal(problem: Problem, assign: np.ndarray, *, seed: int, work: int,
                 deadline: float) -> np.ndarray:  # fmt: skip
    """The best plan found by sweeps from ``assign`` (never worse than it) until they have
    done ``work`` (``sweep_work``: a sweep and each move it makes counted); the open rounds
    take turns, the temperature falls linearly to 0 with the work done. Where
    ``GIVE_UP_SHARE`` of the work found nothing better, the plan is a local optimum."""
    if work <= 0 or not applies(problem):
        return assign
    state = Sweeps(problem, assign, seed)
    rounds, start_score, cost = state.open, state.score, _sweep_cost(problem)
    start = START_TEMPERATURE * problem.weights["new_pairs"]
    done, give_up, s = 0, work * GIVE_UP_SHARE, 0
    while done < work:
        if s % 8 == 0 and time.perf_counter() > deadline:
            break
        if done >= give_up:
            if state.best_score <= start_score + 1e-9:
                break
            give_up = math.inf
        moves = state.sweep(int(rounds[s % rounds.size]), start * (1 - done / work))
        done += cost + MOVE_COST * moves
        s += 1
    return state.best


class Sweeps(PersonTabu):
    """A plan under annealing by sweeps, on the scores and moves of the tabu search."""

    def sweep(self, r: int, temperature: float) -> int:
        """Every movable person of round r in random order: its best move between groups
        no move of this sweep touched, made where the Metropolis rule accepts it.

        Each person's best move and its chance are drawn for all at once; a person whose
        best move the rule turns down would be turned down among fewer groups too, so only
        the others are looked at one by one, and after a move their moves are taken again
        among the clean groups. Returns the number of moves made."""
        own, change = self._round_terms(r)
        may = self._may_take(r, own)
        swaps = self.swap_scores(r, own, change, may)
        moves = self.move_scores(r, own, change, may)
        order = self.rng.permutation(np.flatnonzero(self.movable[r]))
        chance = self.rng.random(order.size)
        best = np.maximum(swaps.max(axis=1), moves.max(axis=1))[order]
        taken = accepted(best, chance, temperature)
        clean = None  # the groups no move of this sweep touched, from the first move on
        moves_made = 0
        for a, u, delta in zip(*(x[taken].tolist() for x in (order, chance, best)), strict=True):
            swap_row, move_row = swaps[a], moves[a]
            if clean is None:
                clean = np.ones(self.p.n_stations, dtype=bool)
            elif not clean[own[a]]:
                continue
            else:
                swap_row = np.where(clean[own], swap_row, -np.inf)
                move_row = np.where(clean, move_row, -np.inf)
                delta = max(swap_row.max(), move_row.max())
                if not accepted(delta, u, temperature):
                    continue
            self._make_best(r, a, swap_row, move_row, own, clean)
            moves_made += 1
            self.score += delta
            if self.score > self.best_score + 1e-9:
                self.best, self.best_score = self.a.copy(), self.score
        return moves_made

    def _make_best(self, r: int, a: int, swap_row: np.ndarray, move_row: np.ndarray,
                   own: np.ndarray, clean: np.ndarray) -> None:  # fmt: skip
        """a's best swap or move of round r (the swap on a tie; a random one among equals:
        the first of them would walk the same few paths), its groups marked touched."""
        if swap_row.max() >= move_row.max():
            (b,) = self._pick(swap_row, swap_row.max())
            self.swap(r, a, int(b))
            clean[own[b]] = False
        else:
            (k,) = self._pick(move_row, move_row.max())
            self.relocate(r, a, int(k))
            clean[k] = False
        clean[own[a]] = False
