"""Difference matrices: the cluster schedules behind the few-large-groups designs.

A (g, k; 1) difference matrix over an abelian group G of order g is a k x g matrix D whose
rows differ pairwise by a permutation of G: for rows i != j, {D[i, c] - D[j, c]} = G.
Developed over G (row entries D[m, c] + x for every x in G) it gives g^2 codes of length k
that agree pairwise in at most one place, and any two places show every ordered pair of
symbols exactly once (an orthogonal array of strength 2). With row 0 all zero, the g codes of
column 0 are constant, and the other g(g - 1) codes never repeat a symbol: a schedule of
clusters in which no two clusters meet twice and nobody returns to a station.

* g a prime power: D[m, c] = m * c in GF(g) (k <= g rows).
* g a product of coprime prime powers: the direct product (k = the smallest factor's rows).
* g = 12 (and other orders up to 12): rows 2.. are mutually orthogonal orthomorphisms of
  G = Z_2^2 x Z_3, found by enumerating all normalised orthomorphisms breadth-first with
  numpy (16,512 of them) and a depth-first clique search with a node budget. Up to six rows
  exist (Johnson, Dulmage and Mendelsohn 1961: five MOLS of order 12).

No difference matrix with three rows exists over a cyclic group of even order (no
orthomorphisms), so orders 2 (mod 4) such as 6 and 10 get none here.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import numpy as np

SEARCH_MAX_ORDER = 12  # orthomorphisms of larger groups are too many to enumerate quickly
SEARCH_MAX_ROWS = 6  # order 12 has no more over an abelian group; more would burn the budget
CLIQUE_NODES = 3_000  # orthogonality checks in the clique search: a work budget


def prime_power(n: int) -> tuple[int, int] | None:
    """(p, e) with n = p^e, or None."""
    for p in range(2, n + 1):
        if n % p == 0:
            e = 0
            while n % p == 0:
                n, e = n // p, e + 1
            return (p, e) if n == 1 else None
    return None


def _factors(n: int) -> list[int]:
    """n as a product of coprime prime powers, smallest first."""
    out, p = [], 2
    while n > 1:
        if n % p == 0:
            q = 1
            while n % p == 0:
                n, q = n // p, q * p
            out.append(q)
        p += 1
    return sorted(out)


@cache
def field(q: int) -> tuple[np.ndarray, np.ndarray]:
    """Addition and multiplication tables of GF(q); element = base-p digits of a polynomial."""
    p, e = prime_power(q)  # type: ignore[misc]
    digits = np.array([[(x // p**i) % p for i in range(e)] for x in range(q)])
    weights = p ** np.arange(e)
    add = ((digits[:, None, :] + digits[None, :, :]) % p) @ weights
    modulus = _irreducible(p, e)
    mul = np.array([[_poly_mul(a, b, p, modulus) @ weights for b in digits] for a in digits])
    return add, mul


def _poly_mul(a: np.ndarray, b: np.ndarray, p: int, modulus: np.ndarray) -> np.ndarray:
    e = len(a)
    prod = np.convolve(a, b) % p
    for deg in range(len(prod) - 1, e - 1, -1):  # reduce by the monic modulus of degree e
        coef = prod[deg]
        if coef:
            prod[deg - e : deg + 1] = (prod[deg - e : deg + 1] - coef * modulus) % p
    return prod[:e]


def _irreducible(p: int, e: int) -> np.ndarray:
    """The first monic polynomial of degree e over GF(p) without roots or factors (coefs low
    to high); brute force is fine for the small fields a meeting needs."""
    for code in range(p**e):
        coefs = np.array([(code // p**i) % p for i in range(e)] + [1])
        if not any(_divides(f, coefs, p) for f in _monic_up_to(p, e // 2)):
            return coefs
    raise ValueError("no irreducible polynomial")  # cannot happen: one exists for every e


def _monic_up_to(p: int, deg: int) -> Iterator[np.ndarray]:
    for d in range(1, deg + 1):
        for code in range(p**d):
            yield np.array([(code // p**i) % p for i in range(d)] + [1])


def _divides(f: np.ndarray, g: np.ndarray, p: int) -> bool:
    rest = g.copy()
    for deg in range(len(rest) - 1, len(f) - 2, -1):
        coef = rest[deg]
        if coef:
            rest[deg - len(f) + 1 : deg + 1] = (rest[deg - len(f) + 1 : deg + 1] - coef * f) % p
    return not rest[: len(f) - 1].any()


def _product_group(order: int) -> tuple[list[int], np.ndarray]:
    """The group of order ``order`` as a product of prime-power fields' additive groups."""
    parts = _factors(order)
    add = np.zeros((1, 1), dtype=np.int64)
    for q in parts:
        add_q = field(q)[0]
        size = add.shape[0]
        # element = a * q + b for a in the group so far, b in GF(q)
        add = (add[:, None, :, None] * q + add_q[None, :, None, :]).reshape(size * q, size * q)
    return parts, add


def difference_matrix(order: int, rows: int) -> tuple[np.ndarray, np.ndarray] | None:
    """(D, add): a (order, rows; 1) difference matrix with row 0 zero and the group's
    addition table, or None if none is known or found here."""
    if rows < 1 or order < 2:
        return None
    parts, add = _product_group(order)
    if rows <= min(parts):  # products of the fields' m * c rows
        return _product_rows(parts, rows), add
    if order <= SEARCH_MAX_ORDER and rows <= min(order, SEARCH_MAX_ROWS):
        found = _searched_rows(add, rows)
        if found is not None:
            return found, add
    return None


def _product_rows(parts: list[int], rows: int) -> np.ndarray:
    out = np.zeros((rows, 1), dtype=np.int64)
    for q in parts:
        mul = field(q)[1]
        rows_q = mul[:rows]  # row m: m * c (m, c as field elements)
        out = (out[:, :, None] * q + rows_q[:, None, :]).reshape(rows, -1)
    return out


def _sub_table(add: np.ndarray) -> np.ndarray:
    """sub[a, b] = a - b."""
    neg = np.argmax(add == 0, axis=1)  # neg[b]: the element with b + neg[b] = 0
    return add[:, neg]


@cache
def _orthomorphisms(order: int) -> np.ndarray:
    """All maps t of G with t(0) = 0 such that t and t(x) - x are permutations (M, order)."""
    add = _product_group(order)[1]
    sub = _sub_table(add)
    vals = np.zeros((1, order), dtype=np.int64)
    used = np.ones(1, dtype=np.int64)  # bit y: value y taken
    diffs = np.ones(1, dtype=np.int64)  # bit d: difference d taken
    for x in range(1, order):
        keep_idx, keep_y = [], []
        for y in range(order):
            ok = ((used >> y) & 1 == 0) & ((diffs >> sub[y, x]) & 1 == 0)
            idx = np.flatnonzero(ok)
            keep_idx.append(idx)
            keep_y.append(np.full(idx.size, y))
        idx, ys = np.concatenate(keep_idx), np.concatenate(keep_y)
        vals = vals[idx]
        vals[:, x] = ys
        used = used[idx] | (1 << ys)
        diffs = diffs[idx] | (1 << sub[ys, x])
    return vals


def _searched_rows(add: np.ndarray, rows: int) -> np.ndarray | None:
    """Rows 0 (zero), 1 (identity) and rows - 2 mutually orthogonal orthomorphisms."""
    order = add.shape[0]
    sub = _sub_table(add)
    maps = _orthomorphisms(order)
    need = rows - 2
    budget = [CLIQUE_NODES]

    def mates(i: int, cand: np.ndarray) -> np.ndarray:
        budget[0] -= 1
        diff = sub[maps[i][None, :], maps[cand]]
        perm = (np.sort(diff, axis=1) == np.arange(order)).all(axis=1)
        return cand[perm]

    def clique(chosen: list[int], cand: np.ndarray) -> list[int] | None:
        if len(chosen) == need:
            return chosen
        for j, v in enumerate(cand):
            if budget[0] <= 0 or len(cand) - j < need - len(chosen):
                return None
            found = clique([*chosen, int(v)], mates(int(v), cand[j + 1 :]))
            if found is not None:
                return found
        return None

    picked = clique([], np.arange(len(maps))) if need > 0 else []
    if picked is None:
        return None
    base = np.stack([np.zeros(order, dtype=np.int64), np.arange(order)])
    return np.concatenate([base, maps[picked]])[:rows]


def is_difference_matrix(matrix: np.ndarray, add: np.ndarray) -> bool:
    """Every two rows differ by a permutation of the group (used by the tests)."""
    sub = _sub_table(add)
    order = add.shape[0]
    return all(
        np.array_equal(np.sort(sub[matrix[i], matrix[j]]), np.arange(order))
        for i in range(len(matrix))
        for j in range(i)
    )
