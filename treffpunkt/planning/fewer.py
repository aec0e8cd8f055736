"""Tables mode with tables to spare: plan on the fewest tables that seat everybody.

Tables are interchangeable, so with more seats than people the best plans fill as few
tables as possible (a pair meets only at a shared table, and fuller tables hold more pairs):
40 people at 6 tables of 8 for 5 rounds got 593 new pairs on all six tables, 640 (bound
660) with the cluster design on five. The constructions (``tables.py``, ``clusters.py``)
divide people evenly over all tables, so this builder hands them a request with only the
largest tables that hold everybody present in each round (hosts' tables always kept) and maps
their plans back; the local search afterwards may still use the other tables.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .frozen import rule_violations
from .metrics import plan_score
from .request import Problem


def applies(problem: Problem) -> bool:
    return (
        problem.mode == "tables"
        and not problem.n_frozen
        and _fewest_tables(problem).size < problem.n_stations
    )


def _fewest_tables(problem: Problem) -> np.ndarray:
    """Indices of the hosts' tables and then the largest others, until the seats hold the
    people present in every round (a host counts against their own table)."""
    hosts = np.unique(problem.fixed[problem.fixed >= 0])
    others = [k for k in np.argsort(-problem.capacity, kind="stable") if k not in hosts]
    chosen = list(hosts)
    need = int(problem.present.sum(axis=1).max())
    for k in others:
        if problem.capacity[chosen].sum() >= need and len(chosen) >= 2:
            break
        chosen.append(int(k))
    return np.array(sorted(chosen), dtype=np.int64)


def _on_tables(problem: Problem, tables: np.ndarray) -> Problem:
    """The same request with only these tables (hosts renumbered to them)."""
    renumber = np.full(problem.n_stations, -1, dtype=np.int64)
    renumber[tables] = np.arange(tables.size)
    fixed = np.where(problem.fixed >= 0, renumber[np.maximum(problem.fixed, 0)], -1)
    return replace(
        problem,
        station_ids=[problem.station_ids[k] for k in tables],
        capacity=problem.capacity[tables],
        min_size=problem.min_size[tables],
        pref=problem.pref[:, tables],
        fixed=fixed,
    )


def build(problem: Problem, deadline: float) -> np.ndarray | None:
    """The best plan the constructions make on the fewest tables, on the original tables."""
    from .structured import builders_for

    tables = _fewest_tables(problem)
    fewer = _on_tables(problem, tables)
    best, best_score = None, -np.inf
    for _, make in builders_for(fewer):
        plan = make(fewer, deadline)
        if plan is None:
            continue
        plan = np.where(plan >= 0, tables[np.maximum(plan, 0)], -1)
        if rule_violations(problem, plan):
            continue
        score = plan_score(problem, plan)
        if score > best_score:
            best, best_score = plan, score
    return best
