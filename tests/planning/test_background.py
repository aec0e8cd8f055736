"""Work on the second core (``background.py``): a forked child returns what the work returns,
a failure comes back as None (the planner then computes itself), an unneeded child is
stopped, and a plan is the same whether the code search's rival ran beside it or after it.

The test process itself has other threads once the browser tests ran (the live server), and
then nothing is forked, so the forking path is checked in a fresh single-threaded Python
process, as the command line is."""

import json
import subprocess
import sys
import threading

import pytest

from treffpunkt.planning import background, plan


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
# 45 people at 5 stations of 12: chain swaps polish the code search's plan, and the second
# local search (another seed) finds the better plan: 706 new pairs against 701.
CHAINS = meeting(45, 5, 12)

ALONE = """
import json, os, sys, time
import numpy as np
from treffpunkt.planning import background, plan

def children_seconds():
    times = os.times()
    return times.children_user + times.children_system

out = {"can_fork": background.can_fork()}
handle = background.start(lambda: np.arange(5) * 2)
out["result"] = handle.result().tolist()
out["done"] = handle.done
out["failed"] = background.start(lambda: 1 / 0).result()
handle = background.start(lambda: time.sleep(60))
started = time.perf_counter()
handle.cancel()
handle.cancel()
out["cancel_seconds"] = time.perf_counter() - started
before = children_seconds()
result = plan(json.loads(sys.argv[1]))
out["child_seconds"] = children_seconds() - before
out["plan"] = result
out["chains"] = plan(json.loads(sys.argv[2]))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def alone() -> dict:
    done = subprocess.run([sys.executable, "-c", ALONE, json.dumps(ROOMY), json.dumps(CHAINS)],
                          check=True, capture_output=True, text=True, timeout=120)  # fmt: skip
    return json.loads(done.stdout)


def test_a_single_threaded_process_may_fork(alone):
    # Linux and two cores, as on the development machine and in CI.
    assert alone["can_fork"] is True


def test_a_forked_child_returns_the_result_of_the_work(alone):
    assert alone["result"] == [0, 2, 4, 6, 8]
    assert alone["done"] is True


def test_work_that_fails_in_the_child_comes_back_as_none(alone):
    assert alone["failed"] is None


def test_an_unneeded_child_is_stopped_at_once(alone):
    # The child would sleep a minute; cancelling twice is allowed.
    assert alone["cancel_seconds"] < 5


def test_beside_other_threads_nothing_is_forked():
    found = []
    worker = threading.Thread(target=lambda: found.append(background.start(lambda: 1)))
    worker.start()
    worker.join()

    assert found == [None]


def test_the_plan_is_the_same_with_the_rival_on_the_second_core_or_after(alone):
    in_thread = []
    worker = threading.Thread(target=lambda: in_thread.append(plan(ROOMY)))
    worker.start()
    worker.join()  # beside another thread: one process, the rival after the code search

    assert alone["child_seconds"] > 0  # the rival ran in a child there
    assert alone["plan"]["algorithm"] == in_thread[0]["algorithm"] == "greedy + local search"
    assert alone["plan"]["rounds"] == in_thread[0]["rounds"]
    assert alone["plan"]["metrics"]["new_pairs"] == in_thread[0]["metrics"]["new_pairs"] == 1952


def test_the_second_local_search_gives_the_same_plan_on_the_second_core_or_after(alone):
    in_thread = []
    worker = threading.Thread(target=lambda: in_thread.append(plan(CHAINS)))
    worker.start()
    worker.join()

    assert alone["chains"]["rounds"] == in_thread[0]["rounds"]
    assert alone["chains"]["metrics"]["new_pairs"] == in_thread[0]["metrics"]["new_pairs"] == 706


def test_a_process_held_to_one_core_computes_alone():
    one_core = (
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); "
        "from treffpunkt.planning import background; print(background.can_fork())"
    )
    done = subprocess.run([sys.executable, "-c", one_core], check=True, capture_output=True,
                          text=True, timeout=60)  # fmt: skip

    assert done.stdout.strip() == "False"
