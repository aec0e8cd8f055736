"""Annealing by sweeps over a round (``sweep.py``): every sweep keeps the hard rules and the
staffing floor, the score it keeps move by move is the plan's true score (a sweep makes
several moves on one scoring), and after the tabu search it finds what the annealing's
steps leave on a small meeting with many rounds."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from treffpunkt.planning.acceptance import accepted
from treffpunkt.planning.frozen import rule_violations
from treffpunkt.planning.greedy import greedy_plan
from treffpunkt.planning.metrics import group_sizes, objective_terms, plan_score
from treffpunkt.planning.person_tabu import tabu_improve, tabu_steps
from treffpunkt.planning.polish import search_steps
from treffpunkt.planning.request import parse_request
from treffpunkt.planning.search import improve
from treffpunkt.planning.sweep import Sweeps, sweep_anneal, sweep_work
from treffpunkt.planning.tablefit import by_size, merged

from .starts import as_rounds, staffed_start, staffing_kept
from .strategies import meetings

uneven_meetings = meetings(max_stations=6, max_capacity=9, max_people=40, max_hosts=1,
                           min_sizes=st.integers(0, 4))  # fmt: skip


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(uneven_meetings, st.booleans(), st.sampled_from([0.0, 0.3, 3.0]))
def test_every_sweep_keeps_the_rules_and_knows_its_score(request, held, heat):
    # At 3 times a pair's weight most moves are taken: several per sweep, each scored
    # before the first of them was made.
    started = staffed_start(request, held)  # held: the first round must stay as it was
    if started is None:
        return
    problem, start, staffed = started
    state = Sweeps(problem, start, seed=problem.seed)
    for s in range(6):
        r = int(state.open[s % state.open.size])
        before = state.a[r].copy()
        moves = state.sweep(r, heat * problem.weights["new_pairs"])
        assert moves <= (state.a[r] != before).sum() <= 2 * moves  # a swap moves two people
        assert state.score == pytest.approx(plan_score(problem, state.a), rel=0, abs=1e-6)
        assert rule_violations(problem, state.a) == []
        assert staffing_kept(problem, staffed, state.a)
        if problem.mode == "tables":  # nobody newly alone at a table
            alone = group_sizes(problem, state.a) == 1
            assert (alone <= (group_sizes(problem, start) == 1)).all()
    assert (state.a[: problem.n_frozen] == start[: problem.n_frozen]).all()
    assert state.best_score == pytest.approx(plan_score(problem, state.best), rel=0, abs=1e-6)
    found = sweep_anneal(problem, start, seed=1, work=sweep_work(problem) // 10, deadline=math.inf)
    assert plan_score(problem, found) >= plan_score(problem, start)  # never a worse plan
    assert rule_violations(problem, found) == []


def small_tables_many_rounds() -> dict:
    """45 people at 10 tables of 5-7 (60 seats) for 7 rounds."""
    return {
        "rounds": 7, "mode": "tables", "seed": 0,
        "participants": [{"id": f"p{i:02d}"} for i in range(45)],
        "stations": [{"id": f"t{k}", "capacity": c}
                     for k, c in enumerate([5, 6, 7, 5, 6, 7, 5, 6, 7, 6])],
    }  # fmt: skip


def test_after_the_tabu_search_the_sweeps_find_more_than_the_annealing():
    # The annealing scores one person's moves per step; here its 830 steps took about twice
    # the time of the sweeps (one round's moves scored at once for every person).
    problem = parse_request(small_tables_many_rounds())
    start = by_size(problem, greedy_plan(problem, 0))
    searched = tabu_improve(problem, start, seed=0, steps=tabu_steps(problem), deadline=math.inf)
    searched = by_size(problem, merged(problem, searched))  # as the planner hands it on
    annealed = improve(problem, searched, seed=0, steps=search_steps(problem, after_tabu=True),
                       deadline=math.inf)  # fmt: skip
    swept = sweep_anneal(problem, searched, seed=0, work=sweep_work(problem), deadline=math.inf)

    assert (search_steps(problem, after_tabu=True), sweep_work(problem)) == (830, 420 * 12_175)
    new_pairs = [objective_terms(problem, p)["new_pairs"] for p in (searched, annealed, swept)]
    assert new_pairs == [786, 790, 800]


def test_the_budget_is_sixty_sweeps_per_open_round_up_to_a_cap():
    small = parse_request(small_tables_many_rounds())
    first_round = as_rounds(small, greedy_plan(small, 0))[:1]
    held = parse_request({**small_tables_many_rounds(), "frozen_rounds": first_round})
    large = parse_request({
        "rounds": 5, "mode": "stations", "seed": 0,
        "participants": [{"id": f"p{i:03d}"} for i in range(400)],
        "stations": [{"id": f"s{k}", "capacity": 40} for k in range(10)],
    })  # fmt: skip
    sweep = 45 * 45 + 70 * 45 + 7_000  # the work of one sweep of 45 people
    assert (sweep_work(small), sweep_work(held)) == (60 * 7 * sweep, 60 * 6 * sweep)
    assert sweep_work(large) == 6_000_000  # 30 sweeps of 400 people, not 60 x 5


def test_the_metropolis_rule_takes_gains_and_some_losses_and_at_zero_degrees_no_loss():
    # -1e-12: a move that changes nothing, but for rounding; -inf: no move at all
    delta = np.array([2.0, 0.0, 0.0, -1.0, -1.0, -1e-12, -np.inf])
    chance = np.array([0.99, 0.1, 0.5, 0.3, 0.4, 0.1, 0.0])
    # exp(-1 / 1) = 0.37: the loss is taken with chance 0.3, not 0.4
    assert accepted(delta, chance, 1.0).tolist() == [True, True, True, True, False, True, False]
    assert accepted(delta, chance, 0.0).tolist() == [True, True, False, False, False, True, False]
    # one move at a time (the annealing's steps; a gain of 1e6 would overflow exp): the same
    one_by_one = [
        bool(accepted(d, c, 1.0)) for d, c in zip(delta.tolist(), chance.tolist(), strict=True)
    ]
    assert one_by_one == [True, True, True, True, False, True, False]
    with np.errstate(over="raise"):
        assert bool(accepted(1e6, 0.5, 1e-3)) and not accepted(-1e6, 0.0, 1e-3)


def test_a_plan_out_of_time_is_returned_as_it_came():
    problem = parse_request(small_tables_many_rounds())
    start = greedy_plan(problem, 0)
    found = sweep_anneal(problem, start, seed=0, work=sweep_work(problem), deadline=0.0)
    assert np.array_equal(found, start)
