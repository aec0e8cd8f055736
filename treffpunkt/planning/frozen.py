"""Rounds in the plan's format: reading them and checking them against the hard rules.

Used for ``frozen_rounds`` (rounds already held, kept as they are) and by ``evaluate`` for
plans an organiser changed by hand.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from .errors import PlanningError, Violation

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


def rule_violations(problem: Problem, assign: np.ndarray) -> list[Violation]:
    """Every broken hard rule in the first ``len(assign)`` rounds (empty = all kept)."""
    found: list[Violation] = []
    for r in range(assign.shape[0]):
        found += _round_violations(problem, assign[r], r)
    if problem.no_revisit:
        found += _revisits(problem, assign)
    return found


def _round_violations(problem: Problem, row: np.ndarray, r: int) -> list[Violation]:
    ids, sids, present = problem.person_ids, problem.station_ids, problem.present[r]
    found = [
        Violation("no_station", f"Round {r}: '{ids[i]}' is present but has no station.",
                  {"round": r, "person": ids[i]})
        for i in np.flatnonzero(present & (row < 0))
    ]  # fmt: skip
    found += [
        Violation("absent_with_station", f"Round {r}: '{ids[i]}' is absent but has a station.",
                  {"round": r, "person": ids[i]})
        for i in np.flatnonzero(~present & (row >= 0))
    ]  # fmt: skip
    sizes = np.bincount(row[row >= 0], minlength=problem.n_stations)
    found += [
        Violation("over_capacity", f"Round {r}: station '{sids[k]}' has {sizes[k]} people but "
                  f"room for {problem.capacity[k]}.", {"round": r, "station": sids[k],
                  "size": int(sizes[k]), "capacity": int(problem.capacity[k])})
        for k in np.flatnonzero(sizes > problem.capacity)
    ]  # fmt: skip
    moved = present & (problem.fixed >= 0) & (row != problem.fixed)
    found += [
        Violation("fixed_moved", f"Round {r}: '{ids[i]}' must stay at station "
                  f"'{sids[problem.fixed[i]]}'.", {"round": r, "person": ids[i],
                  "station": sids[problem.fixed[i]]})
        for i in np.flatnonzero(moved)
    ]  # fmt: skip
    return found


def _revisits(problem: Problem, assign: np.ndarray) -> list[Violation]:
    found = []
    for i in np.flatnonzero(problem.fixed < 0):
        row = assign[:, i]
        visited = row[row >= 0]
        for k in np.flatnonzero(np.bincount(visited, minlength=problem.n_stations) > 1):
            pid, sid = problem.person_ids[i], problem.station_ids[k]
            found.append(
                Violation("revisit", f"'{pid}' visits station '{sid}' twice.",
                          {"person": pid, "station": sid})
            )  # fmt: skip
    return found


def read_frozen(rounds: Any, problem: Problem) -> np.ndarray:
    """The frozen rounds as an array; they must keep every hard rule."""
    if rounds is None:
        return np.zeros((0, problem.n_people), dtype=np.int64)
    frozen = read_rounds(rounds, problem, "frozen_rounds")
    broken = rule_violations(problem, frozen)
    if broken:
        raise PlanningError(
            f"The frozen rounds break a hard rule: {broken[0].line}",
            rule="frozen_rounds_broken",
            violated=broken[0].rule,
            **broken[0].details,
        )
    return frozen
