"""Every dialogue station staffed in every round: nobody waits at an empty station.

Maximising new pairs favours a few large groups (a group of g makes g(g-1)/2 pairs), so
with more seats than people a plan may leave a dialogue station empty in a round, or its
moderator alone there. In ``stations`` mode each station is a topic with someone waiting at
it, so in every open round in which at least as many movable people (no ``fixed_station``)
are present as there are stations, each station gets one of them besides its fixed hosts.
That is its *staffing floor*; tables are interchangeable, an empty table costs nothing.
At tables nobody sits alone either (``nobody_alone``): the objective would seat 11 people
at 3 tables of 5 as 5 + 5 + 1 (20 pairs a round against 15 for 4 + 4 + 3), the same person
alone in every round; a table holds nobody or at least two, where the round allows it.

``staff`` lifts a plan to the floor with the cheapest moves (and, where single moves are
stuck, by giving people whole new schedules); the local search then never takes a station
below it. Where the request makes the floor impossible (absences and
no-revisit rule together), the plan keeps as many stations staffed as it can and the metric
``unstaffed_groups`` says how many are not.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from .feasibility import staff_floor
from .metrics import group_sizes, plan_score
from .request import Problem

SCORED_UP_TO = 300  # people; beyond, the first option is taken unscored
MAX_CANDIDATES = 24  # moves scored per empty station (the largest groups give first)
MAX_SCHEDULES = 5040  # whole schedules listed for one person (7 stations x 5 rounds: 2,520)
RESCHEDULE_STEPS = 400  # people rescheduled before the plan is left as short as it is


def staff(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """``assign`` with every station at its floor where moves can get it there.

    Each understaffed (round, station) takes a person from a group above its floor, by the
    move that costs the objective least: a plain move in that round, or (where the person
    visits the station in another round) an exchange of their stations between two rounds,
    which keeps the no-revisit rule.
    """
    floor = staff_floor(problem)
    x = assign
    for r, k in np.argwhere(group_sizes(problem, x) < floor):
        while group_sizes(problem, x)[r, k] < floor[r, k]:
            options = _options(problem, x, floor, r, k)
            if not options:
                break
            if problem.n_people > SCORED_UP_TO:  # a full score costs O(N^2): take the first
                x = options[0]  # (from the largest group; the local search polishes after)
            else:
                x = max(options, key=lambda plan: plan_score(problem, plan))
    if _deficit(group_sizes(problem, x), floor) and problem.no_revisit:
        x = _reschedule(problem, x, floor)
    return x


def _deficit(sizes: np.ndarray, floor: np.ndarray) -> int:
    return int(np.maximum(floor - sizes, 0).sum())


def _reschedule(problem: Problem, x: np.ndarray, floor: np.ndarray) -> np.ndarray:
    """Where single moves are stuck: give one person at a time a whole new schedule that
    brings someone to an understaffed station and leaves no more cells short (a walk over
    equally short plans, seeded, a bounded number of steps)."""
    rng = np.random.default_rng(problem.seed)
    x = x.copy()
    for _ in range(RESCHEDULE_STEPS):
        sizes = group_sizes(problem, x)
        short = np.argwhere(sizes < floor)
        if short.size == 0:
            break
        r, k = short[rng.integers(len(short))]
        movers = np.flatnonzero((x[r] >= 0) & (x[r] != k) & (problem.fixed < 0))
        if movers.size == 0:
            break
        i = int(movers[rng.integers(movers.size)])
        codes = _schedules(problem, x[:, i], r, k)
        if codes is None or codes.size == 0:
            continue
        change = _onehot(problem, codes) - _onehot(problem, x[:, i][None])
        after = sizes[None] + change
        fits = (after <= problem.capacity).all(axis=(1, 2))
        worse = np.maximum(floor[None] - after, 0).sum(axis=(1, 2)) > _deficit(sizes, floor)
        ok = np.flatnonzero(fits & ~worse)
        if ok.size:
            x[:, i] = codes[ok[rng.integers(ok.size)]]
    return x


def _schedules(problem: Problem, code: np.ndarray, r: int, k: int) -> np.ndarray | None:
    """(C, R) every schedule of a person that puts them at k in round r: no station twice,
    held rounds and absences as they are (None where there are too many to list)."""
    free = [s for s in np.flatnonzero(code >= 0) if s >= problem.n_frozen and s != r]
    taken = {int(code[s]) for s in np.flatnonzero(code >= 0) if s < problem.n_frozen}
    stations = [q for q in range(problem.n_stations) if q != k and q not in taken]
    if k in taken or math.perm(len(stations), len(free)) > MAX_SCHEDULES:
        return None
    seqs = list(itertools.permutations(stations, len(free)))
    out = np.repeat(code[None], len(seqs), axis=0)
    out[:, r] = k
    if free:
        out[:, free] = np.array(seqs, dtype=np.int64).reshape(len(seqs), len(free))
    return out


def _onehot(problem: Problem, codes: np.ndarray) -> np.ndarray:
    """(C, R, K) 1 where a schedule seats its person."""
    return (codes[..., None] == np.arange(problem.n_stations)).astype(np.int64)


def _options(problem: Problem, x: np.ndarray, floor: np.ndarray, r: int, k: int) -> list:
    """Plans that bring one more person to station k in round r, the largest groups first."""
    sizes = group_sizes(problem, x)
    spare = sizes - floor
    movers = np.flatnonzero((x[r] >= 0) & (problem.fixed < 0) & (x[r] != k))
    movers = movers[spare[r, x[r, movers]] > 0]
    movers = movers[np.argsort(-spare[r, x[r, movers]], kind="stable")]
    out = []
    for i in movers:
        plan = _move(problem, x, sizes, floor, r, int(i), k)
        if plan is not None:
            out.append(plan)
        if len(out) >= MAX_CANDIDATES:
            break
    return out


def _move(problem, x, sizes, floor, r: int, i: int, k: int) -> np.ndarray | None:
    """i to station k in round r; if i is at k in another open round, i takes its old station
    there (None when that breaks a rule)."""
    old = x[r, i]
    elsewhere = np.flatnonzero(x[:, i] == k)
    plan = x.copy()
    plan[r, i] = k
    if not problem.no_revisit or elsewhere.size == 0:
        return plan
    s = int(elsewhere[0])
    fits = sizes[s, old] < problem.capacity[old] and sizes[s, k] > floor[s, k]
    if s < problem.n_frozen or not fits:
        return None
    plan[s, i] = old
    return plan


def nobody_alone(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """``assign`` (tables mode) with nobody alone at a table in an open round, where a move
    can fix it: the lone person joins another table with room, or someone from a table of
    three or more joins them; the option that costs the objective least."""
    x = assign
    for r in range(problem.n_frozen, problem.n_rounds):
        stuck: set[int] = set()
        while True:
            sizes = np.bincount(x[r][x[r] >= 0], minlength=problem.n_stations)
            lonely = [int(k) for k in np.flatnonzero(sizes == 1) if k not in stuck]
            if not lonely:
                break
            options = _company(problem, x, sizes, r, lonely[0])
            if not options:
                stuck.add(lonely[0])
            elif problem.n_people > SCORED_UP_TO:
                x = options[0]
            else:
                x = max(options, key=lambda plan: plan_score(problem, plan))
    return x


def _company(problem: Problem, x: np.ndarray, sizes: np.ndarray, r: int, k: int) -> list:
    """Plans in which the one person at table k in round r has company."""
    alone = int(np.flatnonzero(x[r] == k)[0])
    out = []
    if problem.fixed[alone] < 0:  # to a table with people and room
        for other in np.flatnonzero((sizes >= 1) & (sizes < problem.capacity)):
            if other != k:
                plan = x.copy()
                plan[r, alone] = other
                out.append(plan)
    movers = np.flatnonzero((x[r] >= 0) & (problem.fixed < 0))
    movers = movers[sizes[x[r, movers]] >= 3]  # the table left behind keeps two
    movers = movers[np.argsort(-sizes[x[r, movers]], kind="stable")][:MAX_CANDIDATES]
    if sizes[k] < problem.capacity[k]:
        for i in movers:
            plan = x.copy()
            plan[r, i] = k
            out.append(plan)
    return out
