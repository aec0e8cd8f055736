"""The cluster design on the largest stations: a start for roomy stations meetings.

Where stations have free seats, the best plans crowd the large stations and keep the small
ones near their floor (``crowded.py``). The large stations then form a meeting of their own
in which almost everybody visits almost every station, and that is where the cluster design
fits (``clusters.py``): people travel in clusters, and two clusters meet at most once. The
local search does not find that structure from a greedy start: from one start and shape,
searches with other seeds ended 7 % apart (129 people at 9 stations of 10-26 for 5 rounds:
5,216-5,608 new pairs over seeds 1-3).

This start takes the B largest stations (B from the rounds up to ``EXTRA_STATIONS`` more) and
the cluster constructions for B stations: the exact design (``clusters.design_schedule``),
the design for B + 1 folded and the one for B - 1 extended, a few milliseconds each; where
none gives a plan, the searched cluster schedule (about 0.2 s). It widens the stations'
seats until everybody fits (each to at least an even share), deals people to the clusters,
and then in each round sends the people over a station's real seats to the small stations:
those who went least often first, each to the emptiest small station they have not visited.
The plan keeps every hard rule of the request (or is dropped). The engine computes it on
the second core beside the crowded starts (``engine._start_roomy``) and lifts it to the
staffing floor like every construction. On that request: 5,557-5,566 new pairs before any
search over three seeds (the best crowded greedy start: 4,414-4,431), 5,621-5,633 after; 179
people at 10 stations of 6-29 for 6 rounds (the folded and extended designs on 6 stations):
9,416-9,537 -> 9,678-9,730.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np

from . import clusters, crowded
from .metrics import group_sizes, plan_score
from .request import Problem

NAME = "cluster design on the largest stations"
EXTRA_STATIONS = 2  # B = rounds .. rounds + 2 (no revisits needs B >= rounds)


def applies(problem: Problem) -> bool:
    """Where crowded starts apply (``crowded.applies``), nothing is held yet (the cluster
    builder plans whole meetings), and at least one station is left beside the largest.
    (The engine does not use it beside the code-count search: ``engine._start_roomy``.)"""
    return (
        crowded.applies(problem)
        and problem.n_frozen == 0
        and problem.n_stations > problem.n_rounds >= 2
    )


def build(problem: Problem, deadline: float) -> np.ndarray | None:
    """The best plan over B and the constructions for B stations (see the module's
    docstring); None where none fits. A searched schedule only where no construction gives
    a plan: it costs about 0.2 s (the chain search where B = rounds), and where the folded
    and extended designs apply they gave more (179 people at 10 stations: 9,711 new pairs on
    average over three seeds from the searched schedule, 9,704 from them, 20 ms instead of
    0.2 s; 174 at 9 stations 6,821 -> 6,893)."""
    rounds = problem.n_rounds
    sizes = range(rounds, min(problem.n_stations - 1, rounds + EXTRA_STATIONS) + 1)
    plans = [plan for b in sizes for plan in _on_largest(problem, b, deadline, searched=False)]
    if not plans:
        plans = [plan for b in sizes for plan in _on_largest(problem, b, deadline, searched=True)]
    return max(plans, key=lambda plan: plan_score(problem, plan), default=None)


def _on_largest(problem: Problem, largest: int, deadline: float, *,
                searched: bool) -> list[np.ndarray]:  # fmt: skip
    """The plans of the cluster constructions on the ``largest`` largest stations (the exact
    design, the one for a station more folded, the one for a station fewer extended), or
    with ``searched`` of the searched schedule where no exact design exists."""
    order = np.argsort(-problem.capacity, kind="stable")
    big, small = np.sort(order[:largest]), np.sort(order[largest:])
    small_hosts = np.flatnonzero(np.isin(problem.fixed, small))
    inner = _inner_problem(problem, big, small_hosts)
    if not clusters.applies(inner):
        return []
    designed = clusters.design_schedule(largest, problem.n_rounds, True) is not None
    if searched:
        builders = [] if designed else [clusters.build]
    else:
        builders = [clusters.build] if designed else []
        builders += [clusters.build_folded] if clusters.folded_applies(inner) else []
        builders += [clusters.build_extended] if clusters.extended_applies(inner) else []
    out = []
    for build_inner in builders:
        placed = build_inner(inner, deadline, repair=False)  # repair: 0.1-0.15 s, weaker
        if placed is None:
            continue
        assign = np.where(placed >= 0, big[np.maximum(placed, 0)], -1)
        assign[:, small_hosts] = np.where(problem.present[:, small_hosts],
                                          problem.fixed[small_hosts], -1)  # fmt: skip
        spilled = _spill(problem, assign, big, small)
        if spilled is not None:
            out.append(spilled)
    return out


def _inner_problem(problem: Problem, big: np.ndarray, small_hosts: np.ndarray) -> Problem:
    """The meeting at the stations ``big`` alone, their seats widened by the same number each
    until everybody fits (the clusters' seats count in every round), one more for the
    uneven cluster sizes, and to at least an even share: the design loads every station
    alike (100 people at 8 stations of 8-20 for 5 rounds got no plan without that, 3,043
    new pairs with it, 3,022 before). The hosts of the other stations are not in it."""
    present = problem.present.copy()
    present[:, small_hosts] = False
    people = int(present.any(axis=0).sum())
    widen = max(0, math.ceil((people - int(problem.capacity[big].sum())) / big.size)) + 1
    even_share = math.ceil(people / big.size) + 1
    inner_station = np.full(problem.n_stations, -1)
    inner_station[big] = np.arange(big.size)
    fixed = np.where(problem.fixed >= 0, inner_station[np.maximum(problem.fixed, 0)], -1)
    return dataclasses.replace(
        problem,
        station_ids=[problem.station_ids[k] for k in big],
        capacity=np.maximum(problem.capacity[big] + widen, even_share),
        min_size=problem.min_size[big],
        pref=problem.pref[:, big],
        fixed=fixed,
        present=present,
    )


def _spill(problem: Problem, assign: np.ndarray, big: np.ndarray,
           small: np.ndarray) -> np.ndarray | None:  # fmt: skip
    """``assign`` with the people over a large station's seats moved to small stations in
    that round (seeded order, those moved least often first); None where one cannot go."""
    rng = np.random.default_rng(problem.seed)
    sizes = group_sizes(problem, assign)
    moved = np.zeros(problem.n_people, dtype=np.int64)
    for r in range(problem.n_rounds):
        for k in big:
            members = np.flatnonzero((assign[r] == k) & (problem.fixed < 0))
            members = rng.permutation(members)
            members = members[np.argsort(moved[members], kind="stable")]
            for i in members[: max(0, sizes[r, k] - problem.capacity[k])]:
                free = small[sizes[r, small] < problem.capacity[small]]
                room = [q for q in free if q not in assign[:, i]]
                if not room:
                    return None
                to = min(room, key=lambda q: sizes[r, q])
                assign[r, i] = to
                sizes[r, k] -= 1
                sizes[r, to] += 1
                moved[i] += 1
    return assign
