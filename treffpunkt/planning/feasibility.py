"""Hard-rule checks on the whole request, and placing people round by round.

``check_feasible`` rejects requests whose numbers cannot add up (with a message naming the
rule). ``Placer`` fills a round person by person, each into a station chosen by a callback
among those with room (and, in stations mode, not visited before); when nothing is left for
someone it shifts people along an augmenting path, so a round is only reported impossible
when no placement of the round exists.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import numpy as np

from .errors import PlanningError
from .request import Problem


def fixed_load(problem: Problem) -> np.ndarray:
    """(R, K) fixed people present per round and station."""
    out = np.zeros((problem.n_rounds, problem.n_stations), dtype=np.int64)
    for r in range(problem.n_rounds):
        idx = np.flatnonzero(problem.present[r] & (problem.fixed >= 0))
        np.add.at(out[r], problem.fixed[idx], 1)
    return out


def staff_floor(problem: Problem) -> np.ndarray:
    """(R, K) fewest people each station must hold in each round (``staffing.py`` says why).

    A conversation needs two: each station gets two people, or one beside its fixed host,
    where the movable people present in the round are enough for that at every station
    else one movable person each where there are as many of them as stations. Without
    revisits a station's floors over the rounds need that many different people: where
    they are too few, ``_share_visitors`` lowers the floors to what they allow.
    """
    load = fixed_load(problem)
    if problem.mode != "stations":
        return load
    floor = load.copy()
    movable = problem.present & (problem.fixed < 0)[None, :]
    movers = movable.sum(axis=1)
    one = np.minimum(load + 1, problem.capacity[None, :])
    two = np.minimum(np.maximum(load + 1, 2), problem.capacity[None, :])
    open_rounds = range(problem.n_frozen, problem.n_rounds)
    for r in open_rounds:
        if movers[r] >= (two[r] - load[r]).sum():
            floor[r] = two[r]
        elif movers[r] >= problem.n_stations:
            floor[r] = one[r]
    if problem.no_revisit:  # a station sees each movable person once at most
        _share_visitors(floor, load, one, movable[problem.n_frozen :].any(axis=0).sum(),
                        open_rounds)  # fmt: skip
    return floor


def _share_visitors(floor, load, one, visitors: int, open_rounds: range) -> None:
    """Where a station cannot get two people in every round from the people who may still
    visit it, it gets one in each round and a second one in the earliest rounds they allow."""
    for k in range(floor.shape[1]):
        rounds = list(open_rounds)
        wanted = floor[rounds, k] - load[rounds, k]
        if wanted.sum() <= visitors:
            continue
        spare = visitors - int((np.minimum(floor, one)[rounds, k] - load[rounds, k]).sum())
        for r in rounds:
            extra = floor[r, k] - min(floor[r, k], one[r, k])
            if extra > spare:
                floor[r, k] = min(floor[r, k], one[r, k])
            spare -= extra if extra <= spare else 0


def check_feasible(problem: Problem) -> None:
    """Raise PlanningError naming the first hard rule the request cannot meet."""
    load = fixed_load(problem)
    sids = problem.station_ids
    for r in range(problem.n_rounds):
        over = np.flatnonzero(load[r] > problem.capacity)
        if over.size:
            k = over[0]
            raise PlanningError(
                f"Station '{sids[k]}' has {load[r, k]} fixed participants in round {r} but room "
                f"for {problem.capacity[k]}; raise its capacity or fix fewer people there.",
                rule="fixed_over_capacity",
                station=sids[k],
                round=r,
                fixed=int(load[r, k]),
                capacity=int(problem.capacity[k]),
            )
        count = int(problem.present[r].sum())
        if count > problem.capacity.sum():
            raise PlanningError(
                f"Round {r} has {count} participants present but the stations hold only "
                f"{problem.capacity.sum()}; raise capacities or add a station.",
                rule="round_over_capacity",
                round=r,
                present=count,
                seats=int(problem.capacity.sum()),
            )
    if problem.no_revisit:
        _check_visits(problem, load)


def _check_visits(problem: Problem, load: np.ndarray) -> None:
    """Stations mode: someone present in every round must visit each usable station once,
    and the stations must take all visits."""
    free = problem.capacity[None, :] - load  # (R, K)
    usable = (free > 0).any(axis=0)
    movers = problem.fixed < 0
    rounds_present = problem.present[:, movers].sum(axis=0)
    if rounds_present.size and rounds_present.max() > usable.sum():
        raise PlanningError(
            f"Some participants attend {rounds_present.max()} rounds but only {usable.sum()} "
            "stations have room for them, and nobody may visit a station twice; add a station "
            "or plan fewer rounds.",
            rule="too_few_stations",
            rounds=int(rounds_present.max()),
            stations=int(usable.sum()),
        )
    must = int((rounds_present == usable.sum()).sum())
    for k in np.flatnonzero(usable):
        room = int(free[:, k].sum())
        if must > room:
            raise PlanningError(
                f"{must} participants must visit station '{problem.station_ids[k]}' once, but "
                f"over all rounds it has room for only {room} of them; raise its capacity.",
                rule="station_too_small",
                station=problem.station_ids[k],
                must=int(must),
                room=int(room),
            )
    # A station takes at most its free seats over the rounds, and each mover once (held
    # rounds are left out: who may still visit what depends on them).
    room = int(np.minimum(free.sum(axis=0), int(movers.sum())).sum())
    needed = int(problem.present[:, movers].sum())
    if problem.n_frozen == 0 and needed > room:
        raise PlanningError(
            f"The participants need {needed} station visits but the stations can take only "
            f"{room}, as nobody may visit a station twice; raise the capacity of the small "
            "stations or plan fewer rounds.",
            rule="too_few_visits",
            needed=needed,
            room=room,
        )


Chooser = Callable[[int, int, np.ndarray], int]


class Placer:
    """Fills rounds of ``assign`` (R, N; -1 = not placed) while keeping the hard rules, with
    ``capacity`` (R, K) seats per round and station where given (fewer than the request's:
    a start that keeps stations small in some rounds), else the request's."""

    def __init__(self, problem: Problem, assign: np.ndarray, capacity: np.ndarray | None = None):
        self.p = problem
        self.assign = assign
        shape = (problem.n_rounds, problem.n_stations)
        self.capacity = np.broadcast_to(problem.capacity if capacity is None else capacity, shape)
        k = problem.n_stations
        self.sizes = np.zeros((problem.n_rounds, k), dtype=np.int64)
        self.visits = np.zeros((problem.n_people, k), dtype=np.int64)
        self.load = fixed_load(problem)  # (R, K) hosts per round, asked for in every round
        for r in range(problem.n_rounds):
            placed = np.flatnonzero(assign[r] >= 0)
            np.add.at(self.sizes[r], assign[r, placed], 1)
            np.add.at(self.visits, (placed, assign[r, placed]), 1)

    def allowed(self, r: int, i: int) -> np.ndarray:
        """Stations person i may take in round r, ignoring capacity."""
        if self.p.fixed[i] >= 0:
            out = np.zeros(self.p.n_stations, dtype=bool)
            out[self.p.fixed[i]] = True
            return out
        if self.p.no_revisit:
            return self.visits[i] == 0
        return np.ones(self.p.n_stations, dtype=bool)

    def put(self, r: int, i: int, k: int) -> None:
        self.assign[r, i] = k
        self.sizes[r, k] += 1
        self.visits[i, k] += 1

    def take(self, r: int, i: int) -> None:
        k = self.assign[r, i]
        self.assign[r, i] = -1
        self.sizes[r, k] -= 1
        self.visits[i, k] -= 1

    def fill_round(self, r: int, order: np.ndarray, choose: Chooser) -> None:
        """Place every present, unplaced person of round r in ``order`` (fixed ones first)."""
        todo = [i for i in order if self.p.present[r, i] and self.assign[r, i] < 0]
        todo.sort(key=lambda i: self.p.fixed[i] < 0)
        for i in todo:
            if self.p.fixed[i] >= 0:
                self.put(r, i, self.p.fixed[i])
        if self.p.no_revisit:
            self._place_forced(r, [i for i in todo if self.assign[r, i] < 0])
        ahead = self._room_elsewhere_later(r)
        sizes, capacity = self.sizes[r], self.capacity[r]
        # stations with a free seat, and those below ``ahead``: kept seat by seat (a seat
        # changes one station), recounted after an augmenting path moved several
        room, under = sizes < capacity, sizes < ahead
        for i in todo:
            if self.assign[r, i] >= 0:
                continue
            ok = self.allowed(r, i) & room
            if self.p.fixed[i] < 0:
                below = ok & under
                ok = below if below.any() else ok
            if ok.any():
                k = choose(r, i, np.flatnonzero(ok))
                self.put(r, i, k)
                room[k], under[k] = sizes[k] < capacity[k], sizes[k] < ahead[k]
            elif self._augment(r, i):
                room, under = sizes < capacity, sizes < ahead
            else:
                raise PlanningError(
                    f"Round {r} cannot seat everyone without a second visit to a station; "
                    "raise capacities or add a station.",
                    rule="round_unseatable",
                    round=r,
                )

    def _room_elsewhere_later(self, r: int) -> np.ndarray:
        """(K,) how many people station k should take in round r without revisits: all of
        them must sit at other stations in each later round, whose seats for movers are
        limited (40 people, stations of 10, 30 and 10, two rounds: at most 20 at the big
        one). A preference, not a rule: where it leaves nothing, any station with room goes.
        """
        p = self.p
        if not p.no_revisit or r + 1 >= p.n_rounds:
            return np.full(p.n_stations, np.iinfo(np.int64).max)
        seats = np.maximum(self.capacity[r + 1 :] - self.load[r + 1 :], 0)  # (later, K)
        elsewhere = seats.sum(axis=1, keepdims=True) - seats  # other stations' seats
        return elsewhere.min(axis=0) + self.load[r]

    def _place_forced(self, r: int, todo: list[int]) -> None:
        """Seat now the people a station can no longer take in later rounds.

        Someone with as many rounds left as stations left to visit must visit all of them;
        if the later rounds of station k cannot hold all such people, the surplus goes now.
        """
        p = self.p
        later = np.zeros(p.n_stations, dtype=np.int64)
        for r2 in range(r + 1, p.n_rounds):
            later += self.capacity[r2] - self.sizes[r2] - self._fixed_later(r2)
        left = p.present[r:].sum(axis=0)
        # A station whose seats its hosts fill in every round left is no station to visit.
        open_k = ((self.capacity[r:] - self.load[r:]) > 0).any(axis=0)
        tight = [i for i in todo if ((self.visits[i] == 0) & open_k).sum() <= left[i]]
        need = [
            [i for i in tight if self.visits[i, k] == 0] if open_k[k] else []
            for k in range(p.n_stations)
        ]
        surplus = np.array([len(n) for n in need]) - later
        for k in np.argsort(-surplus, kind="stable"):
            free = [i for i in need[k] if self.assign[r, i] < 0]
            for i in free[: max(int(surplus[k]), 0)]:
                if self.sizes[r, k] < self.capacity[r, k]:
                    self.put(r, i, int(k))

    def _fixed_later(self, r: int) -> np.ndarray:
        """Fixed people of round r not yet placed (they take their seats later)."""
        idx = np.flatnonzero(self.p.present[r] & (self.p.fixed >= 0) & (self.assign[r] < 0))
        return np.bincount(self.p.fixed[idx], minlength=self.p.n_stations)

    def _augment(self, r: int, i: int) -> bool:
        """Shift people along a path of stations to free a seat person i may take.

        Breadth-first over stations; the people at a station and the stations they may move
        to are found with one array operation per station, not per person.
        """
        p, k_count = self.p, self.p.n_stations
        start = np.flatnonzero(self.allowed(r, i))
        parent: dict[int, tuple[int, int]] = {int(k): (-1, i) for k in start}
        queue = deque(int(k) for k in start)
        movers = p.fixed < 0
        while queue:
            s = queue.popleft()
            if self.sizes[r, s] < self.capacity[r, s]:
                self._shift(r, s, parent)
                return True
            people = np.flatnonzero((self.assign[r] == s) & movers)
            if people.size == 0:
                continue
            can = (
                self.visits[people] == 0 if p.no_revisit else np.ones((people.size, k_count), bool)
            )
            can[:, s] = False
            for t in np.flatnonzero(can.any(axis=0)):
                if int(t) not in parent:
                    parent[int(t)] = (s, int(people[np.argmax(can[:, t])]))
                    queue.append(int(t))
        return False

    def _shift(self, r: int, end: int, parent: dict[int, tuple[int, int]]) -> None:
        t = end
        while True:
            s, person = parent[t]
            if s >= 0:
                self.take(r, person)
            self.put(r, person, t)
            if s < 0:
                return
            t = s


def fill_plan(problem: Problem, assign: np.ndarray, rng: np.random.Generator,
              choose: Chooser, capacity: np.ndarray | None = None) -> np.ndarray:  # fmt: skip
    """Complete every round after the frozen ones with ``choose`` (``capacity``: as
    ``Placer`` takes it); returns ``assign``."""
    placer = Placer(problem, assign, capacity)
    for r in range(problem.n_frozen, problem.n_rounds):
        placer.fill_round(r, rng.permutation(problem.n_people), choose)
    return assign


def empty_plan(problem: Problem) -> np.ndarray:
    """(R, N) with the frozen rounds filled in and -1 elsewhere."""
    assign = np.full((problem.n_rounds, problem.n_people), -1, dtype=np.int64)
    assign[: problem.n_frozen] = problem.frozen
    return assign


def seat_hosts(problem: Problem, assign: np.ndarray) -> np.ndarray:
    """``assign`` with the hosts at their station in every round they attend and nobody
    seated in a round they miss (changed in place)."""
    assign[~problem.present] = -1
    hosts = np.flatnonzero(problem.fixed >= 0)
    rounds, which = np.nonzero(problem.present[:, hosts])
    assign[rounds, hosts[which]] = problem.fixed[hosts[which]]
    return assign


FILL_ATTEMPTS = 64  # seeds tried before a round-by-round fill is taken as impossible
FEW_ATTEMPTS = 2  # greedy seating retries where another plan already seats everybody


def with_retries(
    fill: Callable[[int], np.ndarray], problem: Problem, seed: int, attempts: int = FILL_ATTEMPTS
) -> np.ndarray:
    """``fill(seed)``, and where it paints itself into a corner, ``fill`` with other seeds.

    Filling round by round, earlier rounds can leave a later one without a placement in
    stations mode (everybody's unvisited stations full), although another order of choices
    would have one: 13 people at 5 stations of 5 for 4 rounds, about one seed in three.
    Only when every attempt fails is the request taken as impossible.
    """
    for attempt in range(attempts):
        try:
            return fill(seed + 7919 * attempt)
        except PlanningError:
            if not problem.no_revisit or attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def random_plan(problem: Problem, seed: int) -> np.ndarray:
    """A feasible plan with every choice random (the benchmark's floor)."""

    def fill(seed: int) -> np.ndarray:
        rng = np.random.default_rng(seed)
        choose = lambda r, i, ok: int(rng.choice(ok))  # noqa: E731
        return fill_plan(problem, empty_plan(problem), rng, choose)

    return with_retries(fill, problem, seed)
