"""The Metropolis rule of both annealings (``search.py`` one move a step, ``sweep.py`` a
round's people at once): gains always, a loss of d with chance exp(-d / temperature), at 0
degrees only a fifth of the moves that change nothing."""

from __future__ import annotations

import numpy as np

# A score change this small is rounding (weights that are not whole numbers), not a change:
# a move that changes nothing scores +-1e-15 there.
ROUNDING = 1e-9


def accepted(delta: np.ndarray | float, chance: np.ndarray | float,
             temperature: float) -> np.ndarray:  # fmt: skip
    """Whether moves changing the score by ``delta`` are taken, with ``chance`` drawn
    uniformly in [0, 1) for each; -inf (no move) never."""
    if temperature <= 0:
        return (delta > ROUNDING) | ((np.abs(delta) <= ROUNDING) & (chance < 0.2))
    if isinstance(delta, float):  # one move (most calls): a gain decides before exp could overflow
        return delta > ROUNDING or chance < np.exp(delta / temperature)
    with np.errstate(over="ignore"):
        return (delta > ROUNDING) | (chance < np.exp(delta / temperature))
