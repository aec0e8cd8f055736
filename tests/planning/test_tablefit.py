"""Tables mode: each round's groups move to the tables that fit them (``tablefit.by_size``),
so that free seats sit where the local search can fill them, and two groups that fit one
table sit together where that scores more (``tablefit.merged``)."""

import numpy as np

from treffpunkt.planning.request import parse_request
from treffpunkt.planning.tablefit import by_size, merged


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


def test_two_groups_that_fit_one_table_sit_together():
    # two people at the table of 7, five at a table of 5: together at the table of 7 each of
    # them also meets the other group (10 pairs more); no move of one person gets there
    tables = problem([7, 5, 5], 7)
    assert merged(tables, np.array([[0, 0, 1, 1, 1, 1, 1]])).tolist() == [[0] * 7]


def test_the_merge_with_the_most_pairs_comes_first():
    # groups of 2, 2 and 5 at tables of 7, 7 and 5: a 2 with the 5 makes 10 pairs, the two 2s
    # only 4, and after the first merge the other 2 fits with nobody
    tables = problem([7, 7, 5], 9)
    plan = np.array([[0, 0, 1, 1, 2, 2, 2, 2, 2]])
    assert merged(tables, plan).tolist() == [[0, 0, 1, 1, 0, 0, 0, 0, 0]]


def test_groups_stay_apart_where_together_they_score_less():
    # everyone of the pair has met everyone of the five: together they would only add a
    # colleague meeting (a and c work together)
    people = [{"id": "a", "organisation": "x"}, {"id": "b"}, {"id": "c", "organisation": "x"}]
    people += [{"id": f"d{i}"} for i in range(4)]
    known = [[one, other] for one in ("a", "b") for other in ["c", "d0", "d1", "d2", "d3"]]
    plan = np.array([[0, 0, 1, 1, 1, 1, 1]])
    assert merged(problem([7, 5], people, known_pairs=known), plan).tolist() == plan.tolist()
    assert merged(problem([7, 5], people), plan).tolist() == [[0] * 7]


def test_hosts_groups_held_rounds_and_stations_are_not_merged():
    participants = [{"id": f"p{i}"} for i in range(7)]
    participants[0]["fixed_station"] = "t0"
    hosted = problem([7, 5], participants)
    plan = np.array([[0, 0, 1, 1, 1, 1, 1]])
    assert merged(hosted, plan).tolist() == plan.tolist()
    frozen = [{"t0": ["p0", "p1"], "t1": ["p2", "p3", "p4", "p5", "p6"]}]
    held = problem([7, 5], 7, rounds=2, frozen_rounds=frozen)
    two_rounds = np.array([[0, 0, 1, 1, 1, 1, 1], [0, 0, 1, 1, 1, 1, 1]])
    assert merged(held, two_rounds).tolist() == [[0, 0, 1, 1, 1, 1, 1], [0] * 7]
    stations = parse_request({"rounds": 1, "mode": "stations",
                              "participants": [{"id": f"p{i}"} for i in range(7)],
                              "stations": [{"id": "s0", "capacity": 7},
                                           {"id": "s1", "capacity": 5}]})  # fmt: skip
    assert merged(stations, plan).tolist() == plan.tolist()
