"""The planning pipeline: candidates per regime, the best one polished by local search.

Every candidate is a complete plan that keeps the hard rules; the plan returned is the one
with the best weighted objective, and the greedy plan is always a candidate, so the result is
never worse than greedy.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial

import numpy as np

from . import background, countsearch, crowded, largest, polish
from .background import Forked, Shared
from .chains import wants_chains
from .errors import OutOfTime, PlanningError
from .feasibility import FEW_ATTEMPTS, check_feasible
from .frozen import rule_violations
from .greedy import NAME as GREEDY
from .greedy import greedy_or_repaired, greedy_plan, latin_plan
from .metrics import objective_terms, plan_score
from .request import Problem
from .staffing import nobody_alone, staff

# Candidates seated by greedy: where one of them is best, the second local search starts from
# the next best of them (another shape of groups), not from the same plan.
GREEDY_STARTS = {GREEDY, crowded.NAME}

Builder = Callable[[Problem, float], "np.ndarray | None"]
Start = tuple[np.ndarray, str]  # a candidate plan and the name of its method


def _builders(problem: Problem) -> list[tuple[str, Builder]]:
    """Structured constructions that apply to this request, best first."""
    from .structured import builders_for

    return builders_for(problem)


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
    rival = None
    if has_rival:
        rival = background.start(lambda: polish.greedy_rival(problem, deadline, target))
    roomy, roomy_starts = _start_roomy(problem, deadline, has_rival=has_rival)
    codes, code_starts = _start_codes(problem, deadline, builders)

    def more_starts(best: str) -> list[Start]:
        return roomy_starts(best) + code_starts(best)

    try:
        return _best_plan(problem, bound, deadline, builders, target, rival, more_starts)
    finally:
        for child in (rival, roomy, codes):
            if child is not None:
                child.cancel()


def _start_roomy(problem: Problem, deadline: float, *,
                 has_rival: bool) -> tuple[Shared, Callable[[str], list]]:  # fmt: skip
    """The starts for roomy stations (the crowded greedy plans, ``crowded.py``, 0.1-0.25 s for
    100-200 people, one of them with the large stations resting in turn, and the cluster
    design on the largest stations, ``largest.py``, up to 0.2 s), shared with a child on the
    second core (``background.Shared``: it takes them from the design backwards while the
    constructions and the greedy plan are built here, and this process the rest from the
    first crowded plan on when it needs them), and the function that returns them all as
    (plan, name) given the name of the best candidate so far. None in the chain regime
    (chain swaps reshape the plan there), nor where the code search's plan is best and meets
    its rival (which starts from the crowded plans, not the resting one: from there it
    lost, 3,470 -> 3,357 new pairs); the rival has the second core there, so all of them
    are computed here. The design never runs beside the code search: a start that outranked
    its plan would cost a second search where the rival's single one suffices (80 people at
    6 stations of 16 for 4 rounds: 0.77 -> 1.05 s for the same 1,951 new pairs). Where the
    child took half the crowded plans, the resting one and the design, this process waited
    0.08-0.43 s for it (100-160 people at 8-12 stations); shared task by task, 0-0.08 s."""
    chains = wants_chains(problem)
    counts = [] if chains else crowded.held_counts(problem)
    designed = not chains and not has_rival and largest.applies(problem)

    def held(count: int) -> list[Start]:
        return [(plan, crowded.NAME) for plan in crowded.crowded_plans(problem, deadline, [count])]

    def resting() -> list[Start]:
        return [(plan, crowded.NAME) for plan in crowded.resting_plans(problem, deadline)]

    tasks = [partial(held, count) for count in counts] + ([resting] if counts else [])
    tasks += [partial(_largest_start, problem, deadline)] if designed else []
    shared = Shared(tasks, fork=not has_rival)

    def starts(best: str) -> list[Start]:
        if has_rival and best == countsearch.NAME:
            return []
        return [start for found in shared.results(deadline) for start in found]

    return shared, starts


def _start_codes(problem: Problem, deadline: float,
                 builders: list) -> tuple[Forked | None, Callable[[str], list[Start]]]:  # fmt: skip
    """Where chain swaps polish the code search's plan: the code plan of the second local
    search's seed (``polish.second_seed``), computed on the second core while the first is
    built (it would be idle: the code search meets no rival in the chain regime), and the
    function that returns it as a start where a code plan is the best candidate so far. The
    two searches then start from the two code plans (``_runner_up``), the better first. Over
    the 17 random requests in that regime among ``realistic.request(n)``, n < 400, with
    seeds 1-3 (51 plans) the objective gained 0.23 % on average against two searches from
    the same code plan: 20 plans better by up to 3.1 % (85 people at 6 stations of 11-28 for
    5 rounds), 17 worse by 0.4 % at most; 45 / 5x12 / 4 over seeds 1-8 703.3 -> 705.5 new
    pairs on average, 17 / 4x7 / 3 89.9 -> 90.3. A second search from the same plan with
    another seed had been the rule."""
    if not (wants_chains(problem) and _has_code_search(builders)):
        return None, lambda best: []
    other = polish.second_seed(problem)

    def code_start() -> list[Start]:
        plan = _staffed(problem, countsearch.build(other, deadline))
        return [] if plan is None else [(plan, countsearch.NAME)]

    child = background.start(code_start)

    def starts(best: str) -> list[Start]:
        if best != countsearch.NAME:
            if child is not None:
                child.cancel()  # not needed: free the core for the second search
            return []
        return background.result_or(child, code_start, deadline)

    return child, starts


def _largest_start(problem: Problem, deadline: float) -> list[tuple[np.ndarray, str]]:
    """The cluster design on the largest stations as a candidate; none where it does not
    fit."""
    plan = _staffed(problem, largest.build(problem, deadline))
    return [] if plan is None else [(plan, largest.NAME)]


def _staffed(problem: Problem, plan: np.ndarray | None) -> np.ndarray | None:
    """A construction's plan lifted to the staffing floor (``staffing.staff``), or None where
    there is none or it breaks a hard rule."""
    if plan is None or rule_violations(problem, plan):
        return None
    return staff(problem, plan)


def _best_plan(problem: Problem, bound: int, deadline: float, builders: list, target: float,
               rival: Forked | None, more_starts: Callable[[str], list]) -> Start:  # fmt: skip
    candidates = []
    for name, build in builders:
        if time.perf_counter() > deadline:
            break
        plan = _staffed(problem, build(problem, deadline))
        if plan is None:
            continue
        if is_perfect(problem, plan, bound):  # provably best: nothing left to search
            return plan, name
        candidates.append((plan, name))
    candidates += _greedy_or_latin(problem, has_other=bool(candidates), deadline=deadline)
    ranked = _ranked(problem, candidates)
    more = more_starts(ranked[0][3])
    if more:
        ranked = _ranked(problem, more, after=ranked)
    best_score, _, best, name = ranked[0]
    if is_perfect(problem, best, bound):
        return best, name
    greedy = next((plan for plan, method in candidates if method == GREEDY), None)
    if rival is not None and (name != countsearch.NAME or greedy is None):
        rival.cancel()  # the code search's plan lost: its rival is not needed, free the core
    polished, start = polish.polish_twice(problem, best, name, deadline, greedy=greedy,
                                          target=target, rival=rival,
                                          other_start=_runner_up(ranked))  # fmt: skip
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


def _runner_up(ranked: list) -> Start | None:
    """The start for the second local search where the shape of the groups matters: the
    next best greedy start where one is best, the best crowded start where a construction is
    (100 people at 8 stations of 8-20 for 5 rounds: 2,964 new pairs from the cluster design
    and search, 3,025 from a crowded start), the next best candidate of any kind where the
    design on the largest stations is (its high start can end lower than a plain one: 117
    people at 9 stations of 6-28 for 6 rounds, where greedy seating gets stuck, seeds 1, 3
    and 4: 4,321, 4,301 and 4,294 new pairs from it and the best crowded start, 4,389, 4,536
    and 4,289 from it and the seating by repair; 4,450, 4,536 and 4,307 without the design),
    the other code plan where a code plan is (chain regime: ``_start_codes``); else None
    (the same start, another seed)."""
    best = ranked[0][3]
    if best == largest.NAME:
        return next(((plan, name) for _, _, plan, name in ranked[1:]), None)
    if best == countsearch.NAME:
        wanted = {countsearch.NAME}
    else:
        wanted = GREEDY_STARTS if best in GREEDY_STARTS else {crowded.NAME}
    return next(((plan, name) for _, _, plan, name in ranked[1:] if name in wanted), None)


def _has_rival(problem: Problem, builders: list) -> bool:
    """Whether the code-count search's plan will meet its rival (the best greedy start after
    the tabu search, ``polish._polish``). Where the process may fork (``background.py``) the rival
    is computed meanwhile on the second core: the same plan as computed after the code search
    (both are deterministic), about 0.2-0.45 s sooner."""
    return not wants_chains(problem) and _has_code_search(builders)


def _has_code_search(builders: list) -> bool:
    return any(name == countsearch.NAME for name, _ in builders)


def _greedy_or_latin(problem: Problem, *, has_other: bool,
                     deadline: float) -> list[tuple[np.ndarray, str]]:  # fmt: skip
    """The greedy plan and, where everybody visits every station, the Latin rotation too
    (no worse than a random plan, and greedy seating can get stuck there); where greedy
    seating gets stuck and nothing else seats everybody, its seats completed by repair
    (``greedy_or_repaired``); PlanningError (greedy's, naming the round it got stuck in) if
    nothing seats everybody.

    Stuck greedy seating is retried with another seed only: the repair seats everybody where
    64 seeds did not (1,500 random requests: greedy stuck twice on 179, repair seated all;
    none that more seeds of greedy seated and the repair did not). Where another plan seats
    everybody, the greedy plan stops at the safety stop (``deadline``).
    """
    full_rotation = problem.no_revisit and problem.n_rounds == problem.n_stations
    latin = latin_plan(problem) if full_rotation or not has_other else None
    out = [] if latin is None else [(latin, "Latin rotation")]
    if not (has_other or out):
        return [greedy_or_repaired(problem)]
    try:
        return [*out, (greedy_plan(problem, problem.seed, FEW_ATTEMPTS, deadline), GREEDY)]
    except (PlanningError, OutOfTime):
        return out
