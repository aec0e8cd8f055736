"""The code-count search once its steps go idle: everybody's codes scored at once, exactly as
one by one, a move for every scoring, and the annealing handing over to it."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treffpunkt.planning import countsearch
from treffpunkt.planning.codejumps import Jumps, cost_in_steps
from treffpunkt.planning.countsearch import CodeAnnealer, applies
from treffpunkt.planning.frozen import rule_violations
from treffpunkt.planning.request import parse_request

from .checks import rule_breaks
from .starts import as_rounds, greedy_start
from .test_countsearch import annealer_objective, roomy, roomy_meetings


def started(request: dict, held: int) -> tuple[dict, CodeAnnealer] | None:
    """The request (round 0 held where ``held``) and its code search at its start; None
    where the code search does not apply."""
    found = greedy_start(request, bool(held) and request["rounds"] > 2)
    if found is None or not applies(found[1]):
        return None
    request, problem, first = found
    search = CodeAnnealer(problem, seed=problem.seed)
    if not search.start():
        search = CodeAnnealer(problem, seed=problem.seed)
        search.start_from(first)
    return request, search


def one_by_one(search: CodeAnnealer, group: int) -> np.ndarray:
    """``CodeAnnealer.costs`` of the group's people, row by row."""
    people = np.flatnonzero(np.array(search.group_of) == group)
    return np.array([search.costs(int(i)) for i in people]).reshape(people.size, -1)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roomy_meetings(), st.integers(0, 1), st.lists(st.integers(0, 10**6), max_size=12))
def test_everybody_scored_at_once_as_one_by_one(request, held, moves):
    found = started(request, held)
    if found is None:
        return
    _, search = found
    jumps = Jumps(search, cost_in_steps(search))
    for draw in [None, *moves]:  # at the start, then after each random allowed move
        if draw is not None:
            i = draw % search.people.size
            allowed = np.flatnonzero(np.isfinite(search.costs(i)))
            search._carry(i, search.span[search.group_of[i]][0] + int(allowed[draw % allowed.size]))
        for group, people in enumerate(jumps.members):
            if people.size:
                assert jumps.costs_of(group) == pytest.approx(one_by_one(search, group))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roomy_meetings(), st.integers(0, 1))
def test_a_move_every_time_keeps_the_rules_and_knows_its_exact_gain(request, held):
    found = started(request, held)
    if found is None:
        return
    request, search = found
    start = as_rounds(search.p, search.plan(search.carried.tolist()))
    change, codes = Jumps(search, cost_in_steps(search)).anneal(
        0, 300, math.inf, value=0.0, best=(0.0, search.carried.copy())
    )
    best = search.plan(codes.tolist())

    assert rule_violations(search.p, best) == []
    assert rule_breaks(request, as_rounds(search.p, best)) == []
    assert (best[: search.p.n_frozen] == search.p.frozen).all()
    recounted = annealer_objective(request, as_rounds(search.p, best), search)
    assert recounted - annealer_objective(request, start, search) == pytest.approx(change)


class Counted(CodeAnnealer):
    """The code search, counting the people it scores one by one."""

    scored = 0

    def costs(self, i: int) -> np.ndarray:
        self.scored += 1
        return super().costs(i)


def test_once_steps_go_idle_the_annealing_moves_every_time(monkeypatch):
    # 35 people at 3 stations of 11-22 for 3 rounds, a host at each, three absent for a
    # round, organisations of 7-9: nearly every draw keeps the code one has.
    request = roomy(35, 3, 0, 3)
    for station, capacity in zip(request["stations"], [16, 22, 11], strict=True):
        station["capacity"] = capacity
    people = request["participants"]
    for k in range(3):
        people[k]["fixed_station"] = f"s{k}"
        people[4 + 4 * k]["absent_rounds"] = [k]
    for i, person in enumerate(people[3:]):
        person["organisation"] = f"o{i % 4}"
    problem = parse_request(request)
    handing_over = Counted(problem, seed=1)
    assert handing_over.start()
    steps = countsearch._steps(problem, handing_over)
    best = handing_over.plan(handing_over.anneal(steps, math.inf))
    monkeypatch.setattr(countsearch, "WINDOW", steps + 1)  # never hands over
    stepping = Counted(problem, seed=1)
    stepping.start()
    stepping.anneal(steps, math.inf)

    assert stepping.scored == steps
    assert handing_over.scored < steps // 4
    assert rule_breaks(request, as_rounds(problem, best)) == []
