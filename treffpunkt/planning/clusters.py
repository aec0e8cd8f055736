"""Few large groups: people travel in clusters that follow a zero-repeat design.

With groups larger than the number of stations, pairs must meet again (pigeonhole); the
bound is only reached when every repeat falls on pairs that meet in every round, i.e. on
*clusters* of people with one shared schedule, while the clusters themselves never meet
twice. Clusters: K(K-1) in stations mode (each visits distinct stations), K^2 in tables mode.

* Where a difference matrix over a group of order K exists with enough rows (K a prime
  power, products of them, K = 12; ``diffmatrix.py``), the cluster design is exact: cluster
  (c, x) is at D[m, c] + x in round m; two clusters meet at most once and every two rounds
  split every group evenly (``design_schedule``).
* Otherwise (e.g. K = 6 or 10) the cluster schedule comes from a tabu search on the clusters
  (``tabu.py``; annealing above 60 clusters), or where everybody visits every station (no
  single-round swap of two clusters is allowed there) from chain swaps (``chains.py``).
* In stations mode, where K + 1 is a prime power, the exact design for K + 1 stations is also
  *folded* onto K (``folded_schedule``): a second candidate, far better when everybody visits
  every station (110 people at 10 stations for 10 rounds: 4,600 new pairs against 4,019).
* In stations mode, where K - 1 is a prime power, the exact design for K - 1 stations is
  *extended* by one station (and round) (``extended_schedule``): another candidate (300 people
  at 14 stations for 14 rounds: 35,135 new pairs against 28,789).

Cluster sizes differ by at most one and are chosen so no station overflows; with fewer
people than clusters (groups no larger than the station count) they are 0 or 1, the clusters
of one grown where seats are loosest, and no two people meet twice. People are dealt
to clusters so that pairs who bring no new contact sit in clusters that never meet
(``deal.py``); people who miss rounds travel with a cluster too, and whoever finds no cluster
seat is seated afterwards in the free seats.
"""

from __future__ import annotations

import functools

import numpy as np

from .chains import chain_search, wants_chains
from .deal import deal
from .diffmatrix import difference_matrix, field, prime_power
from .errors import PlanningError
from .feasibility import Placer, fixed_load, seat_hosts
from .greedy import greedy_plan
from .repair import completed_plan
from .request import Problem
from .search import improve
from .tabu import tabu_search

TABU_MAX_CLUSTERS = 60  # up to 8 stations; beyond, a tabu iteration costs more than it brings
# Chain moves for the cluster schedule, as a share of the usual budget: the plan of people is
# chain-searched again afterwards (6 stations x 6 rounds, 120 people: 4,860 -> 4,992).
CHAIN_SHARE = 0.4
TABU_ITERATIONS = 400  # a work budget (6-7 repeated cluster meetings at 6 x 4 either way)
# Clusters of one: dealing people weighs every cluster against every other (121 stations took
# 21 s, 256 ran out of memory), so only up to 21 stations. With seats to spare the design
# often loses to greedy seating and search (its groups are even), but as one candidate among
# others it costs little there and can win (35 people at 7 stations of 6 for 6 rounds: 435
# new pairs, 417 without it).
MAX_CLUSTERS_OF_ONE = 420
# Without a design, clusters are searched for stations of about one size only: the clusters
# load every station alike and leave large rooms half empty. Over 13 requests at 6-12
# stations of 8-60 seats that schedule never made the best plan and cost 0.1-0.4 s (350
# people at 10 stations of 20-60: 0.84 -> 0.42 s for the same plan).
UNEVEN = 1.5


def applies(problem: Problem) -> bool:
    """More people attend every round than there are clusters (groups larger than the
    stations: repeats are forced); or, in stations mode, an exact design exists for up to 21
    stations and at least one person per station attends every round: clusters of one, which
    never meet twice (35 people at 7 stations of 5 for 7 rounds: 490 new pairs, the bound,
    where greedy seating and local search found 422; see ``MAX_CLUSTERS_OF_ONE``)."""
    if problem.n_frozen or problem.n_rounds < 2:
        return False
    k = problem.n_stations
    spread = k - 1 if problem.no_revisit else k
    full = _always_there(problem)
    if spread >= 1 and full >= spread * k and full / k > spread:
        return True
    return (
        problem.no_revisit
        and full >= k
        and k * (k - 1) <= MAX_CLUSTERS_OF_ONE
        and design_schedule(k, problem.n_rounds, True) is not None
    )


def _always_there(problem: Problem) -> int:
    """People who move and attend every round: those the clusters are made for."""
    return int(((problem.fixed < 0) & problem.present.all(axis=0)).sum())


def cluster_schedule(problem: Problem, deadline: float) -> np.ndarray | None:
    """(R, C) station of each cluster per round: a design where one exists, else searched."""
    design = design_schedule(problem.n_stations, problem.n_rounds, problem.no_revisit)
    return design if design is not None else _searched_schedule(problem, deadline)


@functools.lru_cache(maxsize=16)
def design_schedule(k: int, rounds: int, no_revisit: bool) -> np.ndarray | None:
    """Clusters (c, x) developed from a difference matrix D over a group G of order k.

    Stations mode: c != 0 (column 0 is the constant codes), station D[m, c] + x in round m
    (R rows of D). Tables mode: every c, at c in round 0 and D[m - 1, c] + x in round m
    (R - 1 rows). Two clusters meet at most once, and every two rounds split every group
    evenly over the others (docs/planning.md, 'Few large groups').
    """
    need = rounds if no_revisit else rounds - 1
    found = difference_matrix(k, max(need, 1))
    if found is None:
        return None
    matrix, add = found
    first = 1 if no_revisit else 0
    c, x = np.divmod(np.arange((k - first) * k), k)
    c += first
    schedule = add[matrix[:need][:, c], x[None, :]]
    if not no_revisit:
        schedule = np.vstack([c[None, :], schedule])
    schedule.flags.writeable = False  # cached: asked for by both cluster builders
    return schedule


def folded_schedule(k: int, rounds: int) -> np.ndarray | None:
    """Stations mode: the design for q = k + 1 stations (a prime power), folded onto k.

    Cluster (c, x), c != 0, is at m*c + x in GF(q) in round m; over all q rounds it visits
    every station once. Station k does not exist: a cluster that would be there in round m0
    goes instead to the station it would have visited in round ``rounds`` (new to it). Every
    (round, station) then holds k + 1 clusters: the k natives and one that moved there, for
    (rounds - m0) * c = s - k has one solution c. Clusters meet at most once in the design;
    the moved ones may meet again (at most 3 times, at 6 and 12 stations).
    """
    q = k + 1
    if prime_power(q) is None or not 2 <= rounds <= k:
        return None
    add, mul = field(q)
    c, x = np.divmod(np.arange(k * q), q)
    c += 1
    full = add[mul[np.arange(q)[:, None], c[None, :]], x[None, :]]  # (q, clusters)
    schedule = full[:rounds].copy()
    cols = np.flatnonzero((schedule == k).any(axis=0))
    schedule[(schedule[:, cols] == k).argmax(axis=0), cols] = full[rounds, cols]
    return schedule


def extended_schedule(k: int, rounds: int) -> np.ndarray | None:
    """Stations mode: the design for q = k - 1 stations (a prime power) extended to k.

    Cluster (c, x), c != 0, is at m*c + x in GF(q) in round m < q. Station q (new) takes,
    in one round t of a cluster the cluster instead of its station there, which the cluster
    visits in round q (new; where ``rounds`` = k) - or the cluster is at q in round q itself;
    with fewer rounds only some clusters visit q. t is chosen cluster by cluster to keep every
    (round, station) near (k - 1)(k - 2) / k clusters (least growth of the sum of squared
    loads, ties to the earliest round). Clusters meet at most once
    in the design, and in the rounds they share at q or in round q once more at most each.
    """
    q = k - 1
    if prime_power(q) is None or not 2 <= rounds <= k:
        return None
    add, mul = field(q)
    c, x = np.divmod(np.arange((q - 1) * q), q)
    c += 1
    base = add[mul[np.arange(q)[:, None], c[None, :]], x[None, :]]  # (q, clusters)
    finite = min(rounds, q)
    schedule = np.full((rounds, base.shape[1]), -1, dtype=np.int64)
    schedule[:finite] = base[:finite]
    load = np.zeros((rounds, k), dtype=np.int64)
    np.add.at(load, (np.arange(finite)[:, None], base[:finite]), 1)
    for col in range(base.shape[1]):
        t = _extension_round(load, base[:, col], finite, rounds > q)
        if t < 0:
            continue
        if t == q:
            schedule[q, col] = q
            load[q, q] += 1
            continue
        schedule[t, col] = q
        load[t, q] += 1
        load[t, base[t, col]] -= 1
        if rounds > q:
            schedule[q, col] = base[t, col]
            load[q, base[t, col]] += 1
    return schedule


def _extension_round(load: np.ndarray, code: np.ndarray, finite: int, new_round: bool) -> int:
    """The round in which a cluster visits the new station (-1: none; only without the
    new round): least growth of the sum of squared loads."""
    q = load.shape[1] - 1
    best, best_growth = (q, 2 * load[q, q] + 1) if new_round else (-1, 0)
    for t in range(finite):
        growth = 2 * load[t, q] + 1 + (1 - 2 * load[t, code[t]])
        if new_round:
            growth += 2 * load[q, code[t]] + 1
        if growth < best_growth:
            best, best_growth = t, growth
    return best


def extended_applies(problem: Problem) -> bool:
    """Stations mode without an exact cluster design, and K - 1 a prime power."""
    return _neighbour_design_applies(problem, problem.n_stations - 1)


def build_extended(problem: Problem, deadline: float, *, repair: bool = True) -> np.ndarray | None:
    schedule = extended_schedule(problem.n_stations, problem.n_rounds)
    return _build_from(problem, schedule, repair=repair)


def folded_applies(problem: Problem) -> bool:
    """Stations mode without an exact cluster design, and K + 1 a prime power."""
    return _neighbour_design_applies(problem, problem.n_stations + 1)


def _neighbour_design_applies(problem: Problem, order: int) -> bool:
    """The exact design of ``order`` stations (one more or one fewer) exists and K has none."""
    k = problem.n_stations
    return (
        problem.no_revisit
        and not problem.n_frozen
        and problem.n_rounds >= 2
        and _always_there(problem) >= k
        and prime_power(order) is not None
        and design_schedule(k, problem.n_rounds, True) is None
    )


def build_folded(problem: Problem, deadline: float, *, repair: bool = True) -> np.ndarray | None:
    schedule = folded_schedule(problem.n_stations, problem.n_rounds)
    return _build_from(problem, schedule, repair=repair)


def _searched_schedule(problem: Problem, deadline: float) -> np.ndarray | None:
    """Local search on a small problem whose people are the clusters; None for stations of
    uneven size (``UNEVEN``)."""
    if problem.capacity.max() > UNEVEN * problem.capacity.min():
        return None
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
    if small.n_rounds >= k and wants_chains(small):
        # Everybody visits every station: no single-round swap of two clusters is allowed.
        return chain_search(small, start, seed=problem.seed, deadline=deadline, share=CHAIN_SHARE)
    if count <= TABU_MAX_CLUSTERS:  # tabu search: fewer repeats than annealing (6 vs 11 at
        # 6 stations x 4 rounds), iterations cost ~0.5 ms at 30 clusters
        return tabu_search(start, k, problem.no_revisit, problem.seed,
                           int(TABU_ITERATIONS * problem.effort))  # fmt: skip
    # Steps cost about 1 ms each: sized to the speed targets (1 s up to 600 people, 5 s at
    # 2,000), where more steps mean fewer repeated cluster meetings.
    base = 1600 if problem.n_people > 1000 else min(800, 60_000 // count)
    steps = int(base * problem.effort)
    return improve(small, start, seed=problem.seed, steps=steps, deadline=deadline,
                   start_temp=0.4)  # fmt: skip


def build(problem: Problem, deadline: float, *, repair: bool = True) -> np.ndarray | None:
    """The cluster design's plan; without ``repair``, None where the people no cluster took
    cannot be seated one by one (``_seat_rest``)."""
    return _build_from(problem, cluster_schedule(problem, deadline), repair=repair)


def _build_from(problem: Problem, schedule: np.ndarray | None, *,
                repair: bool = True) -> np.ndarray | None:  # fmt: skip
    """People dealt to the clusters of ``schedule`` (R, clusters); None if they do not fit."""
    if schedule is None:
        return None
    # People who miss rounds travel with a cluster too (its seat stays empty while they are
    # away); they are dealt last, so if seats run short they are the ones seated afterwards.
    movers = np.flatnonzero((problem.fixed < 0) & problem.present.any(axis=0))
    sizes = _sizes(problem, schedule, len(movers))
    if sizes is None:
        return None
    rng = np.random.default_rng(problem.seed)
    cluster_of = deal(problem, schedule, sizes, movers, rng)
    assign = np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64)
    dealt = cluster_of >= 0
    assign[:, movers[dealt]] = schedule[:, cluster_of[dealt]]
    return _seat_rest(problem, seat_hosts(problem, assign), rng, repair=repair)


def _sizes(problem: Problem, schedule: np.ndarray, people: int) -> np.ndarray | None:
    """Cluster sizes (q or q+1) that fit the seats left by hosts (every member counted in
    every round, so the seats hold whoever of them is present)."""
    rounds, count = schedule.shape
    r_idx = np.arange(rounds)[:, None]
    room = problem.capacity[None, :] - fixed_load(problem)
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


def _seat_rest(problem: Problem, assign: np.ndarray, rng, *,
               repair: bool = True) -> np.ndarray | None:  # fmt: skip
    """The people no cluster took, seated one by one in the free seats; where that gets stuck
    (everybody at every station, few seats free), by repair (``repair.completed_plan``: 120
    people at 10 stations of 12 for 10 rounds, the folded design with 10 people left over,
    5,301 new pairs where the Latin rotation and local search gave 4,749)."""
    placer = Placer(problem, assign.copy())
    try:
        for r in range(problem.n_rounds):
            placer.fill_round(r, rng.permutation(problem.n_people),
                              lambda r, i, ok: int(ok[np.argmin(placer.sizes[r, ok])]))  # fmt: skip
    except PlanningError:
        return completed_plan(problem, assign) if repair else None
    return placer.assign
