"""The planning pipeline: candidates per regime, the best one polished by local search.

Every candidate is a complete plan that keeps the hard rules; the plan returned is the one
with the best weighted objective, and the greedy plan is always a candidate, so the result is
never worse than greedy.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable

import numpy as np

from . import background, countsearch, crowded, largest
from .background import Forked
from .chains import chain_search, wants_chains
from .errors import OutOfTime, PlanningError
from .feasibility import FEW_ATTEMPTS, check_feasible
from .frozen import rule_violations
from .greedy import NAME as GREEDY
from .greedy import greedy_plan, latin_plan
from .metrics import objective_terms, plan_score
from .person_tabu import applies as tabu_applies
from .person_tabu import tabu_improve, tabu_steps
from .repair import repaired_plan
from .request import Problem
from .search import improve
from .staffing import nobody_alone, staff

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
# (``_polish_twice``); above, constructions carry the plan, and the second search's arrays
# would double the memory (10,000 people: about 400 MB more).
SECOND_SEARCH_PEOPLE = 1000
# Where chain swaps carry the plan, free seats are filled by single-round moves: by the tabu
# search (half its budget) and the annealing up to this many people (35 / 7x6 / 6: 420 -> 435
# new pairs, 119 / 7x20 / 6: 5,152 -> 5,186, for 0.1-0.3 s; the full budget gained 4 and 15
# more, but 102 / 6x20 / 6 then took 1.04 s from a cold start), by the annealing alone above
# (300 / 14x22 / 14 gained nothing from the tabu search for 0.17 s).
FREE_SEATS_TABU_PEOPLE = 200

# Candidates seated by greedy: where one of them is best, the second local search starts from
# the next best of them (another shape of groups), not from the same plan.
GREEDY_STARTS = {GREEDY, crowded.NAME}

Builder = Callable[[Problem, float], "np.ndarray | None"]


def _builders(problem: Problem) -> list[tuple[str, Builder]]:
    """Structured constructions that apply to this request, best first."""
    from .structured import builders_for

    return builders_for(problem)


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


def is_perfect(problem: Problem, assign: np.ndarray, bound: int) -> bool:
    """Every objective term at its own best: no other plan can score higher."""
    terms = objective_terms(problem, assign)
    return (
        terms["new_pairs"] >= bound
        and terms["colleagues"] == 0
        and terms["categories"] == 0
        and terms["min_size"] == 0
        and terms["preferences"] >= _best_preferences(problem) - 1e-9
    )


def perfect_score(problem: Problem, bound: int) -> float:
    """The objective of a plan with every term at its own best: no plan scores more, so a
    search that reaches it can stop."""
    w = problem.weights
    return w["new_pairs"] * bound + w["preferences"] * _best_preferences(problem)


def _best_preferences(problem: Problem) -> float:
    """Preference points if everybody were at their favourite station in every round."""
    best = np.where(problem.fixed >= 0, problem.pref[np.arange(problem.n_people),
                    problem.fixed], problem.pref.max(axis=1))  # fmt: skip
    return float((problem.present.sum(axis=0) * best).sum())


def solve(problem: Problem, bound: int, *, started: float | None = None) -> tuple[np.ndarray, str]:
    """The plan (R, N station per person, -1 absent) and the name of the method behind it;
    at tables nobody is left alone (``staffing.nobody_alone``). ``time_limit_s`` counts
    from ``started`` (``time.perf_counter()``; default now)."""
    started = time.perf_counter() if started is None else started
    plan, name = _solve(problem, bound, started + problem.time_limit_s)
    if problem.mode == "tables":
        plan = nobody_alone(problem, plan)
    return plan, name


def _solve(problem: Problem, bound: int, deadline: float) -> tuple[np.ndarray, str]:
    check_feasible(problem)
    builders = _builders(problem)
    target = perfect_score(problem, bound)
    has_rival = _has_rival(problem, builders)
    rival = (
        background.start(lambda: _greedy_rival(problem, deadline, target)) if has_rival else None
    )
    roomy, roomy_starts = _start_roomy(problem, deadline, has_rival=has_rival)
    try:
        return _best_plan(problem, bound, deadline, builders, target, rival, roomy_starts)
    finally:
        for child in (rival, roomy):
            if child is not None:
                child.cancel()


def _start_roomy(problem: Problem, deadline: float, *,
                   has_rival: bool) -> tuple[Forked | None, Callable[[str], list]]:  # fmt: skip
    """The starts for roomy stations (the crowded greedy plans, ``crowded.py``, 0.1-0.25 s for
    100-200 people, and the cluster design on the largest stations, ``largest.py``, up to
    0.2 s): the child computing half of the crowded plans and the design on the second core
    while the constructions, the greedy plan and the other half are built (None where it
    does not fork), and the function that returns them all as (plan, name) given the name of
    the best candidate so far. None in the chain regime (chain swaps reshape the plan there),
    nor where the code search's plan is best and meets its rival (which starts from the
    crowded plans); where that plan loses, all crowded plans are computed here."""
    chains = wants_chains(problem)
    counts = [] if chains else crowded.held_counts(problem)
    designed = not chains and largest.applies(problem)  # never beside the code search
    split = len(counts) if has_rival else len(counts) // 2
    here, there = counts[:split], counts[split:]

    def held(part: list[int]) -> list[tuple[np.ndarray, str]]:
        return [(plan, crowded.NAME) for plan in crowded.crowded_plans(problem, deadline, part)]

    def elsewhere() -> list[tuple[np.ndarray, str]]:
        return held(there) + (_largest_start(problem, deadline) if designed else [])

    child = background.start(elsewhere) if there or designed else None

    def starts(best: str) -> list[tuple[np.ndarray, str]]:
        if has_rival and best == countsearch.NAME:
            return []
        return held(here) + background.result_or(child, elsewhere, deadline)

    return child, starts


def _largest_start(problem: Problem, deadline: float) -> list[tuple[np.ndarray, str]]:
    """The cluster design on the largest stations, staffed like every construction; none
    where it does not fit."""
    plan = largest.build(problem, deadline)
    if plan is None or rule_violations(problem, plan):
        return []
    return [(staff(problem, plan), largest.NAME)]


def _best_plan(problem: Problem, bound: int, deadline: float, builders: list, target: float,
               rival: Forked | None,
               roomy_starts: Callable[[str], list]) -> tuple[np.ndarray, str]:  # fmt: skip
    candidates = []
    for name, build in builders:
        if time.perf_counter() > deadline:
            break
        plan = build(problem, deadline)
        if plan is None or rule_violations(problem, plan):
            continue
        plan = staff(problem, plan)
        if is_perfect(problem, plan, bound):  # provably best: nothing left to search
            return plan, name
        candidates.append((plan, name))
    candidates += _greedy_or_latin(problem, has_other=bool(candidates), deadline=deadline)
    ranked = _ranked(problem, candidates)
    more = roomy_starts(ranked[0][3])
    if more:
        ranked = _ranked(problem, more, after=ranked)
    best_score, _, best, name = ranked[0]
    if is_perfect(problem, best, bound):
        return best, name
    greedy = next((plan for plan, method in candidates if method == GREEDY), None)
    if rival is not None and (name != countsearch.NAME or greedy is None):
        rival.cancel()  # the code search's plan lost: its rival is not needed, free the core
    polished, start = _polish_twice(problem, best, name, deadline, greedy=greedy, target=target,
                                    rival=rival, other_start=_runner_up(ranked))  # fmt: skip
    if plan_score(problem, polished) > best_score:
        return polished, f"{start} + local search"
    return best, name


def _ranked(problem: Problem, candidates: list, *, after: list | None = None) -> list:
    """(score, -index, plan, name) of the candidates, with those ranked ``after`` (which
    come first in the order of candidates), best first (ties: the earlier)."""
    before = after or []
    scored = [(plan_score(problem, plan), -(len(before) + n), plan, name) for n, (plan, name)
              in enumerate(candidates)]  # fmt: skip
    return sorted(before + scored, key=lambda item: item[:2], reverse=True)


def _runner_up(ranked: list) -> tuple[np.ndarray, str] | None:
    """The start for the second local search where the shape of the groups matters: the
    next best greedy start where one is best, the best crowded start where a construction is
    (100 people at 8 stations of 8-20 for 5 rounds: 2,964 new pairs from the cluster design
    and search, 3,025 from a crowded start), the next best candidate of any kind where the
    design on the largest stations is (its high start can end lower than a plain one: 117
    people at 9 stations of 6-28 for 6 rounds, where greedy seating gets stuck, seeds 1, 3
    and 4: 4,321, 4,301 and 4,294 new pairs from it and the best crowded start, 4,389, 4,536
    and 4,289 from it and the seating by repair; 4,450, 4,536 and 4,307 without the design);
    else None (the same start, another seed)."""
    best = ranked[0][3]
    if best == largest.NAME:
        return next(((plan, name) for _, _, plan, name in ranked[1:]), None)
    wanted = GREEDY_STARTS if best in GREEDY_STARTS else {crowded.NAME}
    return next(((plan, name) for _, _, plan, name in ranked[1:] if name in wanted), None)


def _has_rival(problem: Problem, builders: list) -> bool:
    """Whether the code-count search's plan will meet its rival (the best greedy start after
    the tabu search, ``_polish``). Where the process may fork (``background.py``) the rival
    is computed meanwhile on the second core: the same plan as computed after the code search
    (both are deterministic), about 0.2-0.45 s sooner."""
    return not wants_chains(problem) and any(name == countsearch.NAME for name, _ in builders)


def _greedy_rival(problem: Problem, deadline: float,
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


def _greedy_or_latin(problem: Problem, *, has_other: bool,
                     deadline: float) -> list[tuple[np.ndarray, str]]:  # fmt: skip
    """The greedy plan and, where everybody visits every station, the Latin rotation too
    (no worse than a random plan, and greedy seating can get stuck there); where greedy
    seating gets stuck and nothing else seats everybody, the seating by repair
    (``repair.py``); PlanningError (greedy's, naming the round it got stuck in) if nothing
    seats everybody.

    Stuck greedy seating is retried with another seed only: the repair seats everybody where
    64 seeds did not (1,500 random requests: greedy stuck twice on 179, repair seated all;
    none that more seeds of greedy seated and the repair did not). Where another plan seats
    everybody, the greedy plan stops at the safety stop (``deadline``).
    """
    full_rotation = problem.no_revisit and problem.n_rounds == problem.n_stations
    latin = latin_plan(problem) if full_rotation or not has_other else None
    out = [] if latin is None else [(latin, "Latin rotation")]
    stop = deadline if has_other or out else math.inf
    try:
        return [*out, (greedy_plan(problem, problem.seed, FEW_ATTEMPTS, stop), GREEDY)]
    except (PlanningError, OutOfTime) as error:
        if has_other or out:
            return out
        stuck = error
    repaired = repaired_plan(problem)
    if repaired is None:
        raise stuck
    return [(repaired, "seating by repair")]


def _polish_twice(problem: Problem, plan: np.ndarray, name: str, deadline: float, *,
                  greedy: np.ndarray | None, target: float, rival: Forked | None,
                  other_start: tuple[np.ndarray, str] | None,
                  ) -> tuple[np.ndarray, str]:  # fmt: skip
    """The better of two local searches (ties: the first), the second with another seed
    and on the second core where the process may fork (``background``): the first from the
    best candidate, the second from ``other_start`` (a greedy start of another shape), else
    from a greedy plan of the other seed where the best candidate is greedy, else from it.

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
    other = dataclasses.replace(problem, seed=problem.seed * 7919 + 17)

    def search(seeded: Problem) -> tuple[np.ndarray, str]:
        start, start_name = plan, name
        if seeded is other and other_start is not None:
            start, start_name = other_start
        elif seeded is other and name == GREEDY:  # another seed's greedy plan, if any
            start = _greedy_or_none(other, deadline)
            start = plan if start is None else start
        return _polish(seeded, start, start_name, deadline, greedy=greedy, target=target)

    second = background.start(lambda: search(other))
    try:
        first = search(problem)
        found = background.result_or(second, lambda: search(other), deadline)
    finally:  # an error here leaves no child behind
        if second is not None:
            second.cancel()
    return first if plan_score(problem, first[0]) >= plan_score(problem, found[0]) else found


def _greedy_or_none(problem: Problem, deadline: float) -> np.ndarray | None:
    """The greedy plan of ``problem``'s seed as ``_greedy_or_latin`` computes it where
    another plan seats everybody; None where greedy seating gets stuck or time is up."""
    try:
        return greedy_plan(problem, problem.seed, FEW_ATTEMPTS, deadline)
    except (PlanningError, OutOfTime):
        return None


def _polish(problem: Problem, plan: np.ndarray, name: str, deadline: float, *,
            greedy: np.ndarray | None, target: float,
            rival: Forked | None = None) -> tuple[np.ndarray, str]:  # fmt: skip
    """Local search from the best candidate, and the name of the plan it started from:
    chain swaps where rounds come close to the station count (there single-round swaps
    mostly revisit a station), else single-round moves (``_single_round_search``), with
    more starts for small meetings without a construction.

    The code search's plan competes with its rival, the best greedy start (``_greedy_rival``)
    after the tabu search: over four seeds of 80 people at 6 stations of 16 for 4 rounds,
    1,919-1,948 new pairs from the code search against 1,938-1,952 from the better of the two
    (the best plan known: 1,951)."""
    if wants_chains(problem):
        plan = chain_search(problem, plan, seed=problem.seed, deadline=deadline)
        if problem.has_free_seats and problem.n_people <= FREE_SEATS_TABU_PEOPLE:
            plan = _single_round_search(problem, plan, problem.seed, deadline, target, share=0.5)
        elif problem.has_free_seats:  # only single-round moves fill free seats
            plan = _anneal(problem, plan, problem.seed, deadline, after_tabu=False)
        return plan, name
    if name == countsearch.NAME and greedy is not None:
        found = background.result_or(  # computed meanwhile where it could be
            rival, lambda: _greedy_rival(problem, deadline, target), deadline
        )
        if found is not None and plan_score(problem, found[0]) > plan_score(problem, plan):
            plan, name = found
        return _anneal(problem, plan, problem.seed, deadline, after_tabu=True), name
    plan = _single_round_search(problem, plan, problem.seed, deadline, target)
    if name == GREEDY and problem.n_people <= RESTART_PEOPLE:
        plan = _restarts(problem, plan, deadline)
    return plan, name


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
    7,191 against 7,393). ``share``: of the tabu search's budget."""
    after_tabu = tabu_applies(problem)
    plan = _tabu(problem, plan, seed, deadline, target, share)
    return _anneal(problem, plan, seed, deadline, after_tabu=after_tabu)


def _tabu(problem: Problem, plan: np.ndarray, seed: int, deadline: float, target: float,
          share: float = 1.0) -> np.ndarray:  # fmt: skip
    steps = int(tabu_steps(problem) * share)
    return tabu_improve(problem, plan, seed=seed, steps=steps, deadline=deadline, target=target)


def _anneal(problem: Problem, plan: np.ndarray, seed: int, deadline: float, *,
            after_tabu: bool) -> np.ndarray:  # fmt: skip
    steps = search_steps(problem, after_tabu=after_tabu)
    return improve(problem, plan, seed=seed, steps=steps, deadline=deadline)
