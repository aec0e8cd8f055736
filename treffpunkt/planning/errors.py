"""The one error the planner raises for requests it cannot plan, and broken hard rules."""

from __future__ import annotations

from typing import Any, NamedTuple


class PlanningError(ValueError):
    """A request that is malformed or cannot meet the hard rules.

    The message is one line in plain words that says what to fix. ``rule`` and ``details``
    (ids and numbers, rounds counted from 0) name the refusal for callers that word it
    themselves, such as the web app in the organiser's language; empty for malformed input.
    """

    def __init__(self, message: str, *, rule: str = "", **details: Any):
        super().__init__(message)
        self.rule = rule
        self.details = details


class OutOfTime(Exception):
    """A candidate plan given up at the safety stop (``time_limit_s``), where another plan
    already seats everybody; never leaves the engine."""


class Violation(NamedTuple):
    """One broken hard rule of a plan: a line in plain words, and the same as data."""

    rule: str  # no_station, absent_with_station, over_capacity, fixed_moved, revisit
    line: str
    details: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {"rule": self.rule, **self.details}
