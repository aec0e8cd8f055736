"""Local search on the best candidate (``engine.py`` builds and ranks the candidates).

Two searches where the process may fork, the second with another seed and from another
start (``polish_twice``); chain swaps where rounds come close to the station count, else the
tabu search at person level then the annealing; the code-count search's plan against its
rival (``greedy_rival``); restarts for small meetings. Budgets are counted in steps, so the
same request and seed give the same plan on every machine.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import background, countsearch, crowded, largest
from .background import Forked
from .chains import chain_search, wants_chains
from .errors import OutOfTime, PlanningError
from .feasibility import FEW_ATTEMPTS
from .greedy import NAME as GREEDY
from .greedy import greedy_plan
from .metrics import plan_score
from .person_tabu import TabuRun, tabu_improve, tabu_steps
from .person_tabu import applies as tabu_applies
from .request import Problem
from .search import improve
from .staffing import nobody_alone
from .sweep import sweep_anneal, sweep_work
from .tablefit import by_size, merged

RESTART_PEOPLE = 40  # up to here a plan without a construction gets several searches
RESTARTS = 2  # further starts from other greedy plans
# Above this many people the annealing after the tabu search gets half its steps: they cost
# more there, and the tabu search has settled the groups (300 people at 10 stations of 20-40
# for 5 rounds: 0.98 -> 0.8 s for 0.7 % fewer new pairs; 200 people at 10 stations of 15-30
# with absences and organisations 1.15 -> 0.95 s from a cold start, 9,658 -> 9,648 new pairs;
# below 150, halving lost on the seed meeting and on requests with organisations).
AFTER_TABU_PEOPLE = 150
# Above this many people the annealing gets half its steps: on 40 random realistic requests of
# 31-277 people that lost nothing on average (0.3 % at most) for 0.05-0.25 s less; 100 people
# at 8 stations of 8-20 with organisations lost 0.36 % of the objective for 0.2 s (0.8-1.1 s
# from a cold start before); below, the seed meeting needs it (883 new pairs, 882 with half).
FULL_STEPS_PEOPLE = 80
# Up to this many people a second local search with another seed runs beside the first
# (``polish_twice``); above, constructions carry the plan, and the second search's arrays
# would double the memory (10,000 people: about 400 MB more).
SECOND_SEARCH_PEOPLE = 1000
# Where chain swaps carry the plan, free seats are filled by single-round moves: by the tabu
# search (half its budget) and the annealing up to this many people (35 / 7x6 / 6: 420 -> 435
# new pairs, 119 / 7x20 / 6: 5,152 -> 5,186, for 0.1-0.3 s; the full budget gained 4 and 15
# more, but 102 / 6x20 / 6 then took 1.04 s from a cold start), by the annealing alone above
# (300 / 14x22 / 14 gained nothing from the tabu search for 0.17 s).
FREE_SEATS_TABU_PEOPLE = 200
# Up to this many people the code search's plan gets the tabu search (half its budget) before
# it meets its rival, which has had it (``_polish``): a fairer match. 46 requests in that
# regime with seeds 1-3: where the rival had won against the unpolished code plan, the
# polished one often wins (66 people at 5 stations of 8-27 for 3 rounds: 1,284, 1,280, 1,286
# -> 1,305, 1,285, 1,304 new pairs; 80 / 6x16 / 4 seed 2: 1,903 -> 1,924), no plan worse, for
# 0-0.2 s more. Above, it gained too (131 people at 9 stations for 2 rounds: +2 to +4) but
# the full search costs 0.5-1 times the whole plan's time there.
CODE_TABU_PEOPLE = 80
CODE_TABU_SHARE = 0.5  # of the tabu search's budget
LONE_PAIRS = 10  # a table of one in the annealing after company is found (``_with_company``)
LONE_SHARE = 0.25  # of the annealing's budget there (all of it: 0-3 pairs more, 4 times the work)
# Of the tabu search's budget, for each start compared (``_probed``): the design leads early
# and can stall (4,533 -> 4,407 new pairs on realistic request 202 where the second search
# looked after a quarter). The first search looked after a quarter until 2026-11-27; after
# half, realistic 0-199 at seeds 1 (and 2 for 100-199): 2 of 264 plans better (#88 8,068 ->
# 8,095, #123 4,524 -> 4,550), none worse, no more time (the second search is the longer).
PROBE_SHARE = 0.5


def search_steps(problem: Problem, *, after_tabu: bool = False) -> int:
    """The annealing's budget in steps, scaled by ``effort``: 200 + 2 x people x open
    rounds, at most 1,500, up to ``FULL_STEPS_PEOPLE``; half of that up to 300 people; 500
    up to 1,000 people and 100 above (steps cost more there, constructions carry large
    meetings); and half of it again after the tabu search above ``AFTER_TABU_PEOPLE``."""
    people, free_rounds = problem.n_people, problem.n_rounds - problem.n_frozen
    if people > 300:
        base = 500 if people <= 1000 else 100
    else:
        base = min(200 + 2 * people * free_rounds, 1500)
        base //= 1 if people <= FULL_STEPS_PEOPLE else 2
    steps = int(base * problem.effort)
    return steps // 2 if after_tabu and people > AFTER_TABU_PEOPLE else steps


def greedy_rival(problem: Problem, deadline: float,
                  target: float) -> tuple[np.ndarray, str] | None:  # fmt: skip
    """The code-count search's rival: the best greedy start (the greedy plan, or a crowded
    one where they apply: 141 people at 7 stations of 17-30 for 4 rounds 5,389 -> 5,566 new
    pairs) after the tabu search, and its name; None where greedy seating gets stuck."""
    greedy = _greedy_or_none(problem, deadline)
    if greedy is None:
        return None
    counts = crowded.held_counts(problem)
    starts = [(greedy, GREEDY)]
    starts += [(plan, crowded.NAME) for plan in crowded.crowded_plans(problem, deadline, counts)]
    start, name = max(starts, key=lambda item: plan_score(problem, item[0]))  # ties: greedy
    return _tabu(problem, start, problem.seed, deadline, target), name


def polish_twice(problem: Problem, plan: np.ndarray, name: str, deadline: float, *,
                  greedy: np.ndarray | None, target: float, rival: Forked | None,
                  other_start: tuple[np.ndarray, str] | None,
                  ) -> tuple[np.ndarray, str]:  # fmt: skip
    """The better of two local searches (ties: the first), the second with another seed
    and on the second core where the process may fork (``background``): the first from the
    best candidate, the second from ``other_start`` (a greedy start of another shape), else
    from a greedy plan of the other seed where the best candidate is greedy, else from it.
    Where the best candidate is the cluster design on the largest stations, each search
    weighs its start against the other's partway through the tabu search and goes on from
    the one that leads (``_probed``): the design's search can stall below a plain start's,
    or lead it by far, so both may search from one start, each with its own seed.

    One search ends in one of several local optima, some of them far apart, and the start
    decides much of it: over 40 random realistic requests, a second search from the same start
    had 0.09 % more new pairs on average (158 people at 10 stations for 5 rounds: 6,587 ->
    6,726; 45 / 5x12 / 4 reached the best plan known, 701 -> 706), one from another greedy
    start more (6,820 there). Where the code search's plan is polished outside the chain
    regime, its rival (the best greedy start after the tabu search, where greedy seats
    everybody) is the second opinion already; above ``SECOND_SEARCH_PEOPLE`` the
    constructions carry the plan and a second search would double the memory."""
    one_search = name == countsearch.NAME and not wants_chains(problem)
    if one_search or problem.n_people > SECOND_SEARCH_PEOPLE:
        return _polish(problem, plan, name, deadline, greedy=greedy, target=target, rival=rival)
    other = second_seed(problem)

    def search(seeded: Problem) -> tuple[np.ndarray, str]:
        start, start_name, fallback = plan, name, None
        if seeded is other and other_start is not None:
            start, start_name = other_start
            if name == largest.NAME:
                fallback = (plan, name)
        elif seeded is other and name == GREEDY:  # another seed's greedy plan, if any
            start = _greedy_or_none(other, deadline)
            start = plan if start is None else start
        elif name == largest.NAME:
            fallback = other_start
        return _polish(seeded, start, start_name, deadline, greedy=greedy, target=target,
                       fallback=fallback)  # fmt: skip

    second = background.start(lambda: search(other))
    try:
        first = search(problem)
        found = background.result_or(second, lambda: search(other), deadline)
    finally:  # an error here leaves no child behind
        if second is not None:
            second.cancel()
    return first if plan_score(problem, first[0]) >= plan_score(problem, found[0]) else found


def second_seed(problem: Problem) -> Problem:
    """``problem`` with the seed of the second local search (``polish_twice``)."""
    return dataclasses.replace(problem, seed=problem.seed * 7919 + 17)


def _greedy_or_none(problem: Problem, deadline: float) -> np.ndarray | None:
    """The greedy plan of ``problem``'s seed as ``_greedy_or_latin`` computes it where
    another plan seats everybody; None where greedy seating gets stuck or time is up."""
    try:
        return greedy_plan(problem, problem.seed, FEW_ATTEMPTS, deadline)
    except (PlanningError, OutOfTime):
        return None


def _polish(problem: Problem, plan: np.ndarray, name: str, deadline: float, *,
            greedy: np.ndarray | None, target: float, rival: Forked | None = None,
            fallback: tuple[np.ndarray, str] | None = None) -> tuple[np.ndarray, str]:  # fmt: skip
    """Local search from the best candidate, and the name of the plan it started from:
    chain swaps where rounds come close to the station count (there single-round swaps
    mostly revisit a station), else single-round moves (``_single_round_search``), with
    more starts for small meetings without a construction.

    The code search's plan competes with its rival, the best greedy start (``greedy_rival``)
    after the tabu search: over four seeds of 80 people at 6 stations of 16 for 4 rounds,
    1,919-1,948 new pairs from the code search against 1,938-1,952 from the better of the two
    (the best plan known: 1,951). Up to ``CODE_TABU_PEOPLE`` the code plan has the tabu
    search first (``CODE_TABU_SHARE`` of its budget), as its rival had."""
    if wants_chains(problem):
        plan = chain_search(problem, plan, seed=problem.seed, deadline=deadline)
        if problem.has_free_seats and problem.n_people <= FREE_SEATS_TABU_PEOPLE:
            plan = _single_round_search(problem, plan, problem.seed, deadline, target, share=0.5)
        elif problem.has_free_seats:  # only single-round moves fill free seats
            plan = _anneal(problem, plan, problem.seed, deadline, after_tabu=False)
        return plan, name
    if name == countsearch.NAME and greedy is not None:
        if problem.n_people <= CODE_TABU_PEOPLE:  # the rival had the tabu search too
            plan = _tabu(problem, plan, problem.seed, deadline, target, CODE_TABU_SHARE)
        found = background.result_or(  # computed meanwhile where it could be
            rival, lambda: greedy_rival(problem, deadline, target), deadline
        )
        if found is not None and plan_score(problem, found[0]) > plan_score(problem, plan):
            plan, name = found
        return _anneal(problem, plan, problem.seed, deadline, after_tabu=True, target=target), name
    if fallback is not None and tabu_applies(problem):  # stations mode: no tables to fit
        plan, name = _probed(problem, (plan, name), fallback, deadline, target)
        plan = _anneal(problem, plan, problem.seed, deadline, after_tabu=True, target=target)
    else:
        plan = _single_round_search(problem, plan, problem.seed, deadline, target)
    if name == GREEDY and problem.n_people <= RESTART_PEOPLE:
        plan = _restarts(problem, plan, deadline)
    return _with_company(problem, plan, deadline), name


def _probed(problem: Problem, start: tuple[np.ndarray, str], fallback: tuple[np.ndarray, str],
            deadline: float, target: float, share: float = PROBE_SHARE,
            ) -> tuple[np.ndarray, str]:  # fmt: skip
    """The tabu search from ``start`` or from ``fallback`` (plan, name), whichever leads
    after ``share`` of its steps, run to the end; as (plan, name). Where the start leads,
    its plan is the one a single search would give.

    The cluster design on the largest stations ranks first by its start, but its search can
    end far below another start's: 117 people at 9 stations of 6-28 for 6 rounds, 4,020 new
    pairs -> 4,285 after a quarter of the tabu search, 4,298 after all of it; the seating by
    repair 3,847 -> 4,348 and 4,490 (the plan: 4,473 -> 4,541). The other way round, the
    second search's start, where the design leads by far, is search time lost: 165 people at
    8 stations of 11-29 for 5 rounds, seed 1, 8,120 from a crowded start, 8,126 from the
    design, 8,166 from the design with the second seed.

    Measured on the 47 requests among ``realistic.request(n)``, n < 200, where the design
    ranks first or second (seeds 1-2), and on realistic 200-299 (seed 1). The first search
    so, after a quarter of its tabu steps: 6 and 3 plans better (up to +1.5 %), none worse,
    the rest the same, for about a tenth more time on those requests (after half: 2 more
    plans better, ``PROBE_SHARE``). The second search so, after half its tabu steps: 37
    better and 6 worse (+0.07 % new pairs in all), 8 better and 1 worse (-0.11 %; +0.04 %),
    8 % more time again; after a quarter, 200-299 lost (-0.01 %). Weighing every first
    search against its runner-up (172 plans of n < 100) changed no plan but those."""
    steps = tabu_steps(problem)
    runs = [(TabuRun(problem, plan, seed=problem.seed, steps=steps, deadline=deadline,
                     target=target), name) for plan, name in (start, fallback)]  # fmt: skip
    run, name = max(runs, key=lambda item: plan_score(problem, item[0].run(share)))
    return run.run(), name


def _with_company(problem: Problem, plan: np.ndarray, deadline: float) -> np.ndarray:
    """At tables: ``plan`` with nobody alone (``staffing.nobody_alone``), two groups that fit
    one table merged (``tablefit.merged``) and, where that moved people, the annealing once
    more with a table of one counted ``LONE_PAIRS`` new pairs short, to mend what the moves
    cost without leaving anyone alone again.

    The searches use a table of one as a stepping stone (it frees a seat at a full table);
    company found for its person afterwards cost 3-20 new pairs on 18 of 32 tables plans
    (``realistic.request(n)``, n < 100, seeds 1-2: 52 people at 7 tables of 9-11 for 4
    rounds 825 -> 806). Searching without tables of one from the start ended lower there
    (803); this gains 0-6 new pairs on each of those 18 (806 -> 809), none fewer, for a
    quarter of the annealing's budget. Every table counts as having a ``min_size`` of 2 in
    that quarter: a request's own ``min_size``, the least of the objective's terms, is not
    weighed there."""
    if problem.mode != "tables":
        return plan
    joined = merged(problem, nobody_alone(problem, plan))
    if (joined == plan).all():
        return plan
    weights = {**problem.weights, "min_size": LONE_PAIRS * problem.weights["new_pairs"]}
    lone_averse = dataclasses.replace(problem, min_size=np.full_like(problem.min_size, 2),
                                      weights=weights)  # fmt: skip
    return _anneal(lone_averse, joined, problem.seed, deadline, after_tabu=True, share=LONE_SHARE)


def _restarts(problem: Problem, plan: np.ndarray, deadline: float) -> np.ndarray:
    """The best of ``plan`` and local searches from other greedy plans.

    Where no construction fits (small meetings, groups of uneven size) one search ends in
    one of many local optima, a few pairs apart; a handful of starts costs little there.
    """
    best, best_score = plan, plan_score(problem, plan)
    for k in range(1, RESTARTS + 1):
        seed = problem.seed * 7919 + k
        found = _anneal(problem, greedy_plan(problem, seed), seed, deadline, after_tabu=False)
        score = plan_score(problem, found)
        if score > best_score:
            best, best_score = found, score
    return best


def _single_round_search(problem: Problem, plan: np.ndarray, seed: int, deadline: float,
                         target: float, share: float = 1.0) -> np.ndarray:  # fmt: skip
    """Tabu search over all moves of a round (``person_tabu.py``; it settles the group
    structure), then the annealing (``search.py``; its whole-schedule swaps move colleagues
    and categories apart without touching the structure). Measured on 27 requests: the
    tabu search alone lost on the seed meeting (871 against 883 new pairs), the annealing
    alone on every request with groups of uneven size (171 people at 9 stations of 9-26:
    7,191 against 7,393). At tables each starts from the groups at the tables that fit them,
    two groups that fit one table merged first (``_at_tables``): the searches fill only free
    seats, and neither merges two groups. ``share``: of the tabu search's budget."""
    after_tabu = tabu_applies(problem)
    plan = _tabu(problem, _at_tables(problem, plan), seed, deadline, target, share)
    plan = _at_tables(problem, plan)
    return _anneal(problem, plan, seed, deadline, after_tabu=after_tabu, target=target)


def _at_tables(problem: Problem, plan: np.ndarray) -> np.ndarray:
    """At tables: two groups that fit one table merged (``tablefit.merged``), each group at
    the table that fits it (``tablefit.by_size``); else ``plan``."""
    return by_size(problem, merged(problem, plan))


def _tabu(problem: Problem, plan: np.ndarray, seed: int, deadline: float, target: float,
          share: float = 1.0) -> np.ndarray:  # fmt: skip
    steps = int(tabu_steps(problem) * share)
    return tabu_improve(problem, plan, seed=seed, steps=steps, deadline=deadline, target=target)


def _anneal(problem: Problem, plan: np.ndarray, seed: int, deadline: float, *, after_tabu: bool,
            share: float = 1.0, target: float = math.inf) -> np.ndarray:  # fmt: skip
    """The annealing (``search.py``), where the tabu search ran before it the sweeps first
    (``sweep.py``); nothing where the plan scores ``target`` already (no plan scores more)."""
    if target < math.inf and plan_score(problem, plan) >= target - 1e-9:
        return plan
    if after_tabu:
        work = int(sweep_work(problem) * share)
        plan = sweep_anneal(problem, plan, seed=seed, work=work, deadline=deadline)
    steps = int(search_steps(problem, after_tabu=after_tabu) * share)
    return improve(problem, plan, seed=seed, steps=steps, deadline=deadline)
