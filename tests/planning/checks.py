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


def staffing_floor(request: dict) -> list[dict[str, int]]:
    """Fewest people per station in each round (docs/planning.md, "Staffed stations")."""
    caps = {s["id"]: s["capacity"] for s in request["stations"]}
    people, rounds = request["participants"], range(request["rounds"])
    held = len(request.get("frozen_rounds", []))
    dialogue = request.get("mode", "stations") == "stations"

    def there(p, r):
        return r not in p.get("absent_rounds", [])

    hosts = [Counter(p["fixed_station"] for p in people if p.get("fixed_station") and there(p, r))
             for r in rounds]  # fmt: skip
    movers = [sum(not p.get("fixed_station") and there(p, r) for p in people) for r in rounds]
    one = [{sid: min(hosts[r][sid] + 1, cap) for sid, cap in caps.items()} for r in rounds]
    two = [{sid: min(max(hosts[r][sid] + 1, 2), cap) for sid, cap in caps.items()} for r in rounds]
    floors = []
    for r in rounds:
        if not dialogue or r < held:
            floors.append(dict(hosts[r]))
        elif movers[r] >= sum(two[r][sid] - hosts[r][sid] for sid in caps):
            floors.append(dict(two[r]))
        elif movers[r] >= len(caps):
            floors.append(dict(one[r]))
        else:
            floors.append(dict(hosts[r]))
    if dialogue and request["rounds"] <= len(caps):  # each person visits a station once
        open_rounds = range(held, request["rounds"])
        visitors = sum(
            not p.get("fixed_station") and any(there(p, r) for r in open_rounds) for p in people
        )
        for sid in caps:
            if sum(floors[r].get(sid, 0) - hosts[r][sid] for r in open_rounds) <= visitors:
                continue
            # one person each round, a second one in the earliest rounds the rest allows
            spare = visitors - sum(min(floors[r].get(sid, 0), one[r][sid]) - hosts[r][sid]
                                   for r in open_rounds)  # fmt: skip
            for r in open_rounds:
                second = floors[r].get(sid, 0) - min(floors[r].get(sid, 0), one[r][sid])
                if second <= spare:
                    spare -= second
                else:
                    floors[r][sid] = one[r][sid]
    return floors


def unstaffed(request: dict, rounds: list[dict]) -> int:
    """(round, station) cells below the staffing floor."""
    floors = staffing_floor(request)
    return sum(
        len(members) < floors[r].get(sid, 0)
        for r, groups in enumerate(rounds)
        for sid, members in groups.items()
    )


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
        "unstaffed_groups": unstaffed(request, rounds),
    }
