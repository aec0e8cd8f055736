"""The code-count search's annealing once its steps go idle: every step a move.

A step of ``CodeAnnealer.anneal`` draws a person and a code for them from the heat-bath
weights; mostly the draw is the code they have (70-90 % of the steps on realistic
requests, 99.5 % on 35 people at 3 stations for 3 rounds: 28 moves in 5,250 steps), and
the step changes nothing. Here every person's weights are scored at once, which gives each
person's chance to draw another code: the mover is drawn by that chance, the code by the
heat-bath weights of the others (rejection-free, as in the "n-fold way" of kinetic Monte
Carlo), and each move is charged what the scoring costs in one-by-one steps
(``cost_in_steps``). So the budget, still counted in steps and the temperature falling
over it as before, buys moves instead of idle draws (that request: about 430 moves).
``CodeAnnealer.anneal`` hands over to it once the last steps moved fewer people than that
would. On the 47 code-search requests among ``realistic.request(n)``, n < 300, seeds 1-2:
+0.008 % new pairs (16 plans better, 8 worse; that request 434 -> 439, the best known),
the same time; skipping the idle steps instead (the same chain as one by one, in
distribution) gained nothing.
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

    def __init__(self, search: CodeAnnealer, charge: float) -> None:
        self.s = s = search
        self.charge = charge  # steps a move costs (``cost_in_steps``)
        self.members, self.own = s.members, s.own_by_group
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
        the start), a move for every scoring of everybody; the best (objective, codes) seen,
        ``best`` or better."""
        s = self.s
        best_value, best_codes = best
        while time.perf_counter() <= deadline:
            temperature = s.start_temperature * (1 - step / steps) + 1e-3
            scored = [self._scored(g, temperature) for g in self.groups]
            chance = np.concatenate([c for _, _, c in scored])
            step += self.charge
            if step > steps or not chance.sum() > 0.0:  # out of budget, or frozen
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
