"""Seating that cannot get stuck: stations per person by counting, rounds by edge colouring.

Round-by-round seating (``feasibility.fill_plan``) can paint itself into a corner in stations
mode: 30 people at stations of 12, 15, 4 and 6 for 3 rounds must all skip one of the two
small stations, and a random order that lets a few skip a large one leaves the last round
without a seat. This plan is built in two steps that cannot fail where the counts allow it:

1. which stations each person visits: each takes, in turn, the R stations with the most
   visits left (R rounds; station k has R x its free seats). Taking the largest remainders
   first meets every feasible set of totals (the Gale-Ryser argument);
2. in which round: a station with c free seats becomes c seats, each seat gets at most R of
   its visitors (dealt in turn), and the person-seat graph, bipartite with degree at most R,
   has its edges coloured with R colours (Kőnig's theorem; alternating-path recolouring).
   A colour is a round: everybody sits once per round, every seat holds one person.

It covers the plain case: every movable person attends every round, nothing held yet; hosts
take their seats first (a station keeps its fewest free seats over the rounds). Elsewhere, or
where the counts do not allow it, there is no such plan (None).
"""

from __future__ import annotations

import numpy as np

from .feasibility import fixed_load, seat_hosts
from .frozen import rule_violations
from .request import Problem
from .staffing import staff


def coloured_plan(problem: Problem) -> np.ndarray | None:
    """A plan seating everybody (see the module docstring), or None where it does not apply."""
    movers = np.flatnonzero(problem.fixed < 0)
    if not problem.no_revisit or problem.n_frozen or not problem.present[:, movers].all():
        return None
    rounds = problem.n_rounds
    seats = (problem.capacity[None, :] - fixed_load(problem)).min(axis=0)
    visits = _stations_per_person(movers.size, rounds, rounds * seats)
    if visits is None:
        return None
    colours = _colour(_seat_edges(visits, seats), movers.size, int(seats.sum()), rounds)
    assign = np.full((rounds, problem.n_people), -1, dtype=np.int64)
    station_of_seat = np.repeat(np.arange(problem.n_stations), seats)
    for (person, seat), colour in colours.items():
        assign[colour, movers[person]] = station_of_seat[seat]
    seat_hosts(problem, assign)
    return None if rule_violations(problem, assign) else staff(problem, assign)


def _stations_per_person(people: int, rounds: int, room: np.ndarray) -> list[list[int]] | None:
    """Per person the ``rounds`` stations they visit, none over its ``room`` of visits."""
    left = room.astype(np.int64).copy()
    out = []
    for _ in range(people):
        largest = np.argsort(-left, kind="stable")[:rounds]
        if largest.size < rounds or left[largest].min() <= 0:
            return None
        left[largest] -= 1
        out.append(sorted(int(k) for k in largest))
    return out


def _seat_edges(visits: list[list[int]], seats: np.ndarray) -> list[tuple[int, int]]:
    """(person, seat) edges: a station's visitors dealt to its seats in turn."""
    first_seat = np.concatenate([[0], np.cumsum(seats)])
    dealt = np.zeros(seats.size, dtype=np.int64)
    edges = []
    for person, stations in enumerate(visits):
        for k in stations:
            edges.append((person, int(first_seat[k] + dealt[k] % seats[k])))
            dealt[k] += 1
    return edges


def _colour(edges: list[tuple[int, int]], people: int, seats: int,
            colours: int) -> dict[tuple[int, int], int]:  # fmt: skip
    """A proper edge colouring of a bipartite graph of degree at most ``colours``.

    ``at[node][c]`` is the node joined to ``node`` by the edge of colour c (-1: none);
    people are nodes 0..people-1, seats follow.
    """
    at = np.full((people + seats, colours), -1, dtype=np.int64)
    for person, seat in edges:
        u, v = person, people + seat
        a = int(np.flatnonzero(at[u] < 0)[0])  # free at the person
        b = int(np.flatnonzero(at[v] < 0)[0])  # free at the seat
        if at[v, a] >= 0:  # a is taken at the seat: swap a and b along the path from it
            _flip(at, v, a, b)
        at[u, a], at[v, a] = v, u
    return {(u, int(at[u, c]) - people): c for u in range(people) for c in range(colours)
            if at[u, c] >= 0}  # fmt: skip


def _flip(at: np.ndarray, start: int, a: int, b: int) -> None:
    """Swap colours a and b on the path from ``start`` that alternates a, b, a, ...; in a
    bipartite graph it cannot come back to the person whose edge is being coloured."""
    path, node, colour = [], start, a
    while at[node, colour] >= 0:
        nxt = int(at[node, colour])
        path.append((node, nxt, colour))
        node, colour = nxt, b if colour == a else a
    for u, v, colour in path:
        at[u, colour] = at[v, colour] = -1
    for u, v, colour in path:
        other = b if colour == a else a
        at[u, other], at[v, other] = v, u
