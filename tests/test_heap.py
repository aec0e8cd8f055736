"""Freed memory kept on the heap while the planner runs (``treffpunkt.heap``), measured by
the page faults of a fresh interpreter: glibc maps every block larger than the largest freed
so far afresh, so three growing 1 MB temporaries a step fault in 3 x 256+ pages each step."""

import os
import subprocess
import sys

import pytest

STEPS = """
import resource, sys
import numpy as np
from treffpunkt.heap import freed_memory_kept


def steps():  # three temporaries a step, 1 MB and a little more each step
    for step in range(100):
        size = 2**17 + 512 * step
        a, b, c = np.ones(size), np.ones(size), np.ones(size)
        del a, b, c


def faults(work):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    work()
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


if sys.argv[1] == "default":
    print(faults(steps))
elif sys.argv[1] == "kept":
    with freed_memory_kept():
        print(faults(steps))
else:  # after: glibc's first thresholds again
    with freed_memory_kept():
        steps()
    print(faults(steps))
"""
FAULTING = 3 * 100 * 256


def faults(arm: str, **environment: str) -> int:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MALLOC_")}
    command = [sys.executable, "-c", STEPS, arm]
    done = subprocess.run(command, check=True, capture_output=True, text=True,
                          env=env | environment)  # fmt: skip
    return int(done.stdout)


def test_glibc_faults_every_growing_block_in_afresh_by_default():
    assert faults("default") > FAULTING


def test_inside_the_freed_blocks_are_reused():
    assert faults("kept") < 3_000


def test_afterwards_the_first_thresholds_hold_again():
    assert faults("after") > FAULTING


@pytest.mark.parametrize("variable", ["MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"])
def test_thresholds_set_in_the_environment_are_left_alone(variable):
    assert faults("kept", **{variable: "131072"}) > FAULTING
