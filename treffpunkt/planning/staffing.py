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
from .metrics import group_sizes, meet_counts, scores_of_moves
from .request import Problem

SCORED_UP_TO = 300  # people; beyond, the first option is taken unscored
# Person pairs x rounds scored in all, then the first option is taken unscored too (set when
# every option cost a full score, O(N^2 R): 250 people at 49 stations of 6 for 5 rounds scored
# 560 options for 1.8 s, then 96; 100 people for 5 rounds may score 600, 40 for 4 rounds
# 4,687). ``metrics.scores_of_moves`` costs O(N R) an option since 2026-11-27; the budget is
# kept so that the plans are too.
SCORE_WORK = 30_000_000
MAX_CANDIDATES = 8  # moves scored per empty station (the largest groups give first); 24 cost
# twice the time where many stations start short (38 people at 8 stations, re-planned after
# round 1: 1.24 -> 0.65 s) for 3 new pairs over 30 random roomy requests (53,624)
MAX_SCHEDULES = 5040  # whole schedules listed for one person (7 stations x 5 rounds: 2,520)
RESCHEDULE_STEPS = 400  # people rescheduled before the plan is left as short as it is


def staff(problem: Problem, assign: np.ndarray, *, scored: bool = True) -> np.ndarray:
    """``assign`` with every station at its floor where moves can get it there.

    Each understaffed (round, station) takes a person from a group above its floor, by the
    move that costs the objective least: a plain move in that round, or (where the person
    visits the station in another round) an exchange of their stations between two rounds,
    which keeps the no-revisit rule. Not ``scored``: the first move (from the largest group),
    for starts the local search reshapes anyway.
    """
    floor = staff_floor(problem)
    x = assign
    scores_left = SCORE_WORK // (problem.n_people**2 * problem.n_rounds) if scored else 0
    for r, k in np.argwhere(group_sizes(problem, x) < floor):
        while group_sizes(problem, x)[r, k] < floor[r, k]:
            options = _options(problem, x, floor, r, k)
            if not options:
                break
            if problem.n_people > SCORED_UP_TO or scores_left < len(options):
                # beyond the scoring budget (set when every option cost a full score; kept,
                # so the plans stay as they were): the first, from the largest group (the
                # local search polishes after)
                x = options[0][1]
            else:
                scores_left -= len(options)
                scores = scores_of_moves(problem, x, options)
                x = options[int(np.argmax(scores))][1]  # the first of the best
    if missing_seats(problem, x) and problem.no_revisit:
        x = _reschedule(problem, x, floor)
    return x


def missing_seats(problem: Problem, assign: np.ndarray) -> int:
    """People missing to the staffing floor, over every round and station of ``assign``."""
    return _deficit(group_sizes(problem, assign), staff_floor(problem))


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


def _options(problem: Problem, x: np.ndarray, floor: np.ndarray, r: int,
             k: int) -> list[tuple[int, np.ndarray]]:  # fmt: skip
    """Plans that bring one more person to station k in round r, each with the person moved
    (``x`` otherwise), the largest groups first."""
    sizes = group_sizes(problem, x)
    spare = sizes - floor
    movers = np.flatnonzero((x[r] >= 0) & (problem.fixed < 0) & (x[r] != k))
    movers = movers[spare[r, x[r, movers]] > 0]
    movers = movers[np.argsort(-spare[r, x[r, movers]], kind="stable")]
    out = []
    for i in movers:
        plan = _move(problem, x, sizes, floor, r, int(i), k)
        if plan is not None:
            out.append((int(i), plan))
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
    """``assign`` (tables mode) with nobody alone at a table in an open round, where moves
    within the round can fix it: the lone person joins another table with room, someone from
    a table of three or more joins them, or (a table of one seat) both go to an empty table;
    the option that costs new pairs, colleague meetings and preferences least."""
    x = assign.copy()
    met = None  # pair meeting counts, counted once someone is found alone
    for r in range(problem.n_frozen, problem.n_rounds):
        stuck: set[int] = set()
        while True:
            sizes = np.bincount(x[r][x[r] >= 0], minlength=problem.n_stations)
            lonely = [int(k) for k in np.flatnonzero(sizes == 1) if k not in stuck]
            if not lonely:
                break
            options = _company(problem, x[r], sizes, lonely[0])
            if not options:
                stuck.add(lonely[0])
                continue
            if met is None:
                met = meet_counts(x).astype(np.int64)
            best = max(options, key=lambda moves: _gain(problem, x[r], met, moves))
            for i, table in best:
                _move_in_round(x[r], met, i, table)
    return x


Moves = list[tuple[int, int]]  # (person, table) within one round, made in this order


def _company(problem: Problem, row: np.ndarray, sizes: np.ndarray, k: int) -> list[Moves]:
    """Moves that give the one person at table k company in this round."""
    alone = int(np.flatnonzero(row == k)[0])
    movable = problem.fixed < 0
    donors = np.flatnonzero((row >= 0) & movable)
    donors = donors[sizes[row[donors]] >= 3]  # the table left behind keeps two
    donors = donors[np.argsort(-sizes[row[donors]], kind="stable")][:MAX_CANDIDATES]
    out: list[Moves] = []
    if movable[alone]:  # to a table with people and room
        room = (sizes >= 1) & (sizes < problem.capacity)
        out += [[(alone, int(t))] for t in np.flatnonzero(room) if t != k]
    if sizes[k] < problem.capacity[k]:
        out += [[(int(i), k)] for i in donors]
    elif movable[alone]:  # a one-seat table: both to an empty table for two
        empty = np.flatnonzero((sizes == 0) & (problem.capacity >= 2))
        if empty.size:
            out += [[(alone, int(empty[0])), (int(i), int(empty[0]))] for i in donors]
    return out


def _gain(problem: Problem, row: np.ndarray, met: np.ndarray, moves: Moves) -> float:
    """Weighted change of new pairs, colleague meetings and preferences when ``moves`` are
    made in the round ``row`` (tried on copies; category mix and min_size not counted)."""
    row, met = row.copy(), met.copy() if len(moves) > 1 else met
    w, total = problem.weights, 0.0
    for i, table in moves:
        leave, join = _partners(row, i, table)
        new = problem.valuable[i]
        total += w["new_pairs"] * ((new[join] & (met[i, join] == 0)).sum()
                                   - (new[leave] & (met[i, leave] == 1)).sum())  # fmt: skip
        total -= w["colleagues"] * (problem.colleague[i, join].sum()
                                    - problem.colleague[i, leave].sum())  # fmt: skip
        total += w["preferences"] * (problem.pref[i, table] - problem.pref[i, row[i]])
        if len(moves) > 1:
            _move_in_round(row, met, i, table)
    return float(total)


def _move_in_round(row: np.ndarray, met: np.ndarray, i: int, table: int) -> None:
    """Person i to ``table`` in this round; pair meeting counts kept (both changed in place)."""
    leave, join = _partners(row, i, table)
    met[i, leave] -= 1
    met[leave, i] -= 1
    met[i, join] += 1
    met[join, i] += 1
    row[i] = table


def _partners(row: np.ndarray, i: int, table: int) -> tuple[np.ndarray, np.ndarray]:
    """Whom i leaves and whom i joins by moving to ``table`` in the round ``row``."""
    leave = np.flatnonzero(row == row[i])
    return leave[leave != i], np.flatnonzero(row == table)
