"""Hypothesis strategies shared by the planner's property tests."""

from __future__ import annotations

from hypothesis import strategies as st


@st.composite
def participants(draw, count: int, rounds: int, stations: int, organisations: int) -> list[dict]:
    """``count`` people, each with an organisation and a category; about one in four misses
    one round, about one in four prefers one station."""
    people = []
    for i in range(count):
        person = {
            "id": f"p{i}",
            "organisation": f"o{draw(st.integers(0, organisations - 1))}",
            "category": draw(st.sampled_from(["company", "municipality", "politics"])),
        }
        if draw(st.integers(0, 3)) == 0:
            person["absent_rounds"] = [draw(st.integers(0, rounds - 1))]
        if draw(st.integers(0, 3)) == 0:
            person["preferences"] = {
                f"s{draw(st.integers(0, stations - 1))}": draw(st.integers(0, 3))
            }
        people.append(person)
    return people


@st.composite
def meetings(draw, *, max_stations: int, max_capacity: int, max_people: int, max_hosts: int,
             min_sizes: st.SearchStrategy[int]) -> dict:  # fmt: skip
    """A request in either mode: stations of random size (free seats likely), people from
    ``participants``, up to ``max_hosts`` hosts at the first stations, maybe one known pair;
    every station's ``min_size`` drawn from ``min_sizes`` (at most its capacity)."""
    mode = draw(st.sampled_from(["stations", "tables"]))
    n_stations = draw(st.integers(2, max_stations))
    rounds = draw(st.integers(1, n_stations + 1 if mode == "stations" else 4))  # + 1: revisits
    caps = [draw(st.integers(2, max_capacity)) for _ in range(n_stations)]
    n_people = draw(st.integers(2, min(sum(caps), max_people)))
    people = draw(participants(n_people, rounds, n_stations, organisations=5))
    for k in range(draw(st.integers(0, min(max_hosts, n_people - 1)))):
        people[k]["fixed_station"] = f"s{k}"
    known = [["p0", "p1"]] if n_people > 2 and draw(st.booleans()) else []
    min_size = draw(min_sizes)
    return {
        "rounds": rounds, "mode": mode, "participants": people, "known_pairs": known,
        "stations": [{"id": f"s{k}", "capacity": c, "min_size": min(min_size, c)}
                     for k, c in enumerate(caps)],
        "seed": draw(st.integers(0, 9)),
    }  # fmt: skip
