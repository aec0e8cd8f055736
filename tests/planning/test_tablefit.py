"""Tables mode: each round's groups move to the tables that fit them (``tablefit.by_size``),
so that free seats sit where the local search can fill them."""

import numpy as np

from treffpunkt.planning.request import parse_request
from treffpunkt.planning.tablefit import by_size


def problem(capacities: list[int], people: int | list[dict], rounds: int = 1, **extra):
    """A tables request of ``people`` (a number, or the participants) as the planner reads it."""
    if isinstance(people, int):
        people = [{"id": f"p{i}"} for i in range(people)]
    request = {
        "rounds": rounds, "mode": "tables", "participants": people,
        "stations": [{"id": f"t{k}", "capacity": c} for k, c in enumerate(capacities)],
    }  # fmt: skip
    return parse_request({**request, **extra})


def test_the_largest_group_sits_at_the_largest_table():
    # a group of 3 at the table of 4, two people at the table of 5: the free seats are where
    # nobody wants them
    tables = problem([4, 5, 3], 5)
    moved = by_size(tables, np.array([[0, 0, 0, 1, 1]]))
    assert moved.tolist() == [[1, 1, 1, 0, 0]]


def test_groups_of_equal_size_keep_their_order_and_empty_tables_stay_empty():
    tables = problem([6, 6, 6, 6], 4)
    row = np.array([[2, 2, 3, 3]])
    assert by_size(tables, row).tolist() == [[0, 0, 1, 1]]


def test_a_hosts_table_keeps_its_group():
    tables = problem([4, 6, 5], 6)
    participants = [{"id": f"p{i}"} for i in range(6)]
    participants[0]["fixed_station"] = "t0"
    hosted = problem([4, 6, 5], participants)
    row = np.array([[0, 0, 2, 2, 2, 1]])
    assert by_size(hosted, row).tolist() == [[0, 0, 1, 1, 1, 2]]
    assert by_size(tables, row).tolist() == [[2, 2, 1, 1, 1, 0]]  # without the host


def test_among_tables_of_one_capacity_preferences_decide():
    participants = [{"id": "a", "preferences": {"t2": 3}}, {"id": "b"}, {"id": "c"}]
    tables = problem([4, 4, 4], participants)
    # the pair moves to the table a prefers, the empty one; c keeps theirs
    assert by_size(tables, np.array([[0, 0, 1]])).tolist() == [[2, 2, 1]]


def test_a_round_keeps_its_tables_where_the_move_would_lose_preference_points():
    # three people at the table of 6 they prefer, four at the table of 5: by size the four
    # would take the table of 6, and the three would lose their 3 points
    participants = [{"id": f"p{i}", "preferences": {"t1": 1}} for i in range(3)]
    participants += [{"id": f"q{i}"} for i in range(4)]
    preferring = problem([5, 6], participants)
    plan = np.array([[1, 1, 1, 0, 0, 0, 0]])
    assert by_size(preferring, plan).tolist() == [[1, 1, 1, 0, 0, 0, 0]]
    indifferent = problem([5, 6], 7)
    assert by_size(indifferent, plan).tolist() == [[0, 0, 0, 1, 1, 1, 1]]


def test_held_rounds_and_stations_are_not_moved():
    frozen = [{"t0": ["p0"], "t1": ["p1", "p2"]}]
    tables = problem([5, 6], 3, rounds=2, frozen_rounds=frozen)
    plan = np.array([[0, 1, 1], [0, 1, 1]])
    assert by_size(tables, plan).tolist() == [[0, 1, 1], [1, 0, 0]]
    stations = parse_request({"rounds": 1, "mode": "stations",
                              "participants": [{"id": f"p{i}"} for i in range(3)],
                              "stations": [{"id": "s0", "capacity": 5},
                                           {"id": "s1", "capacity": 6}]})  # fmt: skip
    assert by_size(stations, np.array([[0, 0, 1]])).tolist() == [[0, 0, 1]]
