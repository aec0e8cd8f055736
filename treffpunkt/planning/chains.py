"""Annealing by chain swaps, for stations mode when rounds come close to the station count.

When everybody visits (nearly) every station, two people can rarely swap places in one round:
one of them has been, or will be, at the other's station. They can exchange stations in a
*chain* of rounds instead (see :func:`chain_rounds`), which keeps every hard rule: group sizes
stay, nobody revisits a station. Such plans need many moves (tens of thousands), so this
search is plain Python on lists, 15-40 microseconds an exchange scored, where a numpy call
per move would cost more than the move itself (each person's round per station is kept, so a
chain is followed in a step per round, colleagues are counted in the same pass as new
pairs, and preferences only where a request has any); each move scores three random
partners and proposes the best. It scores the whole objective except `min_size`, which
swaps cannot change. The budget is counted in moves, so the plan is the same on every machine.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np

from .request import Problem

# A move scores PARTNERS exchanges, each about (rounds in its chain) x (group size) steps of
# Python, and proposes the best: at 1.25 times the time of single proposals with twice the
# moves, 36 people at 6 stations for 6 rounds got 442 new pairs on average over six seeds
# against 439 (434 with the single proposals' usual budget), 60 at 10 stations 1,246 against
# 1,241. The plan of 36 people takes about 0.4 s in all.
PARTNERS = 3
MOVE_WORK = 150_000
MAX_MOVES = 10_000
CHAIN_PEOPLE = 400  # the per-pair lists cost more than the search brings beyond
CHAIN_STATIONS = 4  # with fewer the exact code-count model fixes the shape of the plan


def chain_rounds(route_a: list[int], route_b: list[int], start: int, frozen: int,
                 where_a: list[int] | None = None,
                 where_b: list[int] | None = None) -> list[int]:  # fmt: skip
    """The rounds, round ``start`` among them, in which a and b must exchange stations so
    that neither visits a station twice; empty where a held round or an absence is in the way.

    When a takes b's station k in one round, the round where a is at k already must be
    exchanged too (and the same for b), and so on until the set of rounds is closed.
    ``where_a[k]`` is the round in which a visits station k (-1: never; the earliest where
    a held plan repeats one), computed here if not given.
    """
    if where_a is None or where_b is None:
        size = max(*route_a, *route_b) + 1
        where_a, where_b = visits(route_a, size), visits(route_b, size)
    rounds, todo = [start], [start]
    while todo:
        t = todo.pop()
        for theirs, where_mine in ((route_b, where_a), (route_a, where_b)):
            station = theirs[t]
            if station < 0:
                return []
            u = where_mine[station]
            if u >= 0 and u not in rounds:
                if u < frozen:
                    return []
                rounds.append(u)
                todo.append(u)
    return sorted(t for t in rounds if route_a[t] != route_b[t])


def visits(route: list[int], n_stations: int) -> list[int]:
    """Round of each station in ``route`` (-1 where it is never visited; the earliest)."""
    where = [-1] * n_stations
    for r in range(len(route) - 1, -1, -1):
        if route[r] >= 0:
            where[route[r]] = r
    return where


class ChainAnnealer:
    """A plan under chain-swap annealing; ``best`` is the best assignment seen."""

    def __init__(self, problem: Problem, assign: np.ndarray, seed: int):
        p = self.p = problem
        self.rng = random.Random(seed)
        self.routes = assign.T.tolist()  # routes[i][r]: station of i in round r, -1 absent
        self.groups = [[set() for _ in range(p.n_stations)] for _ in range(p.n_rounds)]
        for i, route in enumerate(self.routes):
            for r, k in enumerate(route):
                if k >= 0:
                    self.groups[r][k].add(i)
        from .metrics import meet_counts

        self.met = meet_counts(assign).tolist()
        self.val = p.valuable.tolist()
        self.col = p.colleague.tolist()
        self.cat = p.cat.tolist()
        self.pref = p.pref.tolist()
        self.has_preferences = bool(p.pref.any())
        self.where = [visits(route, p.n_stations) for route in self.routes]
        ncat = max(len(p.categories), 1)
        self.count = [
            [[0] * ncat for _ in range(p.n_stations)] for _ in range(p.n_rounds)
        ]  # category counts per group
        for i, route in enumerate(self.routes):
            if self.cat[i] >= 0:
                for r, k in enumerate(route):
                    if k >= 0:
                        self.count[r][k][self.cat[i]] += 1
        w = p.weights
        self.w_new, self.w_col = w["new_pairs"], w["colleagues"]
        self.w_cat, self.w_pref = w["categories"], w["preferences"]
        self.open_rounds = list(range(p.n_frozen, p.n_rounds))
        self.movers = [
            [i for i in range(p.n_people) if p.fixed[i] < 0 and p.present[r, i]]
            for r in range(p.n_rounds)
        ]
        self._best_routes = [route[:] for route in self.routes]
        self.gain = self.best_gain = 0.0

    def score(self, a: int, b: int, rounds: list[int]) -> float:
        """Exact change of the objective when a and b exchange stations in ``rounds``."""
        route_a, route_b, groups = self.routes[a], self.routes[b], self.groups
        change: dict[int, int] = {}  # u: how much more often a meets u (b: as much less)
        get = change.get
        for t in rounds:
            for u in groups[t][route_b[t]]:
                change[u] = get(u, 0) + 1
            for u in groups[t][route_a[t]]:
                change[u] = get(u, 0) - 1
        change[a] = change[b] = 0
        met_a, met_b, val_a, val_b = self.met[a], self.met[b], self.val[a], self.val[b]
        col_a, col_b = self.col[a], self.col[b]
        new, colleagues, pref, gaps = 0, 0, 0.0, 0
        for u, d in change.items():
            if d:
                if val_a[u]:
                    new += (met_a[u] + d > 0) - (met_a[u] > 0)
                if val_b[u]:
                    new += (met_b[u] - d > 0) - (met_b[u] > 0)
                if col_a[u] != col_b[u]:
                    colleagues += d * (col_a[u] - col_b[u])
        if self.has_preferences:
            pref_a, pref_b = self.pref[a], self.pref[b]
            for t in rounds:
                ka, kb = route_a[t], route_b[t]
                pref += pref_a[kb] - pref_a[ka] + pref_b[ka] - pref_b[kb]
        ca, cb = self.cat[a], self.cat[b]
        if ca != cb:
            for t in rounds:
                gaps += self._gap_change(self.count[t][route_a[t]], ca, cb)
                gaps += self._gap_change(self.count[t][route_b[t]], cb, ca)
        return self.w_new * new - self.w_col * colleagues - self.w_cat * gaps + self.w_pref * pref

    @staticmethod
    def _gap_change(counts: list[int], leaving: int, joining: int) -> int:
        """Change in a group's category gaps when one of ``leaving`` goes, one of ``joining``
        comes (both still in the round, so only this group's presence changes)."""
        change = 0
        if leaving >= 0 and counts[leaving] == 1:
            change += 1
        if joining >= 0 and counts[joining] == 0:
            change -= 1
        return change

    def exchange(self, a: int, b: int, rounds: list[int]) -> None:
        routes, groups, met = self.routes, self.groups, self.met
        ca, cb = self.cat[a], self.cat[b]
        for t in rounds:
            ka, kb = routes[a][t], routes[b][t]
            group_a, group_b = groups[t][ka], groups[t][kb]
            group_a.discard(a)
            group_b.discard(b)
            for u in group_a:
                met[a][u] -= 1
                met[u][a] -= 1
                met[b][u] += 1
                met[u][b] += 1
            for u in group_b:
                met[b][u] -= 1
                met[u][b] -= 1
                met[a][u] += 1
                met[u][a] += 1
            group_a.add(b)
            group_b.add(a)
            routes[a][t], routes[b][t] = kb, ka
            if ca >= 0:
                self.count[t][ka][ca] -= 1
                self.count[t][kb][ca] += 1
            if cb >= 0:
                self.count[t][kb][cb] -= 1
                self.count[t][ka][cb] += 1
        self.where[a] = visits(routes[a], self.p.n_stations)
        self.where[b] = visits(routes[b], self.p.n_stations)

    def run(self, moves: int, deadline: float, start_temp: float) -> None:
        self._anneal(moves, deadline, start_temp)
        if self.gain >= self.best_gain - 1e-9:
            self._best_routes = [route[:] for route in self.routes]

    def _anneal(self, moves: int, deadline: float, start_temp: float) -> None:
        rng, routes = self.rng, self.routes
        for step in range(moves):
            if step % 512 == 0 and time.perf_counter() > deadline:
                return
            if step == moves // 2 and self.best_gain <= 0:
                return  # half the budget found nothing: a design usually is locally optimal
            t = self.open_rounds[rng.randrange(len(self.open_rounds))]
            movers = self.movers[t]
            if len(movers) < 2:
                continue
            found = self._best_partner(movers[rng.randrange(len(movers))], t, movers)
            if found is None:
                continue
            delta, a, b, rounds = found
            if delta < 0:
                temperature = start_temp * (1 - step / moves)
                if temperature <= 0 or rng.random() >= math.exp(delta / temperature):
                    continue
                if self.gain >= self.best_gain - 1e-9:  # leaving the best plan: keep a copy
                    self._best_routes = [route[:] for route in routes]
            self.exchange(a, b, rounds)
            self.gain += delta
            self.best_gain = max(self.best_gain, self.gain)

    def _best_partner(self, a: int, t: int, movers: list[int]):
        """(gain, a, b, rounds) of the best of PARTNERS random exchanges of a from round t,
        or None where none is possible."""
        routes, best = self.routes, None
        for _ in range(PARTNERS):
            b = movers[self.rng.randrange(len(movers))]
            if routes[a][t] == routes[b][t]:
                continue
            rounds = chain_rounds(routes[a], routes[b], t, self.p.n_frozen,
                                  self.where[a], self.where[b])  # fmt: skip
            if rounds:
                delta = self.score(a, b, rounds)
                if best is None or delta > best[0]:
                    best = (delta, a, b, rounds)
        return best

    @property
    def best(self) -> np.ndarray:
        """The best plan seen, (R, N) as the engine keeps plans."""
        return np.array(self._best_routes, dtype=np.int64).T.copy()


def wants_chains(problem: Problem) -> bool:
    """Stations mode with rounds close to the station count (single-round swaps would mostly
    revisit a station), and few enough people for per-pair lists."""
    open_rounds = problem.n_rounds - problem.n_frozen
    return (
        problem.no_revisit
        and open_rounds >= 2
        and problem.n_stations >= CHAIN_STATIONS
        and problem.n_rounds >= problem.n_stations - 1
        and problem.n_people <= CHAIN_PEOPLE
    )


def chain_search(
    problem: Problem, assign: np.ndarray, *, seed: int, deadline: float, share: float = 1.0
) -> np.ndarray:
    """Best plan found by chain-swap annealing from ``assign`` (never worse than it), with
    ``share`` of the usual budget."""
    open_rounds = problem.n_rounds - problem.n_frozen
    group = max(problem.present[problem.n_frozen :].sum(axis=1).mean() / problem.n_stations, 1)
    moves = int(min(MOVE_WORK / (open_rounds * group), MAX_MOVES) * problem.effort * share)
    if moves <= 0 or open_rounds < 2:
        return assign
    search = ChainAnnealer(problem, assign, seed)
    search.run(moves, deadline, start_temp=1.0 * problem.weights["new_pairs"])
    return search.best
