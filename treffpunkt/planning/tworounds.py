"""Two-round stations meetings: the group sizes first, then who goes where.

With two rounds and no revisits a mover's schedule is a code (a, b): station a in the first
round, b != a in the second. Two people meet where they share a station in a round, twice
only on the same code, so the pairs met are

    sum_a C(r_a, 2) + sum_b C(c_b, 2) - sum_{a != b} C(n_ab, 2) - (hosts together twice)

with r_a, c_b the people at station a in the first round and at b in the second (hosts,
people there for one round only, movers) and n_ab the movers on code (a, b). For given sizes
the crossing counts n_ab are best as even as possible; their least sum of C(n_ab, 2) is a
transport problem with convex costs (a unit more on a cell costs n_ab), solved exactly by
successive shortest paths in its residual graph (rows: first-round stations, columns:
second-round stations). A mover's seat moved from station a to a2 in one round is one unit
rerouted along the shortest path between them, so the crossing cost stays at its exact
least while the sizes change.

The search: from seeded random sizes, steepest ascent over such moves and over the seats of
the one-round people, every move's gain from one all-pairs shortest path table (min-plus
squaring with numpy over 2K nodes), the move's path then found by Bellman-Ford; the best of
up to ``STARTS`` starts. The sizes have
local optima far apart that searches moving one person at a time rarely cross (67 people
at 4 stations of 13-29: 1,055-1,094 pairs from different starts, 1,106 the best known;
the plan 1,062 new pairs from the code search, 1,094 from here). A seat
below the staffing floor costs more than any pairs.

People are then dealt to the codes: colleagues and known pairs (not in the size model) kept
apart and preferences met by dealing in seeded order and exchanging whole codes between two
people (the sizes and crossings stay as they are). The local search after it mends the
category mix and what the exchanges left.
"""

from __future__ import annotations

import numpy as np

from .feasibility import fixed_load, seat_hosts, staff_floor
from .request import Problem

NAME = "two-round sizes"  # the method as plans report it
MAX_STATIONS = 12  # a shortest-path table per step: (2K)^3 sums
# Climbs from random sizes, fewer where a climb moves many people (``START_WORK``: movers x
# stations x starts; a climb's steps grow with the movers, each step's shortest paths with
# the stations). 24 rather than 12 matters only below 250 movers x stations: 67 people at 4
# stations of 13-29 seed 1 found the best sizes known (1,106) at the 16th start, 1,082 -> 1,094
# new pairs; the 19 other two-round requests of realistic 0-99 kept their plans (seeds 1-2),
# for 0.01-0.13 s more on a slow hour (speed gauge 0.42 s).
STARTS = 24
START_WORK = 6_000
MIN_STARTS = 2
EXCHANGE_PASSES = 8  # passes of code exchanges; each pass that finds none ends them


def applies(problem: Problem) -> bool:
    """Stations mode with two rounds to plan, none held, and at most MAX_STATIONS stations
    (where it also runs instead of the code-count search, ``structured.py``)."""
    return (
        problem.mode == "stations"
        and problem.no_revisit
        and problem.n_rounds == 2
        and problem.n_frozen == 0
        and problem.n_stations <= MAX_STATIONS
    )


class Sizes:
    """Movers' code counts ``n`` (K, K) at their least crossing cost for the sizes, and the
    one-round people per round and station ``single`` (2, K)."""

    def __init__(self, problem: Problem, movers: int):
        self.k = problem.n_stations
        self.capacity = problem.capacity
        self.load = fixed_load(problem)  # hosts
        self.floor = staff_floor(problem)
        self.penalty = float(problem.n_people)  # a seat below the floor outweighs any pairs
        self.movers = movers
        self.n = np.zeros((self.k, self.k), dtype=np.int64)
        self.single = np.zeros((2, self.k), dtype=np.int64)

    def sizes(self) -> np.ndarray:
        """(2, K) people per round and station."""
        return self.load + self.single + np.stack([self.n.sum(axis=1), self.n.sum(axis=0)])

    def pairs(self) -> float:
        """Pairs met (up to the hosts' constant) less the floor penalty."""
        sizes = self.sizes()
        together = (sizes * (sizes - 1) // 2).sum() - (self.n * (self.n - 1) // 2).sum()
        return float(together) - self.penalty * np.maximum(self.floor - sizes, 0).sum()

    def edges(self) -> np.ndarray:
        """(2K, 2K) residual graph (nodes: K rows, then K columns): row a -> column b adds a
        mover on (a, b) (cost n_ab), column b -> row a takes one off (cost 1 - n_ab, where
        n_ab > 0); inf where there is no edge."""
        k, n = self.k, self.n
        w = np.full((2 * k, 2 * k), np.inf)
        w[:k, k:] = np.where(~np.eye(k, dtype=bool), n, np.inf)
        w[k:, :k] = np.where(n.T > 0, 1 - n.T, np.inf)
        return w

    def distances(self) -> np.ndarray:
        """All-pairs shortest path lengths: min-plus squaring of the edge table (paths of
        up to 2^s edges after s squarings; no negative cycles while the crossings are at
        their least)."""
        d = self.edges()
        np.fill_diagonal(d, 0)
        for _ in range(int(np.ceil(np.log2(len(d))))):
            d = (d[:, :, None] + d[None, :, :]).min(axis=1)
        return d

    def shortest_from(self, start: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Bellman-Ford from the nodes with a finite ``start`` length: the shortest lengths
        and the node before each node on its path (-1 for a start node and where none
        leads)."""
        w = self.edges()
        d, before = start.astype(float), np.full(len(start), -1)
        for _ in range(len(start)):
            through = d[:, None] + w
            best = through.argmin(axis=0)
            value = through[best, np.arange(len(start))]
            better = value < d - 1e-9
            if not better.any():
                break
            d = np.where(better, value, d)
            before = np.where(better, best, before)
        return d, before

    def reroute(self, source: int, target: int) -> None:
        """Move one unit along the shortest path from ``source`` to ``target`` (nodes)."""
        start = np.full(2 * self.k, np.inf)
        start[source] = 0
        self._along(self.shortest_from(start)[1], target)

    def _along(self, before: np.ndarray, target: int) -> int:
        """Move one unit along the path to ``target`` whose node before each node is
        ``before[node]``; the node it starts from."""
        k, node = self.k, target
        for _ in range(2 * k):
            prior = int(before[node])
            if prior < 0:
                return node
            if prior < k:  # row -> column: one more mover on (prior, node)
                self.n[prior, node - k] += 1
            else:  # column -> row: one fewer on (node, prior)
                self.n[node, prior - k] -= 1
            node = prior
        raise AssertionError("a cycle: the crossings were not at their least")

    def fill(self, rows: np.ndarray, columns: np.ndarray) -> None:
        """Movers on codes with these first- and second-round counts, crossings at their
        least: successive shortest paths from no movers, each from the rows with movers
        left (Bellman-Ford from all of them at once) to the cheapest column still short."""
        rows, columns = rows.copy(), columns.copy()
        k = self.k
        for _ in range(self.movers):
            start = np.concatenate([np.where(rows > 0, 0.0, np.inf), np.full(k, np.inf)])
            d, before = self.shortest_from(start)
            b = int(np.argmin(np.where(columns > 0, d[k:], np.inf)))
            rows[self._along(before, k + b)] -= 1
            columns[b] -= 1

    def best_move(self) -> tuple[float, tuple] | None:
        """The move with the largest gain (> 0): ("mover" | "single", round, from, to)."""
        sizes, d, k = self.sizes(), self.distances(), self.k
        rerouted = (d[:k, :k].T, d[k:, k:])  # crossings: row a2 -> a, column b -> b2
        best: tuple[float, tuple] | None = None
        for r in range(2):
            gain = self._seat_gains(sizes[r], r)
            singles = np.where(self.single[r][:, None] > 0, gain, -np.inf)
            for kind, total in (("mover", gain - rerouted[r]), ("single", singles)):
                flat = int(np.argmax(total))
                value = float(total.flat[flat])
                if value > 1e-9 and (best is None or value > best[0] + 1e-9):
                    best = (value, (kind, r, *divmod(flat, k)))
        return best

    def _seat_gains(self, size: np.ndarray, r: int) -> np.ndarray:
        """(K, K) pairs gained in round ``r`` by a seat moved from station a to a2 (the
        crossings aside), seats below the floor priced; -inf where a2 is a or full."""
        below_after = (size - 1 < self.floor[r]).astype(float)
        below_now = (size < self.floor[r]).astype(float)
        gain = (size[None, :] - (size[:, None] - 1)).astype(float)
        gain -= self.penalty * (below_after[:, None] - below_now[None, :])
        allowed = (size[None, :] < self.capacity[None, :]) & ~np.eye(self.k, dtype=bool)
        return np.where(allowed, gain, -np.inf)

    def climb(self) -> None:
        """Steepest ascent until no move gains."""
        while (found := self.best_move()) is not None:
            kind, r, a, a2 = found[1]
            if kind == "single":
                self.single[r, a] -= 1
                self.single[r, a2] += 1
            elif r == 0:
                self.reroute(a2, a)
            else:
                self.reroute(self.k + a, self.k + a2)


def best_sizes(problem: Problem, movers: int, singles: np.ndarray) -> Sizes | None:
    """The best of up to STARTS climbs from seeded random sizes (``START_WORK``); None where
    no random seating of the movers fits the capacities."""
    rng = np.random.default_rng(problem.seed)
    best: Sizes | None = None
    work = max(movers * problem.n_stations, 1)
    for _ in range(int(np.clip(START_WORK // work, MIN_STARTS, STARTS))):
        sizes = _random_start(problem, movers, singles, rng)
        if sizes is None:
            continue
        sizes.climb()
        if best is None or sizes.pairs() > best.pairs():
            best = sizes
    return best


def _random_start(problem: Problem, movers: int, singles: np.ndarray,
                  rng: np.random.Generator) -> Sizes | None:  # fmt: skip
    """Sizes drawn as if everybody took a random free seat in each round (seats without
    replacement); None where the seats are too few."""
    sizes = Sizes(problem, movers)
    room = problem.capacity[None, :] - sizes.load
    if (movers + singles > room.sum(axis=1)).any():
        return None
    rows, columns = (rng.multivariate_hypergeometric(room[r], movers) for r in range(2))
    if not _apart(rows, columns, room[1], movers):
        return None
    for r, people in enumerate(singles):
        taken = rows if r == 0 else columns
        sizes.single[r] = rng.multivariate_hypergeometric(room[r] - taken, int(people))
    sizes.fill(rows, columns)
    return sizes


def _apart(rows: np.ndarray, columns: np.ndarray, room: np.ndarray, movers: int) -> bool:
    """Make the second-round counts leave every station's first-round movers a station to
    go to (rows + columns <= movers), each excess moved to the station with the most room
    left (changed in place); False where there is none."""
    for a in np.flatnonzero(rows + columns > movers):
        for _ in range(int(rows[a] + columns[a] - movers)):
            left = np.where(rows + columns < movers, room - columns, 0)
            left[a] = 0
            if left.max(initial=0) <= 0:
                return False
            columns[a] -= 1
            columns[int(np.argmax(left))] += 1
    return True


def build(problem: Problem, deadline: float) -> np.ndarray | None:
    """The plan of the best sizes found, people dealt to its codes; None where the random
    starts found no seating."""
    movable = problem.fixed < 0
    both = movable & problem.present.all(axis=0)
    only = [movable & problem.present[r] & ~problem.present[1 - r] for r in range(2)]
    sizes = best_sizes(problem, int(both.sum()), np.array([int(o.sum()) for o in only]))
    if sizes is None:
        return None
    return _deal(problem, sizes, np.flatnonzero(both), [np.flatnonzero(o) for o in only])


def _deal(problem: Problem, sizes: Sizes, movers: np.ndarray, singles: list) -> np.ndarray:
    """Movers on the codes of ``sizes``, one-round people on its seats: each in seeded order
    where the pairs met cost least (``_pair_costs``) less preference points, then whole codes
    exchanged (``_exchange``)."""
    rng = np.random.default_rng(problem.seed)
    assign = seat_hosts(problem, np.full((2, problem.n_people), -1, dtype=np.int64))
    codes = np.argwhere(~np.eye(problem.n_stations, dtype=bool))  # (U, 2)
    carrying = Carrying(problem, codes, assign)
    left = sizes.n[codes[:, 0], codes[:, 1]]
    for i in rng.permutation(movers):
        u = int(np.argmin(np.where(left > 0, carrying.table([i])[0], np.inf)))
        assign[:, i] = codes[u]
        left[u] -= 1
        carrying.carry(i, u)
    for r, people in enumerate(singles):
        seats = sizes.single[r].copy()
        for i in rng.permutation(people):
            price = carrying.station_costs(i, r)
            k = int(np.argmin(np.where(seats > 0, price, np.inf)))
            assign[r, i] = k
            seats[k] -= 1
            carrying.seat(i, r, k)
    return _exchange(problem, assign, movers, carrying)


def _pair_costs(problem: Problem) -> np.ndarray:
    """(N, N) cost of two people meeting where the size model counted a new contact: a
    pair lost where they know each other or are colleagues, and the colleague weight."""
    w = problem.weights
    return problem.worthless * w["new_pairs"] + problem.colleague * w["colleagues"]


class Carrying:
    """Each person's cost of carrying each code among everybody seated: the pairs met
    (``_pair_costs``) less preference points at their weight.

    Kept as tables of what a person meets at a station (``rounds[r][a, x]``: x meeting
    everybody at station a in round r) and on a whole code (``both[u, x]``: everybody on
    code u, met in both rounds but counted once), so that code u = (a, b) costs x
    rounds[0][a, x] + rounds[1][b, x] - both[u, x] and seating a person changes a row of
    each (N numbers, not the (N, U) table: 2,000 people at 12 stations of 180 dealt in
    0.05 s instead of 0.35 s before the code exchanges)."""

    def __init__(self, problem: Problem, codes: np.ndarray, assign: np.ndarray):
        self.cost = _pair_costs(problem)  # symmetric: row i is what i costs everybody else
        self.codes = codes
        k = problem.n_stations
        self.index = np.full((k, k), -1)  # code (a, b) -> its row in ``codes``
        self.index[codes[:, 0], codes[:, 1]] = np.arange(len(codes))
        self.rounds = [np.stack([self.cost[row == a].sum(axis=0) for a in range(k)])
                       for row in assign]  # fmt: skip
        on = self.code_of(assign, slice(None))
        self.both = np.stack([self.cost[on == u].sum(axis=0) for u in range(len(codes))])
        self.points = problem.weights["preferences"] * problem.pref  # (N, K)

    def code_of(self, assign: np.ndarray, people) -> np.ndarray:
        """The code each of ``people`` carries in ``assign``; -1 for somebody seated in one
        round only and for hosts (one station throughout)."""
        first, second = assign[0, people], assign[1, people]
        seated = (first >= 0) & (second >= 0)
        return np.where(seated, self.index[first, second], -1)

    def table(self, people: np.ndarray | slice = slice(None)) -> np.ndarray:
        """(people, U) the cost of each of ``people`` (everybody by default) carrying each
        code."""
        a, b = self.codes[:, 0], self.codes[:, 1]
        met = self.rounds[0][:, people][a] + self.rounds[1][:, people][b] - self.both[:, people]
        points = self.points[people]
        return met.T - points[:, a] - points[:, b]

    def station_costs(self, i: int, r: int) -> np.ndarray:
        """(K,) the cost of one-round person i at each station in round r."""
        return self.rounds[r][:, i] - self.points[i]

    def seat(self, i: int, r: int, k: int) -> None:
        """Person i seated at station k in round r only."""
        self.rounds[r][k] += self.cost[i]

    def carry(self, i: int, u: int) -> None:
        """Person i seated on code u."""
        for r in range(2):
            self.seat(i, r, int(self.codes[u, r]))
        self.both[u] += self.cost[i]


def _exchange(problem: Problem, assign: np.ndarray, movers: np.ndarray,
              carrying: Carrying) -> np.ndarray:  # fmt: skip
    """Exchange the codes of two movers while that lowers the cost of who meets whom less
    preference points; each pass gives every mover the best exchange it has, if it gains.

    With A[x, u] x's cost of carrying code u as everybody is seated (``carrying.table()``,
    then kept up to date here), exchanging i's code c_i with j's c_j gains A[i, c_i] +
    A[j, c_j] - A[i, c_j] - A[j, c_i], plus twice the pair's own cost where c_i and c_j do
    not meet (each A counted the other on the other's own code)."""
    codes, cost, table = carrying.codes, carrying.cost, carrying.table()
    meets = (codes[:, None, :] == codes[None, :, :]).any(axis=2).astype(float)  # (U, U)
    code = carrying.code_of(assign, movers)  # (M,)
    for _ in range(EXCHANGE_PASSES):
        changed = False
        for m, i in enumerate(movers):
            c = code[m]
            apart = 2 * cost[movers, i] * (1 - meets[c, code])
            gains = table[i, c] + table[movers, code] - table[i, code] + apart
            gains -= table[movers, c]
            best = int(np.argmax(gains))
            if gains[best] <= 1e-9:
                continue
            j, d = movers[best], code[best]
            table += np.outer(cost[:, i] - cost[:, j], meets[d] - meets[c])
            code[m], code[best] = d, c
            assign[:, [i, j]] = assign[:, [j, i]]
            changed = True
        if not changed:
            break
    return assign
