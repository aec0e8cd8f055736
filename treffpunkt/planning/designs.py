"""Zero-repeat designs for tables mode: g groups of s points over w rounds, no pair twice.

* ``transversal``: stations Z_n, point (row i, column x) sits at x + r*i (mod n) in round r.
  Two rows i, j never meet twice while every difference d = j - i has order n/gcd(n, d) of
  at least w; row 0 never moves (hosts). Covers large meetings (e.g. 250 tables of 8).
* the method of differences (Kirkman 5-3-7, nearly Kirkman 6-3-8, 10-4-10) is in
  ``cyclic.py``.

Each function returns an array (w, g*s) of group numbers per point, or None.
"""

from __future__ import annotations

from math import gcd

import numpy as np

SPREAD_NODES = 20_000  # depth-first nodes for a partial spread: a work budget


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

    nodes = [0]

    def extend(chosen, used, start):
        if len(chosen) == w:
            return chosen
        nodes[0] += 1
        if nodes[0] > SPREAD_NODES:  # e.g. no 10 disjoint planes in F_2^5: give up
            return None
        for i in range(start, len(candidates)):
            if not (candidates[i] - {0}) & used:
                found = extend([*chosen, candidates[i]], used | candidates[i], i + 1)
                if found:
                    return found
        return None

    return extend([], set(), 0)
