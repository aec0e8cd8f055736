"""The exact code-count model for few stations (docs/planning.md, 'Few stations').

A plan gives every person a *code*: their station in each round they attend. Two people
meet iff their codes agree in some round both attend, so the number of distinct pairs met
depends only on how many people of each attendance pattern ("class") carry each code. The
model chooses these counts to maximise distinct pairs under the capacities:

    min  sum_{u<v never meet} n_u n_v  + sum_u n_u * (fixed people u never meets)
    s.t. sum_{u: code_u(r) = k} n_u + fixed_rk <= capacity_k     for every round r, station k
         sum_{u in class} n_u = |class|,  n_u >= 0 integer

Products are made linear exactly by writing one factor in binary. HiGHS solves it; its
proven optimum (or dual bound) is an upper bound on new pairs, and the counts are the shape
of the plan, to which people are then assigned by the local search (code swaps).
"""

from __future__ import annotations

import itertools
import os
import sys
from dataclasses import dataclass

import numpy as np

from .feasibility import fixed_load
from .request import Problem

MAX_VARIABLES = 200  # codes x classes; beyond this the model is left to the local search
MAX_NODES = 20_000  # branch-and-bound nodes: a work budget, so results do not depend on speed


@dataclass
class CodeModel:
    codes: list[tuple[int, tuple[int, ...]]]  # (class index, station per present round)
    classes: list[np.ndarray]  # people of each class
    rounds: list[tuple[int, ...]]  # present rounds of each class
    counts: np.ndarray | None  # people per code in the best solution found
    bound: int | None  # proven upper bound on distinct pairs


def _classes(problem: Problem) -> tuple[list[np.ndarray], list[tuple[int, ...]]]:
    """The one class of the model: movers who attend every round.

    People who miss a round are left out of the model (a relaxation: their seats are freed)
    and counted in the bound with their per-person cap; the plan seats them afterwards.
    (Giving them classes of their own makes the bound exact, but HiGHS then needs seconds.)
    """
    full = np.flatnonzero((problem.fixed < 0) & problem.present.all(axis=0))
    return [full], [tuple(range(problem.n_rounds))]


def _partial(problem: Problem) -> np.ndarray:
    return np.flatnonzero((problem.fixed < 0) & ~problem.present.all(axis=0))


def _code_space(problem: Problem, rounds: tuple[int, ...]):
    stations = range(problem.n_stations)
    if problem.no_revisit:
        return itertools.permutations(stations, len(rounds))
    return itertools.product(stations, repeat=len(rounds))


def applies(problem: Problem) -> bool:
    """Stations mode with few codes; in tables mode the linear model is too weak to help."""
    if not problem.no_revisit or problem.n_frozen or problem.n_stations > 6:
        return False
    _, patterns = _classes(problem)
    size = 0
    for rounds in patterns:
        k, p = problem.n_stations, len(rounds)
        size += int(np.prod(range(k - p + 1, k + 1))) if problem.no_revisit else k**p
        if size > MAX_VARIABLES:
            return False
    return True


def code_model(problem: Problem) -> CodeModel | None:
    """Solve (once per problem) the code-count model, or None where it does not apply."""
    if "_code_model" not in problem.__dict__:
        problem.__dict__["_code_model"] = _solve(problem) if applies(problem) else None
    return problem.__dict__["_code_model"]


def exact_bound(problem: Problem) -> int | None:
    """Upper bound on new pairs from the model (None where not solved)."""
    model = code_model(problem)
    return None if model is None else model.bound


def _meets(problem: Problem, r1, c1, r2, c2) -> bool:
    here = dict(zip(r1, c1, strict=True))
    return any(here.get(r) == k for r, k in zip(r2, c2, strict=True))


def _solve(problem: Problem) -> CodeModel:
    classes, patterns = _classes(problem)
    codes = [(ci, code) for ci, rounds in enumerate(patterns) for code in
             _code_space(problem, rounds)]  # fmt: skip
    n_codes = len(codes)
    never = np.zeros((n_codes, n_codes), dtype=bool)
    for u, v in itertools.combinations(range(n_codes), 2):
        (cu, code_u), (cv, code_v) = codes[u], codes[v]
        never[u, v] = not _meets(problem, patterns[cu], code_u, patterns[cv], code_v)
    linear = _fixed_misses(problem, codes, patterns)
    upper = np.array([len(classes[ci]) for ci, _ in codes])
    counts, lower_obj = _milp(problem, codes, patterns, classes, never, linear, upper)
    total = _all_pairs(problem) + _partial_cap(problem)
    bound = None if lower_obj is None else int(total - np.ceil(lower_obj - 1e-6))
    return CodeModel(codes, classes, patterns, counts, bound)


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


def _quiet_highs():
    """A HiGHS instance; its constructor prints a banner to standard output, which would
    corrupt a plan written there, so the C-level stdout is pointed at /dev/null meanwhile."""
    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            return highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def _milp(problem, codes, patterns, classes, never, linear, upper):
    h = _quiet_highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("mip_max_nodes", MAX_NODES)
    h.setOptionValue("time_limit", problem.time_limit_s)  # a safety stop only
    n = [h.addIntegral(lb=0, ub=float(upper[u])) for u in range(len(codes))]
    objective = [float(linear[u]) * n[u] for u in range(len(codes)) if linear[u]]
    for u, v in zip(*np.nonzero(never), strict=True):
        objective.append(_product(h, n, u, v, upper))
    for ci, members in enumerate(classes):
        h.addConstr(sum(n[u] for u, (cj, _) in enumerate(codes) if cj == ci) == len(members))
    load = fixed_load(problem)
    for r in range(problem.n_rounds):
        for k in range(problem.n_stations):
            here = [n[u] for u, (ci, code) in enumerate(codes) if _at(patterns[ci], code, r, k)]
            if here:
                h.addConstr(sum(here) <= float(problem.capacity[k] - load[r, k]))
    h.minimize(sum(objective[1:], objective[0]) if objective else n[0] * 0)
    info = h.getInfo()
    if info.primal_solution_status != 2:  # no feasible counts found
        return None, info.mip_dual_bound if np.isfinite(info.mip_dual_bound) else None
    counts = np.rint(np.array(h.vals(n))).astype(np.int64)
    return counts, max(info.mip_dual_bound, 0.0)


def _at(rounds, code, r, k) -> bool:
    return any(rr == r and kk == k for rr, kk in zip(rounds, code, strict=True))


def _product(h, n, u, v, upper):
    """A variable y >= n_u * n_v (exact at the minimum), via the binary digits of n_u."""
    bits = max(int(upper[u]).bit_length(), 1)
    z = [h.addBinary() for _ in range(bits)]
    h.addConstr(sum(2**b * z[b] for b in range(bits)) == n[u])
    terms = []
    for b in range(bits):
        y = h.addVariable(lb=0)
        h.addConstr(y >= n[v] - float(upper[v]) * (1 - z[b]))
        terms.append(2**b * y)
    return sum(terms[1:], terms[0])


def build_from_codes(problem: Problem, seed: int) -> np.ndarray | None:
    """A plan with the model's code counts; people are dealt to codes in seeded order."""
    model = code_model(problem)
    if model is None or model.counts is None:
        return None
    rng = np.random.default_rng(seed)
    assign = np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64)
    for i in np.flatnonzero(problem.fixed >= 0):
        assign[problem.present[:, i], i] = problem.fixed[i]
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
