"""The exact code-count model for few stations (docs/planning.md, 'Few stations').

A plan gives every person a *code*: their station in each round they attend. Two people
meet iff their codes agree in some round both attend, so the number of distinct pairs met
depends only on how many people of each attendance pattern ("class") carry each code. The
model chooses these counts to maximise distinct pairs under the capacities:

    min  sum_{u<v never meet} n_u n_v  + sum_u n_u * (fixed people u never meets)
    s.t. sum_{u: code_u(r) = k} n_u + fixed_rk <= capacity_k     for every round r, station k
         sum_{u in class} n_u = |class|,  n_u >= 0 integer

Every plan is such a count vector, so the optimum is an upper bound on distinct pairs. It is
found exactly by enumeration (``countsolve.py``); where that grid grows too large (big
stations with much free room) the best counts found still shape the plan, but bound nothing.
The counts are the shape of the plan, to which people are then assigned by the local search
(code swaps).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from . import countsolve
from .feasibility import fixed_load, seat_hosts, staff_floor
from .request import Problem

MAX_FULL_CODES = 6  # 3 stations; from 4 stations on (12+ codes) the model is not solved
# exactly in reasonable time, and the pigeonhole bound with the cluster designs does better
MAX_EXACT_PARTIAL = 2  # people who miss rounds and still get an exact class of their own


@dataclass
class CodeModel:
    codes: list[tuple[int, tuple[int, ...]]]  # (class index, station per present round)
    classes: list[np.ndarray]  # people of each class
    rounds: list[tuple[int, ...]]  # present rounds of each class
    counts: np.ndarray | None  # people per code in the best solution found
    bound: int | None  # proven upper bound on distinct pairs


def _classes(problem: Problem) -> tuple[list[np.ndarray], list[tuple[int, ...]]]:
    """Everyone who attends every round is one class; each late arrival or early leaver is
    a class of one with codes over the rounds they attend.

    With more than MAX_EXACT_PARTIAL such people they are left out of the model (a
    relaxation: their seats are freed) and counted in the bound with their per-person cap;
    the plan seats them afterwards. A few are modelled exactly, which makes the bound exact.
    """
    movers = problem.fixed < 0
    full = np.flatnonzero(movers & problem.present.all(axis=0))
    classes, patterns = [full], [tuple(range(problem.n_rounds))]
    partial = np.flatnonzero(movers & ~problem.present.all(axis=0))
    if partial.size <= MAX_EXACT_PARTIAL:
        for i in partial:
            rounds = tuple(int(r) for r in np.flatnonzero(problem.present[:, i]))
            if rounds:  # someone absent in every round takes no seat and meets nobody
                classes.append(np.array([i]))
                patterns.append(rounds)
    return classes, patterns


def _partial(problem: Problem) -> np.ndarray:
    """Movers left out of the model."""
    modelled = np.concatenate(_classes(problem)[0])
    movers = np.flatnonzero(problem.fixed < 0)
    return np.setdiff1d(movers, modelled)


def _station_symmetries(problem: Problem) -> list[tuple[int, ...]]:
    """Station permutations that keep every station's capacity and its fixed people's
    attendance patterns: relabelling the stations so maps the model onto itself."""
    present = problem.present.T
    sign = [(int(problem.capacity[k]), sorted(tuple(present[i]) for i in
             np.flatnonzero(problem.fixed == k))) for k in range(problem.n_stations)]  # fmt: skip
    out = []
    for perm in itertools.permutations(range(problem.n_stations)):
        if all(sign[perm[k]] == sign[k] for k in range(problem.n_stations)):
            out.append(perm)
    return out


def _break_symmetry(problem: Problem, codes: list, classes: list) -> list:
    """Keep only orbit representatives among the codes of the first one-person class.

    Any optimal count vector maps under a station symmetry to one whose one person carries
    the smallest code of its orbit, so dropping the other codes loses no optimum.
    """
    single = next((ci for ci, members in enumerate(classes) if len(members) == 1), None)
    if single is None or problem.n_stations > 6:
        return codes
    perms = _station_symmetries(problem)
    keep = []
    for ci, code in codes:
        if ci != single or code == min(tuple(perm[k] for k in code) for perm in perms):
            keep.append((ci, code))
    return keep


def _code_space(problem: Problem, rounds: tuple[int, ...]):
    stations = range(problem.n_stations)
    if problem.no_revisit:
        return itertools.permutations(stations, len(rounds))
    return itertools.product(stations, repeat=len(rounds))


def applies(problem: Problem) -> bool:
    """Stations mode with few codes; in tables mode the linear model is too weak to help."""
    if not problem.no_revisit or problem.n_frozen or problem.n_stations > 6:
        return False
    k, r = problem.n_stations, problem.n_rounds
    return int(np.prod(range(k - r + 1, k + 1))) <= MAX_FULL_CODES


def _codes(problem: Problem, classes: list, patterns: list) -> list:
    """(class, code) pairs of the model, one-person class reduced by symmetry."""
    codes = [(ci, code) for ci, rounds in enumerate(patterns) for code in
             _code_space(problem, rounds)]  # fmt: skip
    return _break_symmetry(problem, codes, classes)


def code_model(problem: Problem, *, staffed: bool = False) -> CodeModel | None:
    """Solve (once per problem) the code-count model, or None where it does not apply; with
    ``staffed``, over the plans that keep every station at its staffing floor."""
    key = "_staffed_code_model" if staffed else "_code_model"
    if key not in problem.__dict__:
        need = _need(problem) if staffed else None
        problem.__dict__[key] = _solve(problem, need) if applies(problem) else None
    return problem.__dict__[key]


def plan_model(problem: Problem) -> CodeModel | None:
    """The model whose counts shape the plan: the staffed one where it models everybody
    and some count vector keeps the floors, else the one over all plans (whose counts the
    code search reshapes where they leave a station short, ``below_floor``). With people
    left out of the model the staffed counts are a poor shape: the left-out are seated
    after them (35 people at 3 stations of 11-22 for 3 rounds with 3 hosts and 3 people
    absent once: 426 new pairs against 433 from the code search)."""
    staffed = code_model(problem, staffed=True) if _partial(problem).size == 0 else None
    return staffed if staffed is not None and staffed.counts is not None else code_model(problem)


def exact_bound(problem: Problem, *, staffed: bool = False) -> int | None:
    """Upper bound on new pairs from the model (None where not solved); with ``staffed``,
    over the plans that keep every station at its staffing floor."""
    model = code_model(problem, staffed=staffed)
    return None if model is None else model.bound


def below_floor(problem: Problem) -> bool:
    """The counts the plan is built from leave some station below its staffing floor in
    some round: only where no count vector keeps the floors (``plan_model``).

    Lifting such a plan to the floor afterwards can lose most of its pairs (6 people at 3
    stations for 3 rounds: 14 pairs unstaffed, 3 once lifted, where 9 are possible
    staffed), so the code search then reshapes it.
    """
    model = plan_model(problem)
    if model is None or model.counts is None:
        return False
    load = fixed_load(problem)
    for (ci, code), count in zip(model.codes, model.counts, strict=True):
        for r, k in zip(model.rounds[ci], code, strict=True):
            load[r, k] += count
    return bool((load < staff_floor(problem)).any())


def _meets(problem: Problem, r1, c1, r2, c2) -> bool:
    here = dict(zip(r1, c1, strict=True))
    return any(here.get(r) == k for r, k in zip(r2, c2, strict=True))


def _solve(problem: Problem, need: np.ndarray | None) -> CodeModel:
    """The model solved; ``need``: the least people per cell (None: no floors)."""
    classes, patterns = _classes(problem)
    codes = _codes(problem, classes, patterns)
    n_codes = len(codes)
    never = np.zeros((n_codes, n_codes), dtype=bool)
    for u, v in itertools.combinations(range(n_codes), 2):
        (cu, code_u), (cv, code_v) = codes[u], codes[v]
        never[u, v] = not _meets(problem, patterns[cu], code_u, patterns[cv], code_v)
    linear = _fixed_misses(problem, codes, patterns)
    found = countsolve.solve(_count_model(problem, codes, patterns, classes, never, linear, need))
    counts = None if found is None else found.counts
    # An unproven optimum (the grid grew too large) shapes the plan but bounds nothing.
    lower_obj = found.value if found is not None and found.proven else None
    total = _all_pairs(problem) + _partial_cap(problem)
    bound = None if lower_obj is None else int(total - np.ceil(lower_obj - 1e-6))
    return CodeModel(codes, classes, patterns, counts, bound)


def _need(problem: Problem) -> np.ndarray:
    """(cells,) the people of the model each (round, station) cell needs to reach its
    staffing floor, in ``_count_model``'s cell order. The movers left out of the model may
    fill any cell of a round they attend, so each of them lowers the need of all those
    cells (a relaxation: the bound stays a bound over staffed plans)."""
    left_out = problem.present[:, _partial(problem)].sum(axis=1)
    need = staff_floor(problem) - fixed_load(problem) - left_out[:, None]
    return np.maximum(need, 0).ravel()


def _count_model(problem: Problem, codes, patterns, classes, never, linear, need):
    load = fixed_load(problem)
    cells, room, cell_round = [], [], []
    for r in range(problem.n_rounds):
        for k in range(problem.n_stations):
            cells.append([_at(patterns[ci], code, r, k) for ci, code in codes])
            room.append(int(problem.capacity[k] - load[r, k]))
            cell_round.append(r)
    of_class = np.array([ci for ci, _ in codes])
    return countsolve.CountModel(
        never=never | never.T, linear=np.asarray(linear, dtype=float),
        cells=np.array(cells, dtype=bool), room=np.array(room), cell_round=np.array(cell_round),
        full=np.flatnonzero(of_class == 0), total=len(classes[0]),
        singles=[np.flatnonzero(of_class == ci) for ci in range(1, len(classes))], need=need,
    )  # fmt: skip


def _fixed_misses(problem: Problem, codes, patterns) -> np.ndarray:
    """For each code, how many fixed people its carrier never meets."""
    fixed = np.flatnonzero(problem.fixed >= 0)
    out = np.zeros(len(codes))
    for u, (ci, code) in enumerate(codes):
        for f in fixed:
            rounds_f = tuple(np.flatnonzero(problem.present[:, f]))
            stay = (problem.fixed[f],) * len(rounds_f)
            out[u] += not _meets(problem, patterns[ci], code, rounds_f, stay)
    return out


def _partial_cap(problem: Problem) -> int:
    """Most pairs the people left out of the model can take part in (per-person cap)."""
    seats = int(problem.capacity.max()) - 1
    return sum(
        min(problem.n_people - 1, int(problem.present[:, i].sum()) * seats)
        for i in _partial(problem)
    )


def _all_pairs(problem: Problem) -> int:
    """Pairs among the model's people (full movers, fixed), bar fixed people never together."""
    fixed = np.flatnonzero(problem.fixed >= 0)
    n = problem.n_people - len(_partial(problem))
    apart = 0
    for f, g in itertools.combinations(fixed, 2):
        common = problem.present[:, f] & problem.present[:, g]
        apart += problem.fixed[f] != problem.fixed[g] or not common.any()
    return n * (n - 1) // 2 - apart


def _at(rounds, code, r, k) -> bool:
    return any(rr == r and kk == k for rr, kk in zip(rounds, code, strict=True))


def build_from_codes(problem: Problem, seed: int) -> np.ndarray | None:
    """A plan with the model's code counts (``plan_model``); people are dealt to codes in
    seeded order."""
    model = plan_model(problem)
    if model is None or model.counts is None:
        return None
    rng = np.random.default_rng(seed)
    assign = seat_hosts(problem, np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64))
    queues = [list(rng.permutation(members)) for members in model.classes]
    for (ci, code), count in zip(model.codes, model.counts, strict=True):
        for _ in range(count):
            i = queues[ci].pop()
            assign[list(model.rounds[ci]), i] = code
    return _seat_partial(problem, assign, rng)


def _seat_partial(problem: Problem, assign: np.ndarray, rng) -> np.ndarray | None:
    """Seat the people the model left out, each round in the emptiest allowed station."""
    from .errors import PlanningError
    from .feasibility import Placer

    placer = Placer(problem, assign)
    try:
        for r in range(problem.n_rounds):
            placer.fill_round(r, rng.permutation(problem.n_people),
                              lambda r, i, ok: int(ok[np.argmin(placer.sizes[r, ok])]))  # fmt: skip
    except PlanningError:
        return None
    return assign
