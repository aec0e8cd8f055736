"""Starting plans for the tests of the searches: the greedy plan, and a live re-plan with its
first round held."""

from __future__ import annotations

import numpy as np

from treffpunkt.planning import PlanningError
from treffpunkt.planning.feasibility import check_feasible, staff_floor
from treffpunkt.planning.greedy import greedy_plan
from treffpunkt.planning.metrics import group_sizes
from treffpunkt.planning.request import Problem, parse_request
from treffpunkt.planning.staffing import staff


def as_rounds(problem: Problem, assign: np.ndarray) -> list[dict]:
    """``assign`` (R, N) in the plan's format: station id -> person ids, per round."""
    return [{sid: [problem.person_ids[i] for i in range(problem.n_people) if row[i] == k]
             for k, sid in enumerate(problem.station_ids)} for row in assign]  # fmt: skip


def greedy_start(request: dict, held: bool) -> tuple[dict, Problem, np.ndarray] | None:
    """(request, problem, greedy plan); with ``held`` the request holds the plan's first
    round. None where random seats do not fit the people (refused elsewhere)."""
    problem = parse_request(request)
    try:
        check_feasible(problem)
        start = greedy_plan(problem, problem.seed)
    except PlanningError:
        return None
    if held:
        request = {**request, "frozen_rounds": as_rounds(problem, start)[:1]}
        problem = parse_request(request)
    return request, problem, start


def staffed_start(request: dict, held: bool) -> tuple[Problem, np.ndarray, np.ndarray] | None:
    """(problem, the greedy plan staffed, [r, k] whether station k of round r starts at its
    staffing floor or above) for a search to start from, with ``held`` as ``greedy_start``;
    None where nothing is left to plan."""
    started = greedy_start(request, held)
    if started is None or started[1].n_frozen == started[1].n_rounds:
        return None
    _, problem, start = started
    start = staff(problem, start)
    return problem, start, group_sizes(problem, start) >= staff_floor(problem)


def staffing_kept(problem: Problem, staffed: np.ndarray, assign: np.ndarray) -> bool:
    """Every station ``staffed_start`` had at its staffing floor or above still is in
    ``assign``: the searches may not take the last needed people away."""
    return bool((group_sizes(problem, assign)[staffed] >= staff_floor(problem)[staffed]).all())
