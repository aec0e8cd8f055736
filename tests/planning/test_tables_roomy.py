"""Tables mode with seats to spare: the constructions plan on the fewest tables that seat
everybody (tables are interchangeable, and fuller tables hold more pairs), and nobody sits
alone at a table."""

from treffpunkt.planning import plan, polish
from treffpunkt.planning.fewer import _fewest_tables, applies
from treffpunkt.planning.request import parse_request

from .checks import rule_breaks


def tables(people: int, capacities: list[int], rounds: int) -> dict:
    return {
        "rounds": rounds, "mode": "tables", "seed": 1,
        "stations": [{"id": f"t{k}", "capacity": c} for k, c in enumerate(capacities)],
        "participants": [{"id": f"p{i:03d}"} for i in range(people)],
    }  # fmt: skip


def test_forty_people_at_six_tables_of_eight_sit_at_five():
    request = tables(40, [8] * 6, 5)
    result = plan(request)
    assert result["algorithm"].startswith("designs on the fewest tables")
    assert rule_breaks(request, result["rounds"]) == []
    assert result["metrics"]["new_pairs"] == 640  # on all six tables: 593; bound 660


def test_the_largest_tables_are_kept_and_a_hosts_table_always():
    request = tables(20, [4, 10, 6, 10, 4], 3)
    assert _fewest_tables(parse_request(request)).tolist() == [1, 3]
    request["participants"][0]["fixed_station"] = "t0"
    assert _fewest_tables(parse_request(request)).tolist() == [0, 1, 3]
    result = plan(request)
    assert rule_breaks(request, result["rounds"]) == []
    assert all("p000" in groups["t0"] for groups in result["rounds"])


def test_the_busiest_round_decides_how_many_tables_are_needed():
    request = tables(16, [8, 8, 8], 3)
    assert _fewest_tables(parse_request(request)).tolist() == [0, 1]
    request["participants"].append({"id": "late", "absent_rounds": [0]})
    assert not applies(parse_request(request))  # 17 in rounds 1 and 2: all three needed


def test_not_where_every_table_is_needed_nor_for_dialogue_stations():
    assert not applies(parse_request(tables(48, [8] * 6, 5)))
    assert not applies(parse_request({**tables(40, [8] * 6, 5), "mode": "stations"}))


def lone_people(rounds: list[dict]) -> list[tuple[int, str]]:
    return [(r, table) for r, groups in enumerate(rounds) for table, members in groups.items()
            if len(members) == 1]  # fmt: skip


def test_nobody_sits_alone_even_where_pairs_would_gain():
    # 5 + 5 + 1 makes 20 pairs a round, 4 + 4 + 3 only 15: the search left someone alone
    # at t2 in every round.
    request = tables(11, [5, 5, 5], 3)
    result = plan(request)
    assert rule_breaks(request, result["rounds"]) == []
    assert lone_people(result["rounds"]) == []


def test_a_host_left_alone_at_their_table_gets_company():
    # Ten guests fill the other two tables (20 pairs a round) unless one joins the host.
    request = tables(11, [2, 5, 5], 2)
    request["participants"][0]["fixed_station"] = "t0"
    result = plan(request)
    assert rule_breaks(request, result["rounds"]) == []
    assert lone_people(result["rounds"]) == []
    assert all(len(groups["t0"]) >= 2 for groups in result["rounds"])


def test_someone_alone_at_a_one_seat_table_moves_with_company_to_an_empty_one():
    request = tables(4, [1, 3, 3], 2)
    result = plan(request)
    assert rule_breaks(request, result["rounds"]) == []
    assert lone_people(result["rounds"]) == []


def test_the_pairs_lost_to_company_for_someone_alone_are_won_back(monkeypatch):
    # 52 people at 7 tables of 9-11 for 4 rounds: the searches leave a table of one (it
    # frees a seat at a full table), and company found for its person costs new pairs; the
    # annealing afterwards, with a table of one counted as 10 pairs short, wins them back.
    request = tables(52, [11, 10, 10, 10, 9, 10, 9], 4)
    mended = plan(request)
    monkeypatch.setattr(polish, "LONE_SHARE", 0.0)  # company found, nothing mended
    company_only = plan(request)

    assert (mended["metrics"]["new_pairs"], company_only["metrics"]["new_pairs"]) == (821, 815)
    assert rule_breaks(request, mended["rounds"]) == []
    sizes = [len(group) for groups in mended["rounds"] for group in groups.values()]
    assert 1 not in sizes


def test_groups_move_to_the_tables_that_fit_them_between_the_searches(monkeypatch):
    # 52 people at 7 tables of 9-11 for 4 rounds, one of them absent in each of rounds 0-2:
    # 51 people, the seats of the five largest tables. The searches shrink a group at a large
    # table and fill a small one; moved to the tables that fit them, the groups have the free
    # seats the search needs to fill those five tables. Merging groups that fit one table
    # (``tablefit.merged``) gets there too on this request: the moves alone keep 838, both 839.
    request = tables(52, [11, 10, 10, 10, 9, 10, 9], 4)
    for k in range(3):
        request["participants"][k]["absent_rounds"] = [k]
    fitted = plan(request)
    monkeypatch.setattr(polish, "merged", lambda problem, assign: assign)
    moved_only = plan(request)
    monkeypatch.setattr(polish, "by_size", lambda problem, assign: assign)
    unmoved = plan(request)

    pairs = [result["metrics"]["new_pairs"] for result in (fitted, moved_only, unmoved)]
    assert pairs == [839, 838, 825]
    assert rule_breaks(request, fitted["rounds"]) == []
    for groups in fitted["rounds"][:3]:
        assert sorted(map(len, groups.values()), reverse=True) == [11, 10, 10, 10, 10, 0, 0]


def test_two_groups_that_fit_one_table_merge_between_the_searches(monkeypatch):
    # 70 people at 15 tables of 5-7 for 8 rounds: the plans seat every round as five tables
    # of 7, five of 6 and one of 5, but the searches get there by way of small groups that
    # no move of one person joins to another (the searches leave nobody alone); merged
    # between the searches, 17 repeat meetings instead of 22
    request = tables(70, [5, 6, 6, 6, 7, 7, 6, 6, 5, 7, 7, 6, 5, 5, 7], 8)
    together = plan(request)
    monkeypatch.setattr(polish, "merged", lambda problem, assign: assign)
    apart = plan(request)

    assert [together["metrics"]["new_pairs"], apart["metrics"]["new_pairs"]] == [1503, 1498]
    assert rule_breaks(request, together["rounds"]) == []
