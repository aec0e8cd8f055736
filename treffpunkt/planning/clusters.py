"""Few large groups: people travel in clusters that follow a zero-repeat design.

With groups larger than the number of stations, pairs must meet again (pigeonhole); the
bound is only reached when every repeat falls on pairs that meet in every round, i.e. on
*clusters* of people with one shared schedule, while the clusters themselves never meet
twice. Clusters: K(K-1) in stations mode (each visits distinct stations), K^2 in tables mode.

* K prime: exact cluster designs. Stations mode: cluster (x, d), d != 0, is at x + m*d in
  round m (two clusters meet at most once; m < K keeps the stations distinct). Tables mode:
  cluster (x, y) is at x in round 0 and y + (m-1)*x in round m (the affine plane AG(2, K)).
* Otherwise the cluster schedule comes from the same local search run on clusters.

Cluster sizes differ by at most one and are chosen so no station overflows; people who miss
a round are seated afterwards in the free seats.
"""

from __future__ import annotations

import numpy as np

from .errors import PlanningError
from .feasibility import Placer, fixed_load
from .greedy import greedy_plan
from .request import Problem
from .search import improve


def applies(problem: Problem) -> bool:
    if problem.n_frozen or problem.n_rounds < 2:
        return False
    k = problem.n_stations
    spread = k - 1 if problem.no_revisit else k
    full = int(((problem.fixed < 0) & problem.present.all(axis=0)).sum())
    return spread >= 1 and full >= spread * k and full / k > spread


def _is_prime(n: int) -> bool:
    return n >= 2 and all(n % d for d in range(2, int(n**0.5) + 1))


def cluster_schedule(problem: Problem, deadline: float) -> np.ndarray | None:
    """(R, C) station of each cluster per round."""
    k, rounds = problem.n_stations, problem.n_rounds
    if _is_prime(k):
        m = np.arange(rounds)[:, None]
        if problem.no_revisit:
            x, d = np.divmod(np.arange(k * (k - 1)), k - 1)
            return (x[None, :] + m * (d[None, :] + 1)) % k
        if rounds <= k + 1:
            x, y = np.divmod(np.arange(k * k), k)
            return np.where(m == 0, x[None, :], (y[None, :] + (m - 1) * x[None, :]) % k)
    return _searched_schedule(problem, deadline)


def _searched_schedule(problem: Problem, deadline: float) -> np.ndarray | None:
    """Local search on a small problem whose people are the clusters."""
    k = problem.n_stations
    count = k * (k - 1) if problem.no_revisit else k * k
    per_station = count // k
    small = Problem(
        mode=problem.mode, n_rounds=problem.n_rounds, station_ids=problem.station_ids,
        capacity=np.full(k, per_station), min_size=np.zeros(k, dtype=np.int64),
        person_ids=[f"c{c}" for c in range(count)], org=np.full(count, -1),
        cat=np.full(count, -1), categories=[], pref=np.zeros((count, k)),
        fixed=np.full(count, -1), present=np.ones((problem.n_rounds, count), dtype=bool),
        known=np.zeros((count, count), dtype=bool), frozen=np.zeros((0, count), dtype=np.int64),
        weights={**problem.weights, "new_pairs": 1.0}, seed=problem.seed,
        time_limit_s=problem.time_limit_s, effort=problem.effort,
    )  # fmt: skip
    try:
        start = greedy_plan(small, problem.seed)
    except PlanningError:
        return None
    # Steps cost about 1 ms each: sized to the speed targets (1 s up to 600 people, 5 s at
    # 2,000), where more steps mean fewer repeated cluster meetings.
    base = 1600 if problem.n_people > 1000 else min(800, 60_000 // count)
    steps = int(base * problem.effort)
    return improve(small, start, seed=problem.seed, steps=steps, deadline=deadline,
                   start_temp=0.4)  # fmt: skip


def build(problem: Problem, deadline: float) -> np.ndarray | None:
    schedule = cluster_schedule(problem, deadline)
    if schedule is None:
        return None
    full = np.flatnonzero((problem.fixed < 0) & problem.present.all(axis=0))
    sizes = _sizes(problem, schedule, len(full))
    if sizes is None:
        return None
    rng = np.random.default_rng(problem.seed)
    cluster_of = np.repeat(np.arange(schedule.shape[1]), sizes)
    assign = np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64)
    assign[:, rng.permutation(full)[: cluster_of.size]] = schedule[:, cluster_of]
    for i in np.flatnonzero(problem.fixed >= 0):
        assign[problem.present[:, i], i] = problem.fixed[i]
    return _seat_rest(problem, assign, rng)


def _sizes(problem: Problem, schedule: np.ndarray, people: int) -> np.ndarray | None:
    """Cluster sizes (q or q+1) that fit the seats left by hosts and late arrivals."""
    rounds, count = schedule.shape
    r_idx = np.arange(rounds)[:, None]
    room = problem.capacity[None, :] - fixed_load(problem)
    partial = ((problem.fixed < 0) & ~problem.present.all(axis=0)) & problem.present
    share = problem.capacity / problem.capacity.sum()
    room = room - np.ceil(partial.sum(axis=1)[:, None] * share[None, :]).astype(np.int64)
    sizes = np.full(count, people // count)
    load = np.zeros_like(room)
    np.add.at(load, (np.broadcast_to(r_idx, schedule.shape), schedule), sizes[None, :])
    grown = np.zeros(count, dtype=bool)
    for _ in range(people - sizes.sum()):
        cells = (room - load)[r_idx, schedule]  # seats left where each cluster sits
        # Grow each cluster at most once, where its tightest seat is loosest.
        key = np.where(grown | (cells.min(axis=0) <= 0), -np.inf,
                       cells.min(axis=0) * 10_000 + cells.sum(axis=0))  # fmt: skip
        if not np.isfinite(key.max()):
            break  # no cluster can grow: the people left are seated one by one afterwards
        c = int(np.argmax(key))
        grown[c] = True
        sizes[c] += 1
        load[np.arange(rounds), schedule[:, c]] += 1
    return sizes if (load <= problem.capacity[None, :]).all() else None


def _seat_rest(problem: Problem, assign: np.ndarray, rng) -> np.ndarray | None:
    placer = Placer(problem, assign)
    try:
        for r in range(problem.n_rounds):
            placer.fill_round(r, rng.permutation(problem.n_people),
                              lambda r, i, ok: int(ok[np.argmin(placer.sizes[r, ok])]))  # fmt: skip
    except PlanningError:
        return None
    return assign
