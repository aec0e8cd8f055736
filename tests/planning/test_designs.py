"""Constructions and exact models behind the bounds: difference matrices, cluster designs,
the enumeration solver of the code-count model, dealing known people, the tabu search."""

from itertools import combinations, product

import numpy as np
import pytest

from treffpunkt.planning import evaluate, plan
from treffpunkt.planning.clusters import design_schedule
from treffpunkt.planning.countsolve import CountModel, solve
from treffpunkt.planning.diffmatrix import difference_matrix, is_difference_matrix
from treffpunkt.planning.metrics import meet_counts
from treffpunkt.planning.tabu import tabu_search

from .checks import recount, unstaffed


@pytest.mark.parametrize(
    ("order", "rows"), [(5, 5), (4, 4), (8, 5), (9, 4), (20, 4), (12, 3), (12, 6)]
)
def test_difference_matrices_have_rows_differing_by_permutations(order, rows):
    matrix, add = difference_matrix(order, rows)
    assert matrix.shape == (rows, order) and not matrix[0].any()
    assert is_difference_matrix(matrix, add)


def test_no_difference_matrix_of_three_rows_is_claimed_for_order_6():
    assert difference_matrix(6, 3) is None


@pytest.mark.parametrize(("k", "rounds"), [(12, 6), (12, 5), (7, 4), (4, 4)])
def test_cluster_designs_split_every_two_rounds_evenly_and_never_repeat(k, rounds):
    schedule = design_schedule(k, rounds, no_revisit=True)
    clusters = schedule.shape[1]
    assert clusters == k * (k - 1)
    assert all(len(set(schedule[:, c])) == rounds for c in range(clusters))  # no revisit
    assert meet_counts(schedule).max() <= 1  # two clusters meet at most once
    for r, s in combinations(range(rounds), 2):  # every (a, b), a != b, exactly once
        cells = set(zip(schedule[r], schedule[s], strict=True))
        assert len(cells) == clusters and all(a != b for a, b in cells)


def brute_force(model: CountModel) -> float:
    """Smallest objective over every count vector (tiny models only)."""
    best = np.inf
    for counts, picks in product(product(range(model.total + 1), repeat=model.full.size),
                                 product(*model.singles)):  # fmt: skip
        n = np.zeros(model.never.shape[0], dtype=np.int64)
        n[model.full] = counts
        n[list(picks)] += 1
        seated = model.cells @ n
        if n[model.full].sum() != model.total or (seated > model.room).any():
            continue
        if model.need is not None and (seated < model.need).any():
            continue
        best = min(best, n @ model.never @ n / 2 + model.linear @ n)
    return best


def random_model(seed: int, *, floors: bool = False) -> CountModel:
    """2 rounds x 3 stations: the full class's 4 codes, a one-person class with 2 codes and
    one with 1 code, each code a random station per round (a cell is a (round, station));
    with ``floors`` each cell must also seat 0-2 people (at most its room)."""
    rng = np.random.default_rng(seed)
    stations = rng.integers(0, 3, (7, 2))  # (code, round)
    cells = np.array([[stations[u, r] == k for u in range(7)] for r in range(2) for k in range(3)])
    never = (stations[:, None, :] != stations[None, :, :]).all(axis=2)
    model = CountModel(
        never=never.astype(np.int64), linear=rng.integers(0, 3, 7).astype(float),
        cells=cells, room=rng.integers(2, 6, 6), cell_round=np.repeat(np.arange(2), 3),
        full=np.arange(4), total=int(rng.integers(3, 8)), singles=[np.array([4, 5]), np.array([6])],
    )  # fmt: skip
    if floors:
        model.need = np.minimum(rng.integers(0, 3, 6), model.room)
    return model


@pytest.mark.parametrize("seed", range(6))
def test_the_count_solver_finds_the_exact_optimum(seed):
    model = random_model(seed)
    found = solve(model)
    best = brute_force(model)
    assert (found is None and best == np.inf) or (
        found.proven and found.value == pytest.approx(best)
    )


@pytest.mark.parametrize("seed", [18, 22, 24, 30, 31, 35, 39])  # seeds where the floors bind
def test_the_count_solver_finds_the_exact_optimum_that_keeps_the_floors(seed):
    model = random_model(seed, floors=True)
    found = solve(model)
    assert found.proven
    assert found.value == pytest.approx(brute_force(model))
    assert found.value > brute_force(random_model(seed))


def exhaustive_best(request: dict) -> int:
    """Most new pairs over every plan that staffs every station: each person picks a code
    (injective in stations mode).

    Without fixed people the stations are interchangeable (equal capacities), so the first
    person's code is fixed.
    """
    people, rounds = request["participants"], request["rounds"]
    stations = [s["id"] for s in request["stations"]]
    caps = {s["id"]: s["capacity"] for s in request["stations"]}
    choices = []
    for p in people:
        here = [r for r in range(rounds) if r not in p.get("absent_rounds", [])]
        injective = request["mode"] == "stations" and "fixed_station" not in p
        codes = [code for code in product(stations, repeat=len(here))
                 if not injective or len(set(code)) == len(code)]  # fmt: skip
        if "fixed_station" in p:
            codes = [code for code in codes if set(code) == {p["fixed_station"]}]
        choices.append([(here, code) for code in codes])
    if not any("fixed_station" in p for p in people) and len(set(caps.values())) == 1:
        choices[0] = choices[0][:1]
    best = 0
    for pick in product(*choices):
        groups = [{s: [] for s in stations} for _ in range(rounds)]
        for p, (here, code) in zip(people, pick, strict=True):
            for r, s in zip(here, code, strict=True):
                groups[r][s].append(p["id"])
        fits = all(len(m) <= caps[s] for g in groups for s, m in g.items())
        if fits and not unstaffed(request, groups):
            best = max(best, recount(request, groups)["new_pairs"])
    return best


def late_arrival_request(capacity: int, host: bool = False) -> dict:
    people = [{"id": f"p{i}"} for i in range(6)]
    people[5]["absent_rounds"] = [0]
    if host:  # a host at s2 leaves only s0 <-> s1 as a symmetry
        people[0] = {"id": "host", "fixed_station": "s2"}
    return {
        "rounds": 3, "mode": "stations", "participants": people, "seed": 1,
        "stations": [{"id": f"s{k}", "capacity": capacity} for k in range(3)],
    }  # fmt: skip


def test_a_late_arrival_is_modelled_exactly_and_the_bound_is_tight():
    # Seats for exactly two per station: the staffing floor does not bind, and the code-count
    # model's optimum is the true one.
    request = late_arrival_request(capacity=2)
    metrics = plan(request)["metrics"]
    assert metrics["new_pairs"] == metrics["upper_bound_new_pairs"] == exhaustive_best(request)


@pytest.mark.parametrize("host", [False, True])
def test_staffing_every_station_costs_pairs_and_the_bound_counts_only_staffed_plans(host):
    # Three seats per station would let the planner crowd two groups and leave one empty
    # (10 new pairs without a host); every station staffed with two allows 8. With a host
    # at s2 (the stations no longer all alike) the plan must still find the staffed optimum,
    # and the code-count model with the staffing floors proves it (9 without the floors).
    request = late_arrival_request(capacity=3, host=host)
    metrics = plan(request)["metrics"]
    assert metrics["unstaffed_groups"] == 0
    assert metrics["new_pairs"] == exhaustive_best(request) == 8
    assert metrics["upper_bound_new_pairs"] == 8


def test_a_plan_with_an_empty_station_is_measured_against_the_bound_over_all_plans():
    request = late_arrival_request(capacity=3)
    crowded = [  # an organiser's plan by hand: one station empty in every round
        {"s0": ["p0", "p1", "p2"], "s1": ["p3", "p4"], "s2": []},
        {"s0": ["p3", "p4", "p5"], "s1": [], "s2": ["p0", "p1", "p2"]},
        {"s0": [], "s1": ["p0", "p1", "p2"], "s2": ["p3", "p4", "p5"]},
    ]
    metrics = evaluate(request, crowded)
    assert metrics["violations"] == []
    assert metrics["unstaffed_groups"] == unstaffed(request, crowded) == 3
    assert metrics["upper_bound_new_pairs"] == 10


@pytest.mark.parametrize(
    ("capacity", "absent"),
    [(2, {4: [0], 5: [2]}), (3, {4: [0], 5: [2]}), (2, {3: [0], 4: [1], 5: [2]})],
)
def test_the_bound_with_people_who_miss_rounds_holds_against_exhaustive_search(capacity, absent):
    # Two of them: exact code-count model; three: the pigeonhole programme that places each
    # partial attendee in one group (both must stay at or above the true optimum).
    people = [{"id": f"p{i}"} for i in range(6)]
    for i, rounds in absent.items():
        people[i]["absent_rounds"] = rounds
    request = {
        "rounds": 3, "mode": "stations", "participants": people, "seed": 1,
        "stations": [{"id": f"s{k}", "capacity": capacity} for k in range(3)],
    }  # fmt: skip
    best = exhaustive_best(request)
    metrics = plan(request)["metrics"]
    assert metrics["new_pairs"] == best <= metrics["upper_bound_new_pairs"]


def test_one_late_arrival_costs_the_bound_only_their_own_round():
    # 60 people at 4 stations of 15 for 4 rounds: 1,320 with everyone; with one late arrival
    # the bound must drop (the late person sits in one group, not in all of them).
    people = [{"id": f"p{i:02d}"} for i in range(60)]
    people[0]["absent_rounds"] = [0]
    request = {
        "rounds": 4, "mode": "stations", "participants": people, "seed": 1, "effort": 0.2,
        "stations": [{"id": f"s{k}", "capacity": 15} for k in range(4)],
    }  # fmt: skip
    metrics = plan(request)["metrics"]
    assert metrics["upper_bound_new_pairs"] < 1320
    assert metrics["new_pairs"] >= 0.995 * metrics["upper_bound_new_pairs"]


def test_a_clique_of_known_people_is_dealt_over_clusters_that_never_meet():
    # 5 stations x 20, 3 rounds: 20 clusters of 5. Ten people who all know each other must
    # put at least h(10, 5) = 5 known pairs together; dealt over one parallel class, they do
    # exactly that, so the plan reaches the bound.
    people = [{"id": f"p{i:03d}"} for i in range(100)]
    known = [[f"p{a:03d}", f"p{b:03d}"] for a, b in combinations(range(10), 2)]
    request = {
        "rounds": 3, "mode": "stations", "participants": people, "known_pairs": known,
        "stations": [{"id": f"s{k}", "capacity": 20} for k in range(5)], "seed": 2,
    }  # fmt: skip
    metrics = plan(request)["metrics"]
    assert metrics["known_pairs_met"] == 5
    assert metrics["new_pairs"] == metrics["upper_bound_new_pairs"]


def test_the_tabu_search_removes_repeats_and_keeps_the_rules():
    # 30 clusters at 6 stations for 3 rounds: an idempotent Latin square exists (no repeats).
    first = np.repeat(np.arange(6), 5)  # every group of 5 travels together: many repeats
    start = np.stack([first, (first + 1) % 6, (first + 2) % 6])
    repeats = int(np.maximum(meet_counts(start) - 1, 0).sum() // 2)
    found = tabu_search(start, 6, no_revisit=True, seed=1, iterations=300)
    assert repeats > 0 and np.maximum(meet_counts(found) - 1, 0).sum() == 0
    assert all(len(set(found[:, c])) == 3 for c in range(30))
    assert all((np.bincount(row, minlength=6) == 5).all() for row in found)


def test_colleagues_are_dealt_to_points_of_the_golfer_design_that_never_meet():
    # 8-4-9: everyone meets 27 of 31 others; four colleagues each can sit on four points that
    # never meet, so the design alone keeps every colleague apart (no search needed).
    request = {
        "rounds": 9, "mode": "tables", "seed": 1,
        "stations": [{"id": f"t{k}", "capacity": 4} for k in range(8)],
        "participants": [{"id": f"p{i:02d}", "organisation": f"o{i // 4}"} for i in range(32)],
    }  # fmt: skip
    result = plan(request)
    assert result["algorithm"] == "zero-repeat design"
    assert recount(request, result["rounds"])["colleague_meetings"] == 0
    assert result["metrics"]["new_pairs"] == 432


def test_a_hosts_colleagues_are_dealt_to_points_that_never_meet_the_host():
    request = {
        "rounds": 9, "mode": "tables", "seed": 0,
        "stations": [{"id": f"t{k}", "capacity": 4} for k in range(8)],
        "participants": [{"id": f"p{i:02d}"} for i in range(32)],
    }  # fmt: skip
    for i in range(8):
        request["participants"][i]["organisation"] = f"o{i // 4}"
    request["participants"][0]["fixed_station"] = "t0"
    result = plan(request)
    assert recount(request, result["rounds"])["colleague_meetings"] == 0  # hosts ignored: 3
    assert result["metrics"]["new_pairs"] == 432
