import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from treffpunkt.planning import PlanningError, evaluate, plan
from treffpunkt.planning.errors import OutOfTime
from treffpunkt.planning.greedy import greedy_plan
from treffpunkt.planning.request import parse_request

from .checks import recount, rule_breaks

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = json.loads((ROOT / "examples" / "netzwerktreffen.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def example_plan() -> dict:
    return plan({**EXAMPLE, "effort": 0.3})


def small_request(**extra) -> dict:
    return {
        "rounds": 3,
        "mode": "stations",
        "stations": [{"id": s, "capacity": 6} for s in ("a", "b", "c")],
        "participants": [{"id": f"p{i}", "organisation": f"o{i % 5}"} for i in range(15)],
        "seed": 3,
        **extra,
    }


def test_importing_the_engine_does_not_import_django():
    code = "import sys, treffpunkt.planning.cli; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_example_plan_keeps_every_hard_rule(example_plan):
    result = example_plan
    assert rule_breaks(EXAMPLE, result["rounds"]) == []


def test_the_example_metrics_match_an_independent_count(example_plan):
    result = example_plan
    expected = recount(EXAMPLE, result["rounds"])
    assert {key: result["metrics"][key] for key in expected} == expected


def test_the_same_request_and_seed_give_the_same_plan():
    assert plan(small_request())["rounds"] == plan(small_request())["rounds"]


def test_past_the_safety_stop_a_request_is_still_planned():
    # The time limit is up before anything is built: the Latin rotation, computed whatever
    # the time where nothing else seats everybody (greedy seating is then cut short).
    result = plan(small_request(time_limit_s=1e-9))
    assert result["algorithm"] == "Latin rotation"
    assert rule_breaks(small_request(), result["rounds"]) == []


def test_the_greedy_plan_stops_at_the_safety_stop():
    problem = parse_request(small_request())
    with pytest.raises(OutOfTime):
        greedy_plan(problem, seed=1, deadline=time.perf_counter())


def test_frozen_rounds_are_kept_exactly():
    first = plan(small_request())
    frozen = first["rounds"][:1]
    frozen[0] = {"a": frozen[0]["b"], "b": frozen[0]["a"], "c": frozen[0]["c"]}
    again = plan(small_request(frozen_rounds=frozen, seed=9))
    assert again["rounds"][0] == frozen[0]
    assert rule_breaks(small_request(), again["rounds"]) == []


def test_evaluate_reports_a_hand_move_over_capacity():
    request = small_request(stations=[{"id": s, "capacity": 5} for s in ("a", "b", "c")])
    rounds = plan(request)["rounds"]
    rounds[0]["a"].append(rounds[0]["b"].pop())
    metrics = evaluate(request, rounds)
    assert "Round 0: station 'a' has 6 people but room for 5." in metrics["violations"]
    assert {"rule": "over_capacity", "round": 0, "station": "a", "size": 6, "capacity": 5} in (
        metrics["violation_details"]
    )
    assert metrics["new_pairs"] == recount(request, rounds)["new_pairs"]


def test_a_refusal_names_its_rule_for_callers_that_word_it_themselves():
    request = small_request(stations=[{"id": s, "capacity": 2} for s in ("a", "b", "c")])
    with pytest.raises(PlanningError) as refused:
        plan(request)
    assert (refused.value.rule, refused.value.details) == (
        "round_over_capacity",
        {"round": 0, "present": len(request["participants"]), "seats": 6},
    )


def test_evaluate_rejects_an_unknown_person():
    with pytest.raises(PlanningError, match="'zz', who is not a participant"):
        evaluate(small_request(), [{"a": ["zz"]}, {}, {}])


def test_the_bound_is_never_below_the_plan(example_plan):
    result = example_plan
    assert result["metrics"]["new_pairs"] <= result["metrics"]["upper_bound_new_pairs"]


def test_a_min_size_above_the_number_of_participants_counts_as_everybody():
    # 6 people, min_size 10 at a station of 20: a group of all six is as large as one can be.
    request = {
        "rounds": 1, "mode": "stations",
        "stations": [{"id": "a", "capacity": 20, "min_size": 10}, {"id": "b", "capacity": 20}],
        "participants": [{"id": f"p{i}"} for i in range(6)],
    }  # fmt: skip
    together = evaluate(request, [{"a": [f"p{i}" for i in range(6)], "b": []}])
    apart = evaluate(request, [{"a": ["p0", "p1", "p2"], "b": ["p3", "p4", "p5"]}])
    assert (together["groups_below_min_size"], together["min_size_shortfall"]) == (0, 0)
    assert (apart["groups_below_min_size"], apart["min_size_shortfall"]) == (1, 3)


def test_pairs_without_a_new_contact_are_known_colleagues_or_met_in_a_held_round():
    # p0 and p5 share organisation o0; p1 and p2 are known; in the held round p3 met p4, and
    # p1, p2 and p5 met
    names = ["p3", "p4", "p6", "p7", "p8", "p9", "p0", "p10", "p11", "p12", "p13", "p14"]
    held = [{"a": names[:6], "b": names[6:], "c": ["p1", "p2", "p5"]}]
    problem = parse_request(small_request(known_pairs=[["p1", "p2"]], frozen_rounds=held))
    pairs = {(int(i), int(j)) for i, j in np.argwhere(problem.worthless[:6, :6]) if i < j}

    assert pairs == {(0, 5), (1, 2), (1, 5), (2, 5), (3, 4)}
    assert not problem.worthless.diagonal().any()
