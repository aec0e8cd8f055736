"""The code-count search's annealing without its idle steps, for small code spaces.

A step of ``CodeAnnealer.anneal`` draws a person and a code for them from the heat-bath
weights; mostly the draw is the code they have (70-90 % of the steps on realistic
requests, 99.5 % on 35 people at 3 stations for 3 rounds), and the step changes nothing.
Here every person's weights are scored at once, which gives the chance that a step moves
somebody: the steps until the next move are drawn from the geometric distribution with that
chance, and the move from the weights of the moves (the "n-fold way" of kinetic Monte
Carlo; the same chain of plans as the one-by-one steps, in distribution). The temperature
is held over the steps skipped. A round of scoring costs about as much as a few steps
where the code space is small (``cost_in_steps``), so ``CodeAnnealer.anneal`` hands over
to it once the steps go mostly idle; the budget is still counted in steps. On 14 realistic
requests with 6-120 codes per attendance group: the same new pairs on average, 11 % less
time from a cold start (35 people at 3 stations for 3 rounds: 0.92 -> 0.56 s).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .countsearch import CodeAnnealer

# What scoring everybody's codes costs, in steps of ``CodeAnnealer.anneal``: about this many
# per attendance group, and one more per ``WORK_PER_STEP`` people x codes (measured on 12
# realistic requests: 7-18 steps for 3-4 groups up to 10,000 people x codes, 32-73 steps at
# 70,000-114,000).
STEPS_PER_GROUP = 3
WORK_PER_STEP = 1_500


def cost_in_steps(search: CodeAnnealer) -> float:
    """What one round of scoring everybody costs, in one-by-one steps."""
    sizes = np.bincount(search.group_of, minlength=len(search.span))
    work = sum(int(n) * (hi - lo) for n, (lo, hi) in zip(sizes, search.span, strict=True))
    return STEPS_PER_GROUP * int((sizes > 0).sum()) + work / WORK_PER_STEP


class Jumps:
    """``CodeAnnealer.anneal`` as a sequence of moves; ``costs_of(g)`` scores group g."""

    def __init__(self, search: CodeAnnealer) -> None:
        self.s = s = search
        group_of = np.array(s.group_of, dtype=np.int64)
        self.members = [np.flatnonzero(group_of == g) for g in range(len(s.span))]
        self.own = [np.array([s.own_cost[i] for i in people]).reshape(people.size, hi - lo)
                    for people, (lo, hi) in zip(self.members, s.span, strict=True)]  # fmt: skip
        self.groups = [g for g, people in enumerate(self.members) if people.size]
        self.offsets = np.cumsum([0] + [self.members[g].size for g in self.groups])  # of rows

    def costs_of(self, g: int) -> np.ndarray:
        """(people of group g, codes of g): ``CodeAnnealer.costs`` of each of them. A code
        is full where its cells are full with the person counted, less the cells it shares
        with the person's own code that are full only by them; likewise for the floor."""
        s, people = self.s, self.members[g]
        lo, hi = s.span[g]
        u = s.carried[people]
        incidence = s.incidence[g]
        mine = incidence[u - lo]  # (people, cells) of their own codes
        load = s.load
        at_room = (load == s.room).astype(float)  # full, but not once its person leaves
        at_floor = (load == s.floor).astype(float)  # at the floor, below it once one leaves
        full = (incidence @ (load >= s.room))[None, :] - (mine * at_room) @ incidence.T
        below = incidence @ (load < s.floor)  # per code: cells below the floor
        short = (mine @ (load < s.floor) + mine @ at_floor)[:, None] - below[None, :]
        short -= (mine * at_floor) @ incidence.T
        cost = s.dist[lo:hi][None, :] - s.dist[u][:, None] - s.never[u, lo:hi] + s.penalty * short
        rows = np.arange(people.size)
        own = self.own[g]
        cost += own - own[rows, u - lo][:, None]
        cost -= s.apart[people, lo:hi] - s.apart[people, u][:, None]
        cost += s.colleague_cost * (s.shared[people, lo:hi] - s.shared[people, u][:, None])
        return np.where(full == 0, cost, np.inf)

    def anneal(self, step: int, steps: int, deadline: float, *, value: float,
               best: tuple[float, np.ndarray]) -> tuple[float, np.ndarray]:  # fmt: skip
        """``CodeAnnealer.anneal`` on from ``step`` of ``steps`` (objective ``value`` against
        the start), skipping the idle steps; the best (objective, codes) seen, ``best`` or
        better."""
        s = self.s
        best_value, best_codes = best
        while time.perf_counter() <= deadline:
            temperature = s.start_temperature * (1 - step / steps) + 1e-3
            scored = [self._scored(g, temperature) for g in self.groups]
            chance = np.concatenate([c for _, _, c in scored])
            total = float(chance.sum())
            if total <= 0.0:  # frozen: no step would move anybody
                break
            step += int(s.rng.geometric(min(1.0, total / chance.size)))
            if step > steps:
                break
            slot, row, pick = self._draw_move(scored, chance)
            g = self.groups[slot]
            s._carry(int(self.members[g][row]), s.span[g][0] + pick)
            value += float(scored[slot][1][row, pick])
            if value < best_value - 1e-9:
                best_value, best_codes = value, s.carried.copy()
        return best_value, best_codes

    def _draw_move(self, scored: list, chance: np.ndarray) -> tuple[int, int, int]:
        """(slot in ``groups``, row, code of that group) of the next move: the person drawn
        by their chance to move, the code by the heat-bath weights of the others."""
        rng = self.s.rng
        cumulative = np.cumsum(chance)
        flat = int(np.searchsorted(cumulative, rng.random() * cumulative[-1]))
        flat = min(flat, chance.size - 1)
        slot = int(np.searchsorted(self.offsets, flat, side="right")) - 1
        row = flat - int(self.offsets[slot])
        g = self.groups[slot]
        weights = scored[slot][0][row].copy()
        weights[int(self.s.carried[self.members[g][row]]) - self.s.span[g][0]] = 0.0  # theirs
        picks = np.cumsum(weights)
        pick = int(np.searchsorted(picks, rng.random() * picks[-1]))
        return slot, row, min(pick, weights.size - 1)

    def _scored(self, g: int, temperature: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Group g's heat-bath weights (people x codes), costs, and each person's chance of
        drawing another code than theirs."""
        cost = self.costs_of(g)
        weights = np.exp((cost.min(axis=1, keepdims=True) - cost) / temperature)
        here = self.s.carried[self.members[g]] - self.s.span[g][0]
        stay = weights[np.arange(here.size), here]
        return weights, cost, np.maximum(1.0 - stay / weights.sum(axis=1), 0.0)
