"""Reading and checking a planning request (see docs/planning.md for the contract).

``parse_request`` turns the request dict into a :class:`Problem` of numpy arrays, or raises
:class:`PlanningError` with one line that says what to fix. Checks that need the whole
request (capacities against the people present, the stations-mode visiting rule) live in
``feasibility.py``.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import numpy as np

from .errors import PlanningError

MODES = ("stations", "tables")
DEFAULT_WEIGHTS = {
    "new_pairs": 1000.0,
    "colleagues": 100.0,
    "categories": 10.0,
    "preferences": 2.0,
    "min_size": 1.0,
}
TOP_LEVEL_KEYS = {
    "rounds", "mode", "stations", "participants", "known_pairs", "time_limit_s", "seed",
    "weights", "frozen_rounds", "effort",
}  # fmt: skip
STATION_KEYS = {"id", "name", "capacity", "min_size"}
PARTICIPANT_KEYS = {
    "id", "name", "organisation", "category", "preferences", "fixed_station", "absent_rounds",
}  # fmt: skip
MAX_ROUNDS = 100
# Memory grows with the square of the people (pair tables): 10,000 need about 2 GB.
MAX_PARTICIPANTS = 10_000
MAX_NUMBER = 1e6  # weights, preferences, seconds, effort
MAX_CAPACITY = 10**6  # seats per station; more than anyone needs, small enough to count with
DEFAULT_TIME_LIMIT_S = 10.0


@dataclass(frozen=True)
class Problem:
    """A checked request in array form; station and person indices follow request order."""

    mode: str
    n_rounds: int
    station_ids: list[str]
    capacity: np.ndarray  # (K,) int
    min_size: np.ndarray  # (K,) int
    person_ids: list[str]
    org: np.ndarray  # (N,) int, -1 = no organisation given
    cat: np.ndarray  # (N,) int, -1 = no category given
    categories: list[str]
    pref: np.ndarray  # (N, K) float
    fixed: np.ndarray  # (N,) int station, -1 = moves freely
    present: np.ndarray  # (R, N) bool
    known: np.ndarray  # (N, N) bool, symmetric: listed in known_pairs
    frozen: np.ndarray  # (F, N) int station, -1 = absent
    weights: dict[str, float]
    seed: int
    time_limit_s: float
    effort: float

    @property
    def n_people(self) -> int:
        return len(self.person_ids)

    @property
    def n_stations(self) -> int:
        return len(self.station_ids)

    @property
    def n_frozen(self) -> int:
        return int(self.frozen.shape[0])

    @property
    def no_revisit(self) -> bool:
        """Stations mode forbids a second visit to a station while rounds <= stations."""
        return self.mode == "stations" and self.n_rounds <= self.n_stations

    @property
    def has_categories(self) -> bool:
        """Someone has a category: the category mix is scored."""
        return bool((self.cat >= 0).any())

    @property
    def has_min_size(self) -> bool:
        """Some station wants more than one person (a group of one meets a min_size of 1)."""
        return bool((self.min_size > 1).any())

    @property
    def has_free_seats(self) -> bool:
        """Some open round has more seats than people present."""
        open_present = self.present[self.n_frozen :].sum(axis=1)
        return bool((open_present < self.capacity.sum()).any())

    @cached_property
    def colleague(self) -> np.ndarray:
        """(N, N) bool: same organisation (never a new contact, best kept apart)."""
        same = (self.org[:, None] == self.org[None, :]) & (self.org[:, None] >= 0)
        np.fill_diagonal(same, False)
        return same

    @cached_property
    def valuable(self) -> np.ndarray:
        """(N, N) bool: pairs whose first meeting is a new contact."""
        value = ~(self.known | self.colleague)
        np.fill_diagonal(value, False)
        return value

    @cached_property
    def met_before(self) -> np.ndarray:
        """(N, N) bool: pairs who shared a group in a held round (``frozen``)."""
        from .metrics import meet_counts  # metrics reads Problem: imported when first needed

        return meet_counts(self.frozen) > 0

    @cached_property
    def worthless(self) -> np.ndarray:
        """(N, N) bool: pairs whose meeting in an open round brings no new contact (known,
        colleagues, or met in a held round); False on the diagonal."""
        out = ~self.valuable | self.met_before
        np.fill_diagonal(out, False)
        return out


def _fail(message: str) -> None:
    raise PlanningError(message)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    """A finite number of at most MAX_NUMBER either way (weights, preferences, seconds):
    larger ones only overflow the objective."""
    if not (_is_int(value) or isinstance(value, float)):
        return False
    if _is_int(value):
        return abs(value) <= MAX_NUMBER
    return math.isfinite(value) and abs(value) <= MAX_NUMBER


def _default(value: Any, empty: Any) -> Any:
    """``empty`` for a missing (null) optional field; anything else is checked as given, so
    that ``false`` or ``0`` is refused rather than read as empty."""
    return empty if value is None else value


def _text(value: Any, what: str) -> str:
    if not isinstance(value, str) or not value.strip():
        _fail(f"{what} must be a non-empty text.")
    return value


def _optional_text(item: dict, key: str, what: str) -> str | None:
    value = item.get(key)
    return None if value is None else _text(value, what)


def _refuse_unknown(item: dict, allowed: set[str], where: str) -> None:
    """A typo such as ``absent_round`` would otherwise be silently ignored."""
    unknown = sorted(str(key) for key in set(item) - allowed)
    if unknown:
        close = difflib.get_close_matches(unknown[0], sorted(allowed), n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        _fail(f"Unknown field '{unknown[0]}' {where}{hint}; see docs/planning.md.")


def _read_rounds(request: dict) -> int:
    rounds = request.get("rounds")
    if not _is_int(rounds) or not 1 <= rounds <= MAX_ROUNDS:
        _fail(f"'rounds' must be a whole number from 1 to {MAX_ROUNDS}.")
    return rounds


def _read_stations(request: dict) -> tuple[list[str], np.ndarray, np.ndarray]:
    stations = request.get("stations")
    if not isinstance(stations, list) or not stations:
        _fail("'stations' must be a non-empty list of stations.")
    ids, caps, mins = [], [], []
    for n, station in enumerate(stations):
        if not isinstance(station, dict):
            _fail(f"Station number {n + 1} must be an object with an id and a capacity.")
        sid = _text(station.get("id"), f"The id of station number {n + 1}")
        _refuse_unknown(station, STATION_KEYS, f"in station '{sid}'")
        if sid in ids:
            _fail(f"Station id '{sid}' appears twice; give every station its own id.")
        cap, low = station.get("capacity"), station.get("min_size", 0)
        if not _is_int(cap) or not 1 <= cap <= MAX_CAPACITY:
            _fail(f"Station '{sid}' needs a capacity from 1 to {MAX_CAPACITY:,} (a whole number).")
        if not _is_int(low) or not 0 <= low <= cap:
            _fail(f"The min_size of station '{sid}' must be a whole number from 0 to {cap}.")
        ids.append(sid)
        caps.append(cap)
        mins.append(low)
    return ids, np.array(caps, dtype=np.int64), np.array(mins, dtype=np.int64)


def _read_people(request: dict, station_ids: list[str], n_rounds: int) -> dict[str, Any]:
    people = request.get("participants")
    if not isinstance(people, list) or not people:
        _fail("'participants' must be a non-empty list of participants.")
    if len(people) > MAX_PARTICIPANTS:
        _fail(
            f"The request has {len(people):,} participants; the planner takes at most "
            f"{MAX_PARTICIPANTS:,} (split the meeting into parallel sessions)."
        )
    index = {sid: k for k, sid in enumerate(station_ids)}
    ids: list[str] = []
    orgs: dict[str, int] = {}
    cats: dict[str, int] = {}
    n, k = len(people), len(station_ids)
    org, cat, fixed = np.full(n, -1), np.full(n, -1), np.full(n, -1)
    pref = np.zeros((n, k))
    present = np.ones((n_rounds, n), dtype=bool)
    for i, person in enumerate(people):
        if not isinstance(person, dict):
            _fail(f"Participant number {i + 1} must be an object with an id.")
        pid = _text(person.get("id"), f"The id of participant number {i + 1}")
        _refuse_unknown(person, PARTICIPANT_KEYS, f"for participant '{pid}'")
        if pid in ids:
            _fail(f"Participant id '{pid}' appears twice; give every participant their own id.")
        ids.append(pid)
        name = _optional_text(person, "organisation", f"The organisation of '{pid}'")
        if name is not None:
            org[i] = orgs.setdefault(name, len(orgs))
        name = _optional_text(person, "category", f"The category of '{pid}'")
        if name is not None:
            cat[i] = cats.setdefault(name, len(cats))
        fixed[i] = _read_fixed(person, pid, index)
        pref[i] = _read_preferences(person, pid, index)
        present[:, i] = _read_presence(person, pid, n_rounds)
    return {
        "ids": ids, "org": org, "cat": cat, "categories": list(cats), "fixed": fixed,
        "pref": pref, "present": present,
    }  # fmt: skip


def _read_fixed(person: dict, pid: str, index: dict[str, int]) -> int:
    station = person.get("fixed_station")
    if station is None:
        return -1
    if not isinstance(station, str) or station not in index:
        _fail(f"Participant '{pid}' has fixed_station '{station}', which is not a station.")
    return index[station]


def _read_preferences(person: dict, pid: str, index: dict[str, int]) -> np.ndarray:
    row = np.zeros(len(index))
    prefs = _default(person.get("preferences"), {})
    if not isinstance(prefs, dict):
        _fail(f"The preferences of '{pid}' must map station ids to numbers.")
    for station, value in prefs.items():
        if station not in index:
            _fail(f"Participant '{pid}' has a preference for '{station}', which is not a station.")
        if not _is_number(value):
            _fail(
                f"The preference of '{pid}' for '{station}' must be a number from "
                f"-{MAX_NUMBER:,.0f} to {MAX_NUMBER:,.0f}."
            )
        row[index[station]] = float(value)
    return row


def _read_presence(person: dict, pid: str, n_rounds: int) -> np.ndarray:
    present = np.ones(n_rounds, dtype=bool)
    absent = _default(person.get("absent_rounds"), [])
    if not isinstance(absent, list):
        _fail(f"The absent_rounds of '{pid}' must be a list of round numbers.")
    for r in absent:
        if not _is_int(r) or not 0 <= r < n_rounds:
            _fail(
                f"Participant '{pid}' is absent in round {r!r}, but the rounds are numbered "
                f"0 to {n_rounds - 1}."
            )
        present[r] = False
    return present


def _read_known(request: dict, ids: list[str]) -> np.ndarray:
    pairs = _default(request.get("known_pairs"), [])
    if not isinstance(pairs, list):
        _fail("'known_pairs' must be a list of pairs of participant ids.")
    index = {pid: i for i, pid in enumerate(ids)}
    known = np.zeros((len(ids), len(ids)), dtype=bool)
    for pair in pairs:
        if not isinstance(pair, list) or len(pair) != 2:
            _fail(f"Known pair {pair!r} must be a list of two participant ids.")
        for pid in pair:
            if not isinstance(pid, str) or pid not in index:
                _fail(f"Known pair {pair!r} names '{pid}', who is not a participant.")
        if pair[0] == pair[1]:
            _fail(f"Known pair {pair!r} names the same participant twice.")
        a, b = index[pair[0]], index[pair[1]]
        known[a, b] = known[b, a] = True
    return known


def _read_weights(request: dict) -> dict[str, float]:
    given = _default(request.get("weights"), {})
    if not isinstance(given, dict):
        _fail("'weights' must map objective terms to numbers.")
    weights = dict(DEFAULT_WEIGHTS)
    for key, value in given.items():
        if key not in weights:
            _fail(f"Unknown weight '{key}'; use {', '.join(DEFAULT_WEIGHTS)}.")
        if not _is_number(value) or value < 0:
            _fail(f"Weight '{key}' must be a number from 0 to {MAX_NUMBER:,.0f}.")
        weights[key] = float(value)
    return weights


def _read_settings(request: dict) -> tuple[int, float, float]:
    seed = request.get("seed", 0)
    if not _is_int(seed) or seed < 0:
        _fail("'seed' must be a whole number of 0 or more.")
    limit = request.get("time_limit_s", DEFAULT_TIME_LIMIT_S)
    if not _is_number(limit) or limit <= 0:
        _fail(f"'time_limit_s' must be a number of seconds above 0 and at most {MAX_NUMBER:,.0f}.")
    effort = request.get("effort", 1.0)
    if not _is_number(effort) or not 0 < effort <= 100:
        _fail("'effort' must be a number above 0 and at most 100.")
    return seed, float(limit), float(effort)


def parse_request(request: Any) -> Problem:
    """Check ``request`` and return it as a :class:`Problem`; raise PlanningError if invalid."""
    from .frozen import read_frozen

    if not isinstance(request, dict):
        _fail("The request must be a JSON object.")
    _refuse_unknown(request, TOP_LEVEL_KEYS, "in the request")
    n_rounds = _read_rounds(request)
    mode = request.get("mode", "stations")
    if mode not in MODES:
        _fail("'mode' must be 'stations' or 'tables'.")
    station_ids, capacity, min_size = _read_stations(request)
    people = _read_people(request, station_ids, n_rounds)
    # No station holds more than everybody: the arrays the search keeps per seat stay small.
    capacity = np.minimum(capacity, len(people["ids"]))
    min_size = np.minimum(min_size, capacity)
    seed, limit, effort = _read_settings(request)
    problem = Problem(
        mode=mode, n_rounds=n_rounds, station_ids=station_ids, capacity=capacity,
        min_size=min_size, person_ids=people["ids"], org=people["org"], cat=people["cat"],
        categories=people["categories"], pref=people["pref"], fixed=people["fixed"],
        present=people["present"], known=_read_known(request, people["ids"]),
        frozen=np.zeros((0, len(people["ids"])), dtype=np.int64),
        weights=_read_weights(request), seed=seed, time_limit_s=limit, effort=effort,
    )  # fmt: skip
    frozen = read_frozen(request.get("frozen_rounds"), problem)
    return replace(problem, frozen=frozen)
