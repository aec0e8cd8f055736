"""Work on the second core (``background.py``): a forked child returns what the work returns,
a failure comes back as None (the planner then computes itself), an unneeded child is
stopped, and a plan is the same whether the code search's rival ran beside it or after it.

The test process itself has other threads once the browser tests ran (the live server), and
then nothing is forked, so the forking path is checked in a fresh single-threaded Python
process, as the command line is."""

import json
import os
import subprocess
import sys
import threading

import pytest

from treffpunkt.planning import background, plan
from treffpunkt.planning.crowded import NAME as CROWDED


def meeting(people: int, stations: int, capacity: int) -> dict:
    """People at stations of one size for 4 rounds, nothing else asked."""
    return {
        "rounds": 4,
        "mode": "stations",
        "stations": [{"id": f"s{k}", "capacity": capacity} for k in range(stations)],
        "participants": [{"id": f"p{i}"} for i in range(people)],
        "seed": 1,
    }


# 80 people at 6 stations of 16: the code-count search and its rival (the greedy plan after
# the tabu search) both run, and the rival wins.
ROOMY = meeting(80, 6, 16)
# 45 people at 5 stations of 12: chain swaps polish the code search's plan; the code plan of
# the second search's seed comes from a child, and the two searches start from the two plans.
CHAINS = meeting(45, 5, 12)
# 70 people at 7 stations of 6-18 for 5 rounds: the crowded starts and the cluster design on
# the largest stations come from a child, and that design wins (1,675 new pairs).
UNEVEN = {
    "rounds": 5, "mode": "stations", "seed": 0,
    "stations": [{"id": f"s{k}", "capacity": c} for k, c in enumerate(range(6, 20, 2))],
    "participants": [{"id": f"p{i}"} for i in range(70)],
}  # fmt: skip

ALONE = """
import json, os, signal, sys, time
import numpy as np
from treffpunkt.planning import background, plan
from treffpunkt.planning.crowded import NAME as CROWDED

taken = []  # results the planner took from a child (not computed itself)
original = background.Forked.result
def counted(self, deadline=float("inf")):
    value = original(self, deadline)
    taken.append(value is not None)
    return value
background.Forked.result = counted

def seconds(action):
    started = time.perf_counter()
    value = action()
    return value, time.perf_counter() - started

out = {"can_fork": background.can_fork()}
handle = background.start(lambda: np.arange(5) * 2)
out["result"] = handle.result().tolist()
out["done"] = handle.done
out["failed"] = background.start(lambda: 1 / 0).result()
handle = background.start(lambda: time.sleep(60))
_, out["cancel_seconds"] = seconds(lambda: (handle.cancel(), handle.cancel()))
out["after_cancel"] = handle.result()
handle = background.start(lambda: time.sleep(60))
out["late"], out["late_seconds"] = seconds(lambda: handle.result(time.perf_counter() + 0.2))
marker = sys.argv[3]
signal.signal(signal.SIGINT, lambda *_: open(marker, "w").close())  # the caller's handler
handle = background.start(lambda: time.sleep(60))
os.kill(handle.pid, signal.SIGINT)  # Ctrl-C: the child ends, it does not run our handler
out["interrupted"], out["interrupted_seconds"] = seconds(handle.result)
out["handler_ran_in_child"] = os.path.exists(marker)
parent = os.getpid()
def slow(task):
    time.sleep(0.05)
    return task, os.getpid() == parent
shared = background.Shared([lambda task=task: slow(task) for task in range(8)])
time.sleep(0.2)  # meanwhile the child takes the last tasks
out["shared"] = shared.results(float("inf"))
def here_only(task):
    if os.getpid() != parent:
        raise RuntimeError("the child fails")
    return task
shared = background.Shared([lambda task=task: here_only(task) for task in range(4)])
out["child_failed"] = shared.results(float("inf"))
taken.clear()
out["plan"] = plan(json.loads(sys.argv[1]))
out["plan_taken"] = taken[:]
taken.clear()
out["chains"] = plan(json.loads(sys.argv[2]))
out["chains_taken"] = taken[:]
taken.clear()
out["uneven"] = plan(json.loads(sys.argv[4]))
out["uneven_taken"] = taken[:]
print(json.dumps(out))
"""


def planned_beside_another_thread(request: dict) -> dict:
    """The plan computed in a second thread: one process, nothing forked, every start and
    search computed in turn."""
    found = []
    worker = threading.Thread(target=lambda: found.append(plan(request)))
    worker.start()
    worker.join()
    return found[0]


TWO_CORES = len(os.sched_getaffinity(0)) >= 2
needs_two_cores = pytest.mark.skipif(not TWO_CORES, reason="a second core (CI has two)")


@pytest.fixture(scope="module")
def alone(tmp_path_factory) -> dict:
    marker = tmp_path_factory.mktemp("background") / "handler-ran"
    command = [sys.executable, "-c", ALONE, json.dumps(ROOMY), json.dumps(CHAINS), str(marker),
               json.dumps(UNEVEN)]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)
    return json.loads(done.stdout)


def test_a_single_threaded_process_may_fork_with_two_cores(alone):
    assert alone["can_fork"] is TWO_CORES


@needs_two_cores
def test_a_forked_child_returns_the_result_of_the_work(alone):
    assert alone["result"] == [0, 2, 4, 6, 8]
    assert alone["done"] is True


@needs_two_cores
def test_work_that_fails_in_the_child_comes_back_as_none(alone):
    assert alone["failed"] is None


@needs_two_cores
def test_an_unneeded_child_is_stopped_at_once(alone):
    # The child would sleep a minute; cancelling twice is allowed, and asking for its result
    # afterwards gives None (the caller computes it).
    assert alone["cancel_seconds"] < 5
    assert alone["after_cancel"] is None


@needs_two_cores
def test_a_child_not_done_by_the_deadline_is_stopped_and_gives_none(alone):
    assert alone["late"] is None
    assert alone["late_seconds"] < 5


@needs_two_cores
def test_ctrl_c_ends_the_child_without_running_the_callers_handler(alone):
    assert alone["interrupted"] is None
    assert alone["interrupted_seconds"] < 5
    assert alone["handler_ran_in_child"] is False


@needs_two_cores
def test_shared_tasks_come_back_in_order_the_last_ones_from_the_child(alone):
    tasks = [task for task, _ in alone["shared"]]
    here = [computed_here for _, computed_here in alone["shared"]]

    assert tasks == list(range(8))
    assert here[0] is True  # the caller begins with the first
    assert here[-1] is False  # the child with the last
    assert here == sorted(here, reverse=True)  # one run each: they met once


@needs_two_cores
def test_tasks_the_child_did_not_deliver_are_computed_here(alone):
    assert alone["child_failed"] == [0, 1, 2, 3]


def test_shared_tasks_without_a_child_are_all_computed_here_in_order():
    done = []
    shared = background.Shared([lambda task=task: done.append(task) or task for task in range(5)],
                               fork=False)  # fmt: skip

    assert shared.child is None
    assert shared.results(float("inf")) == [0, 1, 2, 3, 4]
    assert done == [0, 1, 2, 3, 4]


def test_beside_other_threads_nothing_is_forked():
    found = []
    worker = threading.Thread(target=lambda: found.append(background.start(lambda: 1)))
    worker.start()
    worker.join()

    assert found == [None]


@needs_two_cores
def test_the_plan_is_the_same_with_the_rival_on_the_second_core_or_after(alone):
    here = planned_beside_another_thread(ROOMY)  # the rival after the code search there

    assert alone["plan_taken"] == [True]  # the rival came from the child there
    assert alone["plan"]["algorithm"] == here["algorithm"] == f"{CROWDED} + local search"
    assert alone["plan"]["rounds"] == here["rounds"]
    assert alone["plan"]["metrics"]["new_pairs"] == here["metrics"]["new_pairs"] == 1951


@needs_two_cores
def test_the_second_local_search_gives_the_same_plan_on_the_second_core_or_after(alone):
    here = planned_beside_another_thread(CHAINS)

    # From children there: the second seed's code plan, then the second search.
    assert alone["chains_taken"] == [True, True]
    assert alone["chains"]["rounds"] == here["rounds"]
    assert alone["chains"]["metrics"]["new_pairs"] == here["metrics"]["new_pairs"] == 706


def test_a_process_held_to_one_core_computes_alone():
    one_core = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from treffpunkt.planning import background; print(background.can_fork())"
    )
    done = subprocess.run([sys.executable, "-c", one_core], check=True, capture_output=True,
                          text=True, timeout=60)  # fmt: skip

    assert done.stdout.strip() == "False"


@needs_two_cores
def test_the_starts_for_roomy_stations_give_the_same_plan_from_a_child_or_computed_here(alone):
    here = planned_beside_another_thread(UNEVEN)

    # From children there: the crowded starts with the design, then the second search.
    assert alone["uneven_taken"] == [True, True]
    assert alone["uneven"]["algorithm"] == here["algorithm"]
    assert here["algorithm"] == "cluster design on the largest stations + local search"
    assert alone["uneven"]["rounds"] == here["rounds"]
    assert alone["uneven"]["metrics"]["new_pairs"] == here["metrics"]["new_pairs"] == 1675
