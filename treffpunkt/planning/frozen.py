"""Rounds in the plan's format: reading them and checking them against the hard rules.

Used for ``frozen_rounds`` (rounds already held, kept as they are) and by ``evaluate`` for
plans an organiser changed by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import PlanningError

if TYPE_CHECKING:
    from .request import Problem


def read_rounds(rounds: Any, problem: Problem, what: str) -> np.ndarray:
    """(len(rounds), N) station index per person, -1 where not placed; structure checked."""
    if not isinstance(rounds, list):
        raise PlanningError(f"'{what}' must be a list of rounds.")
    if len(rounds) > problem.n_rounds:
        raise PlanningError(
            f"'{what}' has {len(rounds)} rounds but the request has only {problem.n_rounds}."
        )
    stations = {sid: k for k, sid in enumerate(problem.station_ids)}
    people = {pid: i for i, pid in enumerate(problem.person_ids)}
    out = np.full((len(rounds), problem.n_people), -1, dtype=np.int64)
    for r, groups in enumerate(rounds):
        if not isinstance(groups, dict):
            raise PlanningError(f"Round {r} of '{what}' must map station ids to lists of ids.")
        for sid, members in groups.items():
            if sid not in stations:
                raise PlanningError(f"Round {r} of '{what}' names '{sid}', which is not a station.")
            if not isinstance(members, list):
                raise PlanningError(f"Round {r} of '{what}': station '{sid}' needs a list of ids.")
            for pid in members:
                if not isinstance(pid, str) or pid not in people:
                    raise PlanningError(
                        f"Round {r} of '{what}' names '{pid}', who is not a participant."
                    )
                if out[r, people[pid]] >= 0:
                    raise PlanningError(f"Round {r} of '{what}' lists '{pid}' twice.")
                out[r, people[pid]] = stations[sid]
    return out


def rule_violations(problem: Problem, assign: np.ndarray) -> list[str]:
    """One line per broken hard rule in the first ``len(assign)`` rounds (empty = all kept)."""
    lines: list[str] = []
    for r in range(assign.shape[0]):
        lines += _round_violations(problem, assign[r], r)
    if problem.no_revisit:
        lines += _revisits(problem, assign)
    return lines


def _round_violations(problem: Problem, row: np.ndarray, r: int) -> list[str]:
    ids, sids, present = problem.person_ids, problem.station_ids, problem.present[r]
    lines = [f"Round {r}: '{ids[i]}' is present but has no station." for i in
             np.flatnonzero(present & (row < 0))]  # fmt: skip
    lines += [f"Round {r}: '{ids[i]}' is absent but has a station." for i in
              np.flatnonzero(~present & (row >= 0))]  # fmt: skip
    sizes = np.bincount(row[row >= 0], minlength=problem.n_stations)
    over = np.flatnonzero(sizes > problem.capacity)
    lines += [f"Round {r}: station '{sids[k]}' has {sizes[k]} people but room for "
              f"{problem.capacity[k]}." for k in over]  # fmt: skip
    moved = present & (problem.fixed >= 0) & (row != problem.fixed)
    lines += [f"Round {r}: '{ids[i]}' must stay at station '{sids[problem.fixed[i]]}'."
              for i in np.flatnonzero(moved)]  # fmt: skip
    return lines


def _revisits(problem: Problem, assign: np.ndarray) -> list[str]:
    lines = []
    for i in np.flatnonzero(problem.fixed < 0):
        row = assign[:, i]
        visited = row[row >= 0]
        for k in np.flatnonzero(np.bincount(visited, minlength=problem.n_stations) > 1):
            lines.append(
                f"'{problem.person_ids[i]}' visits station '{problem.station_ids[k]}' twice."
            )
    return lines


def read_frozen(rounds: Any, problem: Problem) -> np.ndarray:
    """The frozen rounds as an array; they must keep every hard rule."""
    if rounds is None:
        return np.zeros((0, problem.n_people), dtype=np.int64)
    frozen = read_rounds(rounds, problem, "frozen_rounds")
    lines = rule_violations(problem, frozen)
    if lines:
        raise PlanningError(f"The frozen rounds break a hard rule: {lines[0]}")
    return frozen
