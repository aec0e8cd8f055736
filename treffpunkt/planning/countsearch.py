"""Whole schedules for roomy stations meetings: annealing over people's codes.

Where stations have more seats than people, the best plans crowd some groups and thin out
others, and a person's whole schedule (their *code*: a station per round they attend) is
what decides whom they meet. Single-round moves cannot reshape that under the no-revisit
rule: 45 people at 5 stations of 12 for 4 rounds got 630 new pairs from the cluster design
and local search, about 700 from this search. It works on the code model of ``codes.py``
(two people meet iff their codes agree in some round) with more stations than the exact
count solver can take:

* people are grouped by the open rounds they attend (late arrivals, early leavers form their
  own groups) and, in a live re-plan, by the stations they visited in the held rounds; a
  step gives one person a code of their group, all of the group's codes scored at once with
  numpy and one drawn with Boltzmann weights (a heat-bath step: far more progress per second
  than single random proposals once there are 100+ codes);
* objective: pairs with a new contact that never meet (``never`` between codes, hosts never
  met), colleague meetings and preference points at their weights, and a prohibitive penalty
  per seat below the staffing floor (``feasibility.staff_floor``); capacities are kept by
  every step;
* scores come from one vector kept up to date (``dist = never @ people per code``), each
  person's own costs per code (hosts, preferences), and per person and code the
  colleagues and known pairs it keeps apart or together (two tables kept up to date move by
  move: a step reads a row), so every step is scored exactly;
* the temperature falls linearly over a budget counted in steps, seeded: same request,
  same plan on every machine.

The category mix (per group, not per person) is not scored here; the local search after it
(``search.py``, chain swaps) mends that and what the last draws left.
"""

from __future__ import annotations

import math
import time

import numpy as np

from . import codejumps
from .codes import _code_space
from .errors import PlanningError
from .feasibility import fixed_load, seat_hosts, staff_floor
from .greedy import greedy_or_repaired
from .request import Problem

NAME = "code-count search"  # the method as plans report it (engine.py gives it a rival)
MAX_CODES = 2000  # two codes x codes tables of bytes (4 MB each); 8 stations x 4 rounds: 1,680
# Budgets halved on 2026-11-26 (49 requests: 40 random realistic ones and the bench rows up
# to 600 people): the same new pairs on average (three plans better, one 0.3 % worse) for
# 0.1-0.3 s less wherever the search runs; a quarter lost 1.4 % on 45 / 5x12 / 4.
STEPS_PER_PERSON = 150  # heat-bath steps: 45 people, 5 stations, 4 rounds in about 0.22 s
MAX_STEPS = 6_000  # the most for a small code space (120 codes: 0.22-0.38 s, 37-63 us a step)
CODE_WORK = 1_500_000  # codes scored in all: 360 codes (6 stations x 4 rounds) get 4,166 steps
CELL_WORK = 100_000_000  # codes x cells counted: 2,000 stations for one round get 25 steps
# With fewer free seats whole-schedule moves are mostly blocked: 165 people in 168 seats
# and 80 in 84 spent 0.3 s for no gain.
ROOMY = 1.1
# Start temperature in pairs: 1, or one per 8 people of an average group, since a step's
# gains grow with group size (101 people at 4 stations of 38 for 3 rounds: 3,270 new pairs at
# 1, 3,327 at 3.2; 45 people at 5 stations of 12 about the same at 1 and 1.1).
START_TEMPERATURE = 1.0
PEOPLE_PER_DEGREE = 8
WINDOW = 128  # steps over which the moves are counted (``anneal``)


def applies(problem: Problem) -> bool:
    """Stations mode with a tenth more seats than people and a code space small enough to
    hold as a matrix; where the exact model applies, only if its counts leave a station
    below the staffing floor (``codes.below_floor``); not where the two-round sizes apply
    (``tworounds.py``: they reshape whole schedules better there; 57 requests, 25 better,
    none worse)."""
    from . import codes, tworounds

    if problem.mode != "stations" or tworounds.applies(problem):
        return False
    if codes.applies(problem) and not codes.below_floor(problem):
        return False  # the exact model's plan is the best there
    busiest = problem.present[problem.n_frozen :].sum(axis=1).max(initial=0)
    roomy = problem.capacity.sum() >= ROOMY * busiest
    return bool(roomy) and 0 < _code_count(problem) <= MAX_CODES


Group = tuple[tuple[int, ...], frozenset[int]]  # open rounds attended, stations held already


def _groups(problem: Problem) -> dict[Group, np.ndarray]:
    """Movers by the open rounds they attend and (no revisits) the stations they visited in
    held rounds; nobody who misses every open round."""
    movers = np.flatnonzero(problem.fixed < 0)
    held = problem.frozen
    out: dict[Group, list[int]] = {}
    for i in movers:
        rounds = tuple(int(r) for r in np.flatnonzero(problem.present[:, i])
                       if r >= problem.n_frozen)  # fmt: skip
        visited = frozenset(int(k) for k in held[:, i] if k >= 0) if problem.no_revisit else []
        if rounds:
            out.setdefault((rounds, frozenset(visited)), []).append(int(i))
    return {group: np.array(people) for group, people in out.items()}


def _group_codes(problem: Problem, group: Group) -> list[tuple[int, ...]]:
    rounds, visited = group
    return [code for code in _code_space(problem, rounds) if visited.isdisjoint(code)]


def _code_count(problem: Problem) -> int:
    k = problem.n_stations
    total = 0
    for rounds, visited in _groups(problem):
        r = len(rounds)
        total += math.perm(k - len(visited), r) if problem.no_revisit else k**r
        if total > MAX_CODES:
            break
    return total


class CodeAnnealer:
    """People on codes under annealing; ``carried[i]`` is the code of ``people[i]``."""

    def __init__(self, problem: Problem, seed: int):
        self.p = problem
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        groups = _groups(problem)
        self.group_rounds = [rounds for rounds, _ in groups]
        self.codes = [(g, code) for g, group in enumerate(groups)
                      for code in _group_codes(problem, group)]  # fmt: skip
        self.span = _spans([g for g, _ in self.codes], len(groups))
        self.people = np.concatenate(list(groups.values()))
        self.group_of = [g for g, people in enumerate(groups.values()) for _ in people]
        k = problem.n_stations
        self.cells = [np.array([[r * k + s for r, s in zip(self.group_rounds[g], code,
                                 strict=True)] for g, code in self.codes[lo:hi]])
                      for lo, hi in self.span]  # fmt: skip
        self.incidence = [np.zeros((hi - lo, problem.n_rounds * k)) for lo, hi in self.span]
        for g, cells in enumerate(self.cells):  # code x cell: BLAS counts per code at once
            np.put_along_axis(self.incidence[g], cells, 1.0, axis=1)
        load = fixed_load(problem)
        self.room = (problem.capacity[None, :] - load).ravel()
        self.flags = np.zeros((self.room.size, 2))
        self.floor = (staff_floor(problem) - load).ravel()
        # A seat below the floor outweighs any pairs (not huge preference weights: the floor
        # is soft here, and ``staffing.staff`` lifts the plan to it afterwards).
        self.penalty = float(problem.n_people)
        self.stations = np.full((len(self.codes), problem.n_rounds), -1, dtype=np.int64)
        for u, (g, code) in enumerate(self.codes):  # station per round, -1 where away
            self.stations[u, list(self.group_rounds[g])] = code
        self.agree = self._agreements()
        self.never = (self.agree == 0).astype(np.int8)
        self._side_pairs()
        group_of = np.array(self.group_of, dtype=np.int64)
        self.members = [np.flatnonzero(group_of == g) for g in range(len(self.span))]
        self.own_by_group = self._personal_costs()  # (members, codes) per group
        self.own_cost = [np.empty(0)] * self.people.size  # per person: their row of it
        for members, own in zip(self.members, self.own_by_group, strict=True):
            for row, i in enumerate(members):
                self.own_cost[i] = own[row]
        self.dist = np.zeros(len(self.codes))  # people on codes that never meet each code
        # [i, u]: i's worthless partners whom code u never meets, colleagues' rounds shared
        # with u (kept up to date move by move: a step reads one row instead of a gather);
        # at most people x rounds, so two bytes but for huge organisations
        small = self.people.size * problem.n_rounds < np.iinfo(np.int16).max
        self.apart = np.zeros((self.people.size, len(self.codes)), np.int16 if small else np.int32)
        self.shared = np.zeros_like(self.apart)
        self.load = np.zeros(self.room.size, dtype=np.int64)
        self.carried = np.full(self.people.size, -1, dtype=np.int64)
        self.best_change = 0.0  # objective of the best codes less that of the start
        group = problem.present.sum(axis=1).mean() / problem.n_stations
        self.start_temperature = max(START_TEMPERATURE, group / PEOPLE_PER_DEGREE)

    def _agreements(self) -> np.ndarray:
        """(U, U) rounds in which carriers of the two codes share a station."""
        stations = self.stations
        agree = np.zeros((len(self.codes),) * 2, dtype=np.int8)
        for r in range(self.p.n_rounds):
            col = stations[:, r]
            agree += (col[:, None] == col[None, :]) & (col[:, None] >= 0)
        return agree

    def _side_pairs(self) -> None:
        """Per person, the others whose meeting brings no new contact, and the colleagues
        among them (each shared round costs the colleague weight, in pairs)."""
        p, people = self.p, self.people
        worthless = p.worthless[np.ix_(people, people)]
        self.worthless = [np.flatnonzero(row) for row in worthless]
        self.colleagues = [np.flatnonzero(row) for row in p.colleague[np.ix_(people, people)]]
        new = p.weights["new_pairs"]
        self.colleague_cost = p.weights["colleagues"] / new if new > 0 else 0.0

    def _personal_costs(self) -> list[np.ndarray]:
        """Per attendance group (members x codes), each code's cost of the member's own: a
        host (fixed person) with a new contact never met is a pair lost, a colleague host
        costs the colleague weight per round shared, and preference points count at their
        weight (all in pairs)."""
        p = self.p
        hosts = np.flatnonzero(p.fixed >= 0)
        at_host = (self.stations[:, :, None] == p.fixed[hosts]) & p.present[:, hosts]
        shared = at_host.sum(axis=1).astype(float)  # (U, hosts)
        at = (self.stations[:, :, None] == np.arange(p.n_stations)).sum(axis=1).astype(float)
        new = p.weights["new_pairs"]
        preference_worth = p.weights["preferences"] / new if new > 0 else 0.0
        out = []
        for mine, (lo, hi) in zip(self.members, self.span, strict=True):  # one product a group
            people = self.people[mine]
            worth = ~p.worthless[np.ix_(people, hosts)]
            cost = worth.astype(float) @ (shared[lo:hi] == 0).T
            colleague = p.colleague[np.ix_(people, hosts)].astype(float) @ shared[lo:hi].T
            cost += self.colleague_cost * colleague
            if p.pref[people].any():
                cost -= preference_worth * (p.pref[people] @ at[lo:hi].T)
            out.append(cost)
        return out

    def _code_cells(self, u: int) -> np.ndarray:
        g = self.codes[u][0]
        return self.cells[g][u - self.span[g][0]]

    def _place(self, u: int, sign: int) -> None:
        self.load[self._code_cells(u)] += sign
        self.dist += sign * self.never[u]

    def _carry(self, i: int, v: int) -> None:
        """Person i from their code (if any) to code v."""
        u = int(self.carried[i])
        kind = self.apart.dtype
        apart, shared = self.never[v].astype(kind), self.agree[v].astype(kind)
        if u >= 0:
            self._place(u, -1)
            apart -= self.never[u]
            shared -= self.agree[u]
        self._place(v, 1)
        self.carried[i] = v
        self.apart[self.worthless[i]] += apart
        self.shared[self.colleagues[i]] += shared

    def costs(self, i: int) -> np.ndarray:
        """Change of the objective for each code of person i's group if i took it (inf
        where a station has no room): pairs lost, colleague rounds, seats below the floor."""
        g, u = self.group_of[i], self.carried[i]
        lo, hi = self.span[g]
        here = self._code_cells(u)
        without = self.load.copy()  # the loads with i taken out
        without[here] -= 1
        below = without < self.floor
        flags = self.flags  # (cells, 2) floats, reused: full stations, stations below floor
        flags[:, 0] = without >= self.room
        flags[:, 1] = below
        full, filled = (self.incidence[g] @ flags).T  # per code: full stations, seats lifted
        short = int(below[here].sum()) - filled
        cost = self.dist[lo:hi] - self.dist[u] - self.never[u, lo:hi] + self.penalty * short
        own = self.own_cost[i]
        cost += own - own[u - lo]
        if self.worthless[i].size:  # a pair that brings nothing is no loss apart
            cost -= self.apart[i, lo:hi] - self.apart[i, u]
        if self.colleagues[i].size:
            cost += self.colleague_cost * (self.shared[i, lo:hi] - self.shared[i, u])
        return np.where(full == 0, cost, np.inf)

    def start(self) -> bool:
        """Each person in turn on the code losing fewest pairs (seeded ties); False when
        somebody finds no room."""
        for i, g in enumerate(self.group_of):
            lo, hi = self.span[g]
            cells = self.cells[g]
            fits = (self.load[cells] < self.room[cells]).all(axis=1)
            if not fits.any():
                return False
            short = (self.load[cells] < self.floor[cells]).sum(axis=1)
            cost = self.dist[lo:hi] + self.own_cost[i] - self.penalty * short
            cost = np.where(fits, cost, np.inf)
            ties = np.flatnonzero(cost == cost.min())
            self._carry(i, lo + int(self.rng.choice(ties)))
        return True

    def start_from(self, assign: np.ndarray) -> None:
        """Everybody on the code they have in ``assign`` (a plan that keeps the hard rules),
        whoever ``start`` placed taken off first and the random stream begun again."""
        self.rng = np.random.default_rng(self.seed)
        for array in (self.load, self.dist, self.apart, self.shared):
            array[:] = 0
        self.carried[:] = -1
        index = {code: u for u, code in enumerate(self.codes)}
        for i, person in enumerate(self.people):
            g = self.group_of[i]
            code = tuple(int(assign[r, person]) for r in self.group_rounds[g])
            self._carry(i, index[(g, code)])

    def anneal(self, steps: int, deadline: float) -> list[int]:
        """The best codes seen over ``steps`` heat-bath steps (a random person draws a new
        code of their group); ``deadline`` (perf_counter) only as a safety stop. Where the
        last ``WINDOW`` steps moved so few people that scoring everybody per move is cheaper,
        the rest of the budget buys a move per scoring (``codejumps.py``)."""
        value, best_value, best = 0.0, 0.0, self.carried.copy()
        who = self.rng.integers(self.people.size, size=steps).tolist()
        draws = self.rng.random(steps).tolist()
        jump_cost, moved = codejumps.cost_in_steps(self), 0
        for step in range(steps):
            if step % WINDOW == 0:
                if step and moved * jump_cost < WINDOW:  # mostly idle: a move every time
                    best_value, best = codejumps.Jumps(self, jump_cost).anneal(
                        step, steps, deadline, value=value, best=(best_value, best)
                    )
                    break
                moved = 0
                if time.perf_counter() > deadline:
                    break
            temperature = self.start_temperature * (1 - step / steps) + 1e-3
            i = who[step]
            cost = self.costs(i)
            weight = np.exp((cost.min() - cost) / temperature)
            cumulative = np.cumsum(weight)
            pick = int(np.searchsorted(cumulative, draws[step] * cumulative[-1]))
            v = self.span[self.group_of[i]][0] + min(pick, cost.size - 1)
            u = int(self.carried[i])
            if v == u:
                continue
            self._carry(i, v)
            moved += 1
            value += float(cost[v - self.span[self.group_of[i]][0]])
            if value < best_value - 1e-9:
                best_value, best = value, self.carried.copy()
        self.best_change = best_value
        return best.tolist()

    def plan(self, carried) -> np.ndarray:
        """The plan of these codes, hosts at their stations, held rounds as they were."""
        p = self.p
        assign = seat_hosts(p, np.full((p.n_rounds, p.n_people), -1, dtype=np.int64))
        assign[: p.n_frozen] = p.frozen
        for i, u in zip(self.people, carried, strict=True):
            g, code = self.codes[u]
            assign[list(self.group_rounds[g]), i] = code
        return assign


def _spans(code_groups: list[int], groups: int) -> list[tuple[int, int]]:
    """Index range of each attendance group's codes (they come group by group)."""
    bounds = np.searchsorted(code_groups, np.arange(groups + 1))
    return [(int(bounds[g]), int(bounds[g + 1])) for g in range(groups)]


def _steps(problem: Problem, search: CodeAnnealer) -> int:
    """Steps by people, at most MAX_STEPS, fewer where a step scores many codes or counts
    over many (round, station) cells."""
    codes = max(hi - lo for lo, hi in search.span)
    cells = search.room.size
    steps = min(MAX_STEPS, STEPS_PER_PERSON * problem.n_people, CODE_WORK // codes,
                CELL_WORK // (codes * cells))  # fmt: skip
    return int(steps * problem.effort)


def build(problem: Problem, deadline: float) -> np.ndarray | None:
    """The plan of the best codes found, from the cheapest placement or, where that finds no
    room (stations of unequal size fill up unevenly), from a plan that seats everybody."""
    search = CodeAnnealer(problem, problem.seed)
    if not search.start():
        start = _seated(problem)
        if start is None:
            return None
        search.start_from(start)
    return search.plan(search.anneal(_steps(problem, search), deadline))


def _seated(problem: Problem) -> np.ndarray | None:
    """The greedy plan or, where greedy seating gets stuck, the seating by repair from
    scratch (None where neither seats everybody): the annealing from greedy's seats
    completed by repair ended lower (52 people at 5 stations for 3 rounds, seeds 1 and 2:
    723 -> 712 and 725 -> 696 new pairs)."""
    try:
        return greedy_or_repaired(problem, keep_seats=False)[0]
    except PlanningError:
        return None
