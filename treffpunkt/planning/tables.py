"""Tables mode with small tables: a zero-repeat design, then people dealt onto its points.

The design has T groups of s points per round (s = ceil(N / T)); surplus points stay empty
seats. Hosts (fixed people) take points that never meet each other, and in every round the
group of a host is labelled with the host's table. People are dealt to points as to clusters
of one (``deal.py``): colleagues and known pairs on points that never meet where they can;
the local search then moves categories around by whole-schedule swaps, which keep the design.
"""

from __future__ import annotations

import time

import numpy as np

from . import cyclic, designs
from .deal import deal
from .metrics import meet_counts
from .request import Problem

SMALL_DESIGN_POINTS = 64  # the cyclic search is for small meetings only


def applies(problem: Problem) -> bool:
    if problem.mode != "tables" or problem.n_frozen or problem.n_rounds < 2:
        return False
    tables = problem.n_stations
    size = -(-problem.n_people // tables)
    return size >= 2 and size <= tables and bool((problem.capacity >= size).all())


def build(problem: Problem, deadline: float) -> np.ndarray | None:
    tables, rounds = problem.n_stations, problem.n_rounds
    size = -(-problem.n_people // tables)
    points = _design(tables, size, rounds, problem.seed, deadline, problem.effort)
    if points is None:
        return None
    return _deal(problem, points)


def _design(g: int, s: int, w: int, seed: int, deadline: float,
            effort: float = 1.0) -> np.ndarray | None:  # fmt: skip
    found = designs.transversal(g, s, w)
    if found is None:
        found = designs.doubled_affine(g, s, w)
    if found is None:
        found = designs.binary_affine(g, s, w, seed)
    if found is None and g * s <= SMALL_DESIGN_POINTS and time.perf_counter() < deadline:
        found = cyclic.cyclic(g, s, w, seed, effort)
    return found


def _deal(problem: Problem, points: np.ndarray) -> np.ndarray | None:
    """Give every person a point (hosts first) and label each round's groups with tables."""
    rng = np.random.default_rng(problem.seed)
    n_points = points.shape[1]
    hosts = np.flatnonzero(problem.fixed >= 0)
    host_points = _host_points(points, len(hosts))
    if host_points is None:
        return None
    # Surplus points are the last ones (in the transversal design: the last row, spread over
    # all tables); people take the others.
    free = [p for p in range(problem.n_people + len(hosts)) if p not in set(host_points)]
    free = np.array([p for p in free if p < n_points][: problem.n_people - len(hosts)])
    movers = np.flatnonzero(problem.fixed < 0)
    point_of = np.empty(problem.n_people, dtype=np.int64)
    point_of[hosts] = host_points
    # Pairs without a new contact (colleagues, known) on points that never meet, where any.
    if problem.worthless[movers].any():
        used = np.concatenate([np.array(host_points, dtype=np.int64), free])
        placed = {int(h): k for k, h in enumerate(hosts)}  # hosts on the first columns
        sizes = np.ones(used.size, dtype=np.int64)
        dealt = deal(problem, points[:, used], sizes, movers, rng, placed)
        point_of[movers] = used[dealt]
    else:  # any order will do (dealing 2,000 people costs 0.25 s)
        point_of[rng.permutation(movers)] = free
    groups = points[:, point_of]  # (R, N) design group per person
    labels = _table_labels(problem, groups, hosts)
    if labels is None:
        return None
    assign = np.take_along_axis(labels, groups, axis=1)
    return np.where(problem.present, assign, -1)


def _host_points(points: np.ndarray, count: int) -> list[int] | None:
    """Points that never share a group, one per host (greedy, lowest points first)."""
    if count == 0:
        return []
    met = meet_counts(points) > 0
    chosen: list[int] = []
    for p in range(points.shape[1]):
        if not met[p, chosen].any():
            chosen.append(p)
            if len(chosen) == count:
                return chosen
    return None


def _table_labels(problem: Problem, groups: np.ndarray, hosts: np.ndarray) -> np.ndarray | None:
    """(R, T) table for each design group per round: hosts' groups get the hosts' tables."""
    tables = problem.n_stations
    labels = np.full((problem.n_rounds, tables), -1, dtype=np.int64)
    for r in range(problem.n_rounds):
        for h in hosts:
            g, t = groups[r, h], problem.fixed[h]
            if labels[r, g] == t:
                continue
            if labels[r, g] != -1 or t in labels[r]:
                return None  # two hosts of different tables share a group
            labels[r, g] = t
        rest = [t for t in range(tables) if t not in set(labels[r])]
        labels[r, labels[r] < 0] = rest
    return labels
