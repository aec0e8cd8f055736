"""Two-round stations meetings planned from their group sizes (``tworounds.py``): the size
model counts the pairs a plan meets, its search finds the best sizes of small meetings, the
crossings are at their least, and dealing people to codes parts colleagues."""

import itertools

import numpy as np

from treffpunkt.planning import plan, tworounds
from treffpunkt.planning.feasibility import staff_floor
from treffpunkt.planning.metrics import objective_terms
from treffpunkt.planning.request import parse_request

from .checks import rule_breaks


def stations(capacities: list[int], people: int, *, organisations: int = 0) -> dict:
    """``people`` at stations of these capacities for two rounds; the first
    3 x ``organisations`` of them in organisations of three."""
    participants = [{"id": f"p{i:02d}"} for i in range(people)]
    for i in range(3 * organisations):
        participants[i]["organisation"] = f"o{i // 3}"
    return {
        "rounds": 2, "mode": "stations", "seed": 1, "participants": participants,
        "stations": [{"id": f"s{k}", "capacity": c} for k, c in enumerate(capacities)],
    }  # fmt: skip


def movers_of(problem) -> int:
    return int(((problem.fixed < 0) & problem.present.all(axis=0)).sum())


def pairs_met(n: np.ndarray, hosts: np.ndarray) -> int:
    sizes = hosts + np.stack([n.sum(axis=1), n.sum(axis=0)])
    return int((sizes * (sizes - 1) // 2).sum() - (n * (n - 1) // 2).sum())


def every_count_matrix(k: int, movers: int):
    cells = [(a, b) for a in range(k) for b in range(k) if a != b]
    for cut in itertools.combinations(range(movers + len(cells) - 1), len(cells) - 1):
        counts = np.diff([-1, *cut, movers + len(cells) - 1]) - 1
        n = np.zeros((k, k), dtype=np.int64)
        for (a, b), count in zip(cells, counts, strict=True):
            n[a, b] = count
        yield n


def test_the_search_finds_the_best_sizes_of_a_small_meeting():
    # 11 people at stations of 7, 4 and 3: every count matrix of the ten movers enumerated.
    request = stations([7, 4, 3], 11)
    request["participants"][0]["fixed_station"] = "s0"
    problem = parse_request(request)
    hosts = np.array([[1, 0, 0], [1, 0, 0]])
    floor = staff_floor(problem)
    best = max(
        pairs_met(n, hosts)
        for n in every_count_matrix(3, 10)
        if ((hosts + np.stack([n.sum(axis=1), n.sum(axis=0)])) <= problem.capacity).all()
        and ((hosts + np.stack([n.sum(axis=1), n.sum(axis=0)])) >= floor).all()
    )
    found = tworounds.best_sizes(problem, movers_of(problem), np.array([0, 0]))
    assert pairs_met(found.n, hosts) == best == 31


def test_the_size_model_counts_the_pairs_the_plan_meets():
    request = stations([13, 20, 29, 25], 67)
    request["participants"][0]["absent_rounds"] = [1]
    request["participants"][1]["absent_rounds"] = [0]
    problem = parse_request(request)
    found = tworounds.best_sizes(problem, movers_of(problem), np.array([1, 1]))
    assign = tworounds.build(problem, deadline=float("inf"))

    assert objective_terms(problem, assign)["new_pairs"] == found.pairs() == 1106
    assert rule_breaks(request, _rounds(problem, assign)) == []


def test_the_crossings_are_at_their_least_for_the_sizes():
    problem = parse_request(stations([6, 5, 4], 12))
    for rows, columns in [([6, 4, 2], [2, 5, 5]), ([4, 4, 4], [4, 4, 4]), ([6, 5, 1], [1, 5, 6])]:
        sizes = tworounds.Sizes(problem, 12)
        sizes.fill(np.array(rows), np.array(columns))
        least = min(
            int((n * (n - 1) // 2).sum())
            for n in every_count_matrix(3, 12)
            if n.sum(axis=1).tolist() == rows and n.sum(axis=0).tolist() == columns
        )
        assert (sizes.n.sum(axis=1).tolist(), sizes.n.sum(axis=0).tolist()) == (rows, columns)
        assert int((sizes.n * (sizes.n - 1) // 2).sum()) == least


def test_exchanging_codes_parts_colleagues_and_keeps_the_sizes():
    problem = parse_request(stations([4, 4, 4], 6, organisations=1))
    # p00, p01 and p02 are colleagues, all on code (0, 1); the others on (1, 2), (2, 0) and
    # (2, 0). The colleagues on (0, 1), (1, 2) and (2, 0) never meet.
    assign = np.array([[0, 0, 0, 1, 2, 2], [1, 1, 1, 2, 0, 0]])
    codes = np.argwhere(~np.eye(3, dtype=bool))
    carrying = tworounds.Carrying(problem, codes, assign)
    exchanged = tworounds._exchange(problem, assign.copy(), np.arange(6), carrying)

    assert objective_terms(problem, assign)["colleagues"] == 6
    assert objective_terms(problem, exchanged)["colleagues"] == 0
    assert sorted(map(tuple, exchanged.T.tolist())) == sorted(map(tuple, assign.T.tolist()))


def test_the_carrying_costs_kept_seat_by_seat_are_those_of_the_whole_plan():
    # p00-p02 colleagues, p03 and p04 known, p05 prefers s2; p06 is there in round 0 only
    # and knows p00
    request = stations([5, 5, 5], 7, organisations=1)
    request["known_pairs"] = [["p03", "p04"], ["p06", "p00"]]
    request["participants"][5]["preferences"] = {"s2": 3}
    request["participants"][6]["absent_rounds"] = [1]
    problem = parse_request(request)
    codes = np.argwhere(~np.eye(3, dtype=bool))
    assign = np.array([[0, 1, 0, 0, 2, 1, 1], [1, 2, 2, 1, 0, 0, -1]])
    kept = tworounds.Carrying(problem, codes, np.full((2, 7), -1))
    for i in range(6):
        kept.carry(i, int(np.flatnonzero((codes == assign[:, i]).all(axis=1))[0]))
    kept.seat(6, 0, 1)

    # counted pair by pair: colleagues cost a pair lost and the colleague weight, known
    # people a pair lost, per person carrying the code; preference points earn 2 each
    expected = np.zeros((7, len(codes)))
    for x, (u, code) in itertools.product(range(7), enumerate(codes)):
        for y in range(7):
            meet = y != x and any(assign[r, y] == code[r] for r in range(2))
            expected[x, u] += meet * ((problem.colleague[x, y] * 1100) + problem.known[x, y] * 1000)
        expected[x, u] -= 2 * (problem.pref[x, code[0]] + problem.pref[x, code[1]])
    assert (kept.table() == expected).all()
    assert (tworounds.Carrying(problem, codes, assign).table() == expected).all()


def test_the_planner_uses_the_sizes_where_they_beat_the_code_search(monkeypatch):
    # 67 people at 4 stations of 13-29, ten organisations of three: the code search and
    # the greedy starts end at 1,081 new pairs, the best sizes at 1,105.
    request = stations([13, 20, 29, 25], 67, organisations=10)
    sized = plan(request)
    monkeypatch.setattr(tworounds, "applies", lambda problem: False)
    unsized = plan(request)

    assert sized["algorithm"] == "two-round sizes + local search"
    assert (sized["metrics"]["new_pairs"], unsized["metrics"]["new_pairs"]) == (1105, 1081)
    assert rule_breaks(request, sized["rounds"]) == []


def test_only_for_two_open_rounds_of_stations_and_few_stations():
    assert tworounds.applies(parse_request(stations([5, 5, 5], 12)))
    assert not tworounds.applies(parse_request({**stations([5, 5, 5], 12), "rounds": 3}))
    assert not tworounds.applies(parse_request({**stations([5, 5, 5], 12), "mode": "tables"}))
    assert tworounds.applies(parse_request(stations([3] * 12, 12)))
    assert not tworounds.applies(parse_request(stations([3] * 13, 12)))


def _rounds(problem, assign) -> list[dict]:
    return [
        {sid: [problem.person_ids[i] for i in np.flatnonzero(row == k)]
         for k, sid in enumerate(problem.station_ids)}
        for row in assign
    ]  # fmt: skip
