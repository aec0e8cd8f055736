"""Dealing people onto the clusters of a cluster schedule so that worthless pairs stay apart.

A pair is *worthless* when meeting brings no new contact: they know each other, are
colleagues, or met in a frozen round. Two people meet iff their clusters share a station in
some round, so a worthless pair costs nothing when its clusters never meet. Clusters fall
into *parallel classes* (sets of clusters that never meet each other; in the difference-
matrix designs the columns, one cluster per station and round), so a group of people who all
know each other is best spread over the clusters of one class: only those sharing a cluster
meet, which is the fewest possible (the forced pairs of the bound).

People are dealt one at a time: members of large cliques of the worthless graph first (clique
by clique), then by how many worthless partners they have; people who miss rounds last (they
travel with a cluster, whose seat stays empty while they are away). Each takes the cluster
with room where it meets the fewest worthless partners already dealt, preferring the class
those partners are in, then the emptiest cluster.
"""

from __future__ import annotations

import numpy as np

from .bounds import worthless_cliques
from .request import Problem


def cluster_meets(schedule: np.ndarray) -> np.ndarray:
    """(C, C) bool: clusters that share a station in some round (a cluster meets itself)."""
    meets = np.zeros((schedule.shape[1],) * 2, dtype=bool)
    for row in schedule:
        meets |= row[:, None] == row[None, :]
    return meets


def parallel_classes(meets: np.ndarray) -> np.ndarray:
    """Class per cluster by first fit: a cluster joins the first class it meets nobody in."""
    label = np.full(meets.shape[0], -1)
    for c in range(meets.shape[0]):
        n = 0
        while meets[c, label == n].any():
            n += 1
        label[c] = n
    return label


def _order(problem: Problem, people: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Clique members first, clique by clique; then by worthless degree; seeded ties."""
    sub = problem.worthless[np.ix_(people, people)]
    cliques = worthless_cliques(sub, problem.n_stations)
    rank = np.full(people.size, -1.0)
    for n, clique in enumerate(cliques):
        rank[clique] = len(cliques) - n + people.size
    rest = rank < 0
    rank[rest] = sub.sum(axis=1)[rest]
    jitter = rng.random(people.size) * 0.5  # keeps order within a degree seeded
    late = ~problem.present[:, people].all(axis=0)  # people who miss rounds come last
    return people[np.lexsort((jitter, -rank, late))]


def deal(problem: Problem, schedule: np.ndarray, sizes: np.ndarray, people: np.ndarray,
         rng: np.random.Generator, placed: dict[int, int] | None = None) -> np.ndarray:  # fmt: skip
    """(len(people),) cluster of each person of ``people`` (-1: no seat left, seated later),
    apart from those whose meeting brings no new contact (``Problem.worthless``) as far as
    the clusters allow; ``placed`` people (hosts) are on their clusters already and count as
    partners dealt."""
    meets = cluster_meets(schedule)
    classes = parallel_classes(meets)
    room = sizes.astype(np.int64).copy()
    cluster = np.full(problem.n_people, -1)
    for i, c in (placed or {}).items():
        cluster[i] = c
        room[c] -= 1
    worthless = problem.worthless
    for i in _order(problem, people, rng):
        if not room.any():
            break
        mates = np.flatnonzero(worthless[i] & (cluster >= 0))
        cost = meets[:, cluster[mates]].sum(axis=1)
        same_class = (classes[:, None] == classes[cluster[mates]][None, :]).sum(axis=1)
        key = np.lexsort((-room, -same_class, cost))
        c = int(key[np.argmax(room[key] > 0)])
        cluster[i] = c
        room[c] -= 1
    return cluster[people]
