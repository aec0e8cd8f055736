"""Zero-repeat designs for tables mode: g groups of s points over w rounds, no pair twice.

* ``transversal``: stations Z_n, point (row i, column x) sits at x + r*i (mod n) in round r.
  Two rows i, j never meet twice while every difference d = j - i has order n/gcd(n, d) of
  at least w; row 0 never moves (hosts). Covers large meetings (e.g. 250 tables of 8).
* ``doubled_affine``: g = 2q groups of q, w <= 2(q + 1) (8-4-10, 6-3-8): two affine planes
  of order q on the same q^2 base points, each point doubled (see the function).
* the method of differences (Kirkman 5-3-7, nearly Kirkman 6-3-8, 10-4-10) is in
  ``cyclic.py``.

Each function returns an array (w, g*s) of group numbers per point, or None.
"""

from __future__ import annotations

import itertools
from math import gcd

import numpy as np

from .diffmatrix import field, prime_power

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


def doubled_affine(g: int, s: int, w: int) -> np.ndarray | None:
    """Points (p, e): p a point of AG(2, q), e in {0, 1}; q = s, g = 2q, w <= 2(q + 1).

    A line B of a parallel class with a bit x_B(p) per point gives two groups,
    {(p, x_B(p))} and {(p, 1 - x_B(p))}; a parallel class of the plane gives a round. The
    rounds come from two affine planes: AG(2, q) and its image under a permutation pi that
    keeps no three collinear points collinear, so every base pair lies on exactly one line of
    each. A line covers the pair {p, q} as "same" ((0,0), (1,1)) if x_B(p) = x_B(q), else as
    "different" ((0,1), (1,0)); asking one of each from the two lines through {p, q} is a
    linear system over GF(2), solved by elimination. Then every pair (p, e), (q, f) with
    p != q meets exactly once, and (p, 0), (p, 1) never: for q = 4 the original 8-4-10.
    pi is the first of x -> x + a y^2, y -> y + b x^2 (a, b in GF(q)) that works, if any.
    """
    q = s
    if g != 2 * q or w > 2 * (q + 1) or q < 2 or prime_power(q) is None:
        return None
    first = _affine_plane(q)
    add, mul = field(q)
    for a, b in itertools.product(range(1, q), repeat=2):
        perm = [add[x, mul[a, mul[y, y]]] * q + add[y, mul[b, mul[x, x]]]
                for x in range(q) for y in range(q)]  # fmt: skip
        if len(set(perm)) < q * q:
            continue
        second = [[[perm[p] for p in line] for line in cls] for cls in first]
        bits = _parity_bits([line for cls in first + second for line in cls])
        if bits is not None:
            return _doubled_rounds(first + second, bits, q)[:w]
    return None


def _affine_plane(q: int) -> list[list[list[int]]]:
    """Parallel classes of AG(2, q); point (x, y) = x*q + y."""
    add, mul = field(q)
    classes = [[[x * q + int(add[mul[m, x], c]) for x in range(q)] for c in range(q)]
               for m in range(q)]  # fmt: skip
    classes.append([[c * q + y for y in range(q)] for c in range(q)])
    return classes


def _parity_bits(lines: list[list[int]]) -> list[dict[int, int]] | None:
    """x_B(p) with x_B(p) + x_B(q) + x_B'(p) + x_B'(q) = 1 for the two lines B, B' through
    every pair {p, q}; None if some pair is not on exactly two lines or no solution exists."""
    var = {(b, p): n for n, (b, p) in enumerate((b, p) for b, line in enumerate(lines)
                                                  for p in line)}  # fmt: skip
    through: dict[tuple[int, int], list[int]] = {}
    for b, line in enumerate(lines):
        for p, r in itertools.combinations(sorted(line), 2):
            through.setdefault((p, r), []).append(b)
    pivots: dict[int, tuple[int, int]] = {}  # leading bit -> (row bits, right-hand side)
    for (p, r), on in through.items():
        if len(on) != 2:
            return None
        row = 0
        for b in on:
            row ^= (1 << var[b, p]) ^ (1 << var[b, r])
        if not _eliminate(pivots, row, 1):
            return None
    x = [0] * len(var)
    for bit, (_, rhs) in pivots.items():  # reduced form: free variables 0
        x[bit] = rhs
    return [{p: x[var[b, p]] for p in line} for b, line in enumerate(lines)]


def _eliminate(pivots: dict[int, tuple[int, int]], row: int, rhs: int) -> bool:
    """Add one equation to a reduced GF(2) system; False if it contradicts it."""
    for bit, (prow, prhs) in pivots.items():
        if row >> bit & 1:
            row, rhs = row ^ prow, rhs ^ prhs
    if row == 0:
        return rhs == 0
    lead = row.bit_length() - 1
    for bit, (prow, prhs) in list(pivots.items()):
        if prow >> lead & 1:
            pivots[bit] = (prow ^ row, prhs ^ rhs)
    pivots[lead] = (row, rhs)
    return True


def _doubled_rounds(classes: list, bits: list[dict[int, int]], q: int) -> np.ndarray:
    rounds, b = [], 0
    for cls in classes:
        row = np.empty(2 * q * q, dtype=np.int64)
        for k, line in enumerate(cls):
            for p in line:
                row[2 * p + bits[b][p]] = 2 * k
                row[2 * p + 1 - bits[b][p]] = 2 * k + 1
            b += 1
        rounds.append(row)
    return np.array(rounds)
