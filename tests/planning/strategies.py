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
