"""Benchmark instances (requests built in code; ids and organisations are invented)."""

from __future__ import annotations

import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _people(n: int, rng: random.Random, *, orgs: int = 0, cats: bool = False) -> list[dict]:
    out = []
    for i in range(n):
        person: dict = {"id": f"p{i:04d}"}
        if orgs:
            person["organisation"] = f"org{rng.randrange(orgs):03d}"
        if cats:
            person["category"] = rng.choice(["company"] * 6 + ["municipality"] * 3 + ["politics"])
        out.append(person)
    return out


def uniform(n: int, stations: int, capacity: int, rounds: int, mode: str, **extra) -> dict:
    return {
        "rounds": rounds,
        "mode": mode,
        "stations": [{"id": f"s{k:03d}", "capacity": capacity} for k in range(stations)],
        "participants": [{"id": f"p{i:04d}"} for i in range(n)],
        "seed": 1,
        "time_limit_s": 30.0,
        **extra,
    }


def golfer(g: int, s: int, w: int) -> dict:
    return uniform(g * s, g, s, w, "tables")


def with_history(n: int, stations: int, capacity: int, rounds: int, mode: str) -> dict:
    """Realistic side data plus known pairs from an earlier meeting of half the people."""
    rng = random.Random(5)
    request = uniform(n, stations, capacity, rounds, mode)
    request["participants"] = _people(n, rng, orgs=n // 3, cats=True)
    earlier = rng.sample(range(n), n // 2)
    groups = [earlier[k::stations] for k in range(stations)]
    request["known_pairs"] = [
        [f"p{a:04d}", f"p{b:04d}"] for group in groups for i, a in enumerate(group)
        for b in group[i + 1 :]
    ]  # fmt: skip
    return request


def uneven(n: int, capacities: list[int], rounds: int, mode: str, *, side: bool = False) -> dict:
    """Rooms of uneven size, as most venues have; ``side``: organisations and categories."""
    request = uniform(n, len(capacities), 0, rounds, mode)
    request["stations"] = [{"id": f"s{k:03d}", "capacity": c} for k, c in enumerate(capacities)]
    if side:
        request["participants"] = _people(n, random.Random(7), orgs=n // 4, cats=True)
    return request


def seed_meeting() -> dict:
    return json.loads((ROOT / "examples" / "netzwerktreffen.json").read_text(encoding="utf-8"))


def dialogue_50() -> dict:
    """The research note's 50-person dialogue case: 3 stations of 20, 3 fixed moderators."""
    request = uniform(50, 3, 20, 3, "stations")
    for k in range(3):
        request["participants"][k]["fixed_station"] = f"s{k:03d}"
    return request


def late_arrival(n: int, stations: int, capacity: int, rounds: int) -> dict:
    """One person misses the first round (the seed meeting's situation, at other sizes)."""
    request = uniform(n, stations, capacity, rounds, "stations")
    request["participants"][0]["absent_rounds"] = [0]
    return request


def small_roomy() -> dict:
    """A small meeting with more seats than people: 17 people from 7 organisations, 4
    stations of 7 (two with a moderator), 3 rounds; crowding would leave stations empty."""
    rng = random.Random(3)
    request = uniform(17, 4, 7, 3, "stations")
    request["participants"] = _people(17, rng, orgs=7, cats=True)
    for k in range(2):
        request["participants"][k]["fixed_station"] = f"s{k:03d}"
    return request


# (name, request factory, best value known: from the research note's exact models and
# constructions; None where the proven bound is the only reference)
INSTANCES = [
    ("seed meeting 50/3x20/3 stations", seed_meeting, None),
    ("50 / 3x20 / 3 stations, 3 moderators", dialogue_50, 887),
    ("51 / 3x17 / 2 tables", lambda: uniform(51, 3, 17, 2, "tables"), 696),
    ("51 / 3x17 / 3 tables", lambda: uniform(51, 3, 17, 3, "tables"), 984),
    ("51 / 3x17 / 2 stations", lambda: uniform(51, 3, 17, 2, "stations"), 624),
    ("51 / 3x17 / 3 stations", lambda: uniform(51, 3, 17, 3, "stations"), 840),
    # 7,720: the exact optimum of the code-count model (the engine proves it as its bound)
    ("150 / 3x60 / 3 stations, roomy, one late", lambda: late_arrival(150, 3, 60, 3), 7720),
    ("17 / 4x7 / 3 stations, small and roomy", small_roomy, None),
    ("60 / 4x15 / 4 stations, one late", lambda: late_arrival(60, 4, 15, 4), None),
    # More seats than people at 5-6 stations: the best plans crowd some stations.
    ("45 / 5x12 / 4 stations, roomy", lambda: uniform(45, 5, 12, 4, "stations"), None),
    ("80 / 6x16 / 4 stations, roomy", lambda: uniform(80, 6, 16, 4, "stations"), None),
    ("120 / 6x20 / 4 stations", lambda: uniform(120, 6, 20, 4, "stations"), None),
    # Stations and tables of uneven size: no construction fits, the searches carry them.
    (
        "100 / 8 stations of 8-20 / 5, uneven",
        lambda: uneven(100, [8, 10, 12, 14, 16, 18, 20, 15], 5, "stations"),
        None,
    ),
    (
        "100 / 8 stations of 8-20 / 5, uneven, organisations",
        lambda: uneven(100, [8, 10, 12, 14, 16, 18, 20, 15], 5, "stations", side=True),
        None,
    ),
    (
        "171 / 9 stations of 9-26 / 5, uneven",
        lambda: uneven(171, [9, 12, 15, 18, 20, 22, 24, 26, 25], 5, "stations"),
        None,
    ),
    (
        "61 / 9 tables of 5-11 / 7, uneven",
        lambda: uneven(61, [5, 6, 7, 8, 9, 10, 11, 5, 6], 7, "tables"),
        None,
    ),
    # Everyone visits every station in groups no larger than the station count: clusters of one.
    (
        "35 / 7x5 / 7 stations, everyone everywhere, small groups",
        lambda: uniform(35, 7, 5, 7, "stations"),
        None,
    ),
    (
        "50 / 11x5 / 11 stations, everyone everywhere, small groups",
        lambda: uniform(50, 11, 5, 11, "stations"),
        None,
    ),
    # Everyone visits every station, at a station count without a difference matrix.
    ("36 / 6x6 / 6 stations, everyone everywhere", lambda: uniform(36, 6, 6, 6, "stations"), None),
    (
        "60 / 10x6 / 10 stations, everyone everywhere",
        lambda: uniform(60, 10, 6, 10, "stations"),
        None,
    ),
    (
        "110 / 10x11 / 10 stations, everyone everywhere",
        lambda: uniform(110, 10, 11, 10, "stations"),
        None,
    ),
    # Greedy seating gets stuck in the last rounds with every seed (refused before).
    (
        "300 / 14x22 / 14 stations, hardly a free seat",
        lambda: uniform(300, 14, 22, 14, "stations"),
        None,
    ),
    ("600 / 12x50 / 5 stations, known", lambda: with_history(600, 12, 50, 5, "stations"), None),
    ("40 / 6x8 / 5 tables, a table to spare", lambda: uniform(40, 6, 8, 5, "tables"), None),
    ("2000 / 250x8 / 6 tables", lambda: uniform(2000, 250, 8, 6, "tables"), None),
    ("2000 / 12x167 / 6 stations", lambda: uniform(2000, 12, 167, 6, "stations"), None),
    ("SGP 5-3-7", lambda: golfer(5, 3, 7), 105),
    ("SGP 6-3-8", lambda: golfer(6, 3, 8), 144),
    ("SGP 8-4-9", lambda: golfer(8, 4, 9), 432),
    ("SGP 8-4-10", lambda: golfer(8, 4, 10), 480),
    ("SGP 10-4-10", lambda: golfer(10, 4, 10), 600),
]
