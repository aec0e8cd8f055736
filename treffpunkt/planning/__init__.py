"""The rotation planner: who is at which station in which round (no Django in here).

``plan(request)`` takes a request dict as documented in docs/planning.md and returns the
plan with its metrics; ``evaluate(request, rounds)`` recomputes the metrics of a plan, e.g.
after an organiser moved someone by hand. Both raise :class:`PlanningError` with one line
that says what to fix.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from treffpunkt.blas import one_blas_thread
from treffpunkt.heap import freed_memory_kept

from .errors import PlanningError

__all__ = ["PlanningError", "evaluate", "plan"]


@one_blas_thread
@freed_memory_kept()
def plan(request: dict) -> dict:
    """Validate ``request``, plan the open rounds and return ``{"rounds", "metrics", ...}``."""
    from .bounds import upper_bound
    from .engine import solve
    from .feasibility import check_feasible
    from .request import parse_request

    start = time.perf_counter()
    problem = parse_request(request)
    check_feasible(problem)
    bound = upper_bound(problem, staffed=True)
    assign, algorithm = solve(problem, bound, started=start)
    metrics = _metrics(problem, assign, bound)
    metrics["runtime_s"] = round(time.perf_counter() - start, 4)
    return {"rounds": _rounds(problem, assign), "metrics": metrics, "algorithm": algorithm}


def evaluate(request: dict, rounds: Any) -> dict:
    """Metrics of ``rounds`` (the plan's format) for ``request``, plus broken hard rules.

    ``violations`` lists one line per broken hard rule (empty when the plan keeps them all),
    ``violation_details`` the same as data: ``{"rule", "round"?, "person"?, "station"?, ...}``.
    """
    from .bounds import upper_bound
    from .frozen import read_rounds, rule_violations
    from .request import parse_request

    start = time.perf_counter()
    problem = parse_request(request)
    assign = read_rounds(rounds, problem, "rounds")
    if assign.shape[0] != problem.n_rounds:
        raise PlanningError(
            f"The plan has {assign.shape[0]} rounds but the request has {problem.n_rounds}."
        )
    metrics = _metrics(problem, assign, upper_bound(problem, staffed=True))
    broken = rule_violations(problem, assign)
    metrics["violations"] = [v.line for v in broken]
    metrics["violation_details"] = [v.as_dict() for v in broken]
    metrics["runtime_s"] = round(time.perf_counter() - start, 4)
    return metrics


def _metrics(problem: Any, assign: np.ndarray, bound: int) -> dict:
    """The plan's metrics with ``bound``, the bound over staffed plans: for a plan that leaves
    a station short (rare) the bound over all plans replaces it."""
    from .bounds import upper_bound
    from .metrics import compute_metrics

    metrics = compute_metrics(problem, assign)
    if metrics["unstaffed_groups"]:
        bound = upper_bound(problem)
    metrics["upper_bound_new_pairs"] = int(bound)
    return metrics


def _rounds(problem: Any, assign: np.ndarray) -> list[dict[str, list[str]]]:
    ids, stations = problem.person_ids, enumerate(problem.station_ids)
    pairs = list(stations)
    return [{sid: [ids[i] for i in np.flatnonzero(row == k)] for k, sid in pairs} for row in assign]
