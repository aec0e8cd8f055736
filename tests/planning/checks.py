"""Independent checks of plans: plain Python sets, none of the engine's metric code."""

from __future__ import annotations

from collections import Counter
from itertools import combinations


def rule_breaks(request: dict, rounds: list[dict]) -> list[str]:
    """Every hard rule of docs/planning.md, checked from the request and the plan only."""
    people = {p["id"]: p for p in request["participants"]}
    caps = {s["id"]: s["capacity"] for s in request["stations"]}
    breaks = []
    if len(rounds) != request["rounds"]:
        breaks.append("round count")
    visits: dict[str, list[str]] = {pid: [] for pid in people}
    for r, groups in enumerate(rounds):
        seen = Counter(pid for members in groups.values() for pid in members)
        for pid, person in people.items():
            here = r not in person.get("absent_rounds", [])
            if seen[pid] != (1 if here else 0):
                breaks.append(f"{pid} placed {seen[pid]} times in round {r}")
        for sid, members in groups.items():
            if len(members) > caps[sid]:
                breaks.append(f"{sid} over capacity in round {r}")
            for pid in members:
                visits[pid].append(sid)
                fixed = people[pid].get("fixed_station")
                if fixed and fixed != sid:
                    breaks.append(f"{pid} left fixed station in round {r}")
    if request.get("mode", "stations") == "stations" and request["rounds"] <= len(caps):
        for pid, seq in visits.items():
            if not people[pid].get("fixed_station") and len(seq) != len(set(seq)):
                breaks.append(f"{pid} revisits a station")
    return breaks


def meetings(rounds: list[dict]) -> Counter:
    met: Counter = Counter()
    for groups in rounds:
        for members in groups.values():
            for a, b in combinations(sorted(members), 2):
                met[(a, b)] += 1
    return met


def recount(request: dict, rounds: list[dict]) -> dict:
    """The headline metrics, recomputed from scratch."""
    people = {p["id"]: p for p in request["participants"]}
    known = {tuple(sorted(pair)) for pair in request.get("known_pairs", [])}

    def colleagues(a, b):
        org = people[a].get("organisation")
        return org is not None and org == people[b].get("organisation")

    met = meetings(rounds)
    new = {pair for pair in met if pair not in known and not colleagues(*pair)}
    placed = {pid for groups in rounds for members in groups.values() for pid in members}
    return {
        "new_contacts_per_person": {
            pid: sum(pid in pair for pair in new) for pid in sorted(placed)
        },
        "new_pairs": len(new),
        "repeat_meetings": sum(times - 1 for times in met.values()),
        "known_pairs_met": len(known & set(met)),
        "colleague_meetings": sum(t for pair, t in met.items() if colleagues(*pair)),
        "distinct_pairs_met": len(met),
    }
