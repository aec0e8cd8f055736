"""Freed memory kept on the heap while an engine runs (glibc; no Django here).

The planner's searches make temporaries of N x N or stations x categories x N values every
step. glibc maps each block over 128 KB afresh from the system and gives the top of its heap
back when it is freed, so from about 200 people on much of a plan went on page faults: 230
people at 25 tables for 8 rounds 150,000 faults and 0.69 s from a cold start of `treffpunkt
plan`, 13,000 and 0.54 s with blocks up to 32 MB kept on the heap and up to 64 MB of free
heap kept (``mallopt``). Afterwards glibc's first thresholds are set again and the free heap
is given back (``malloc_trim``), so a long-lived web worker does not keep its largest heap.
Where the environment sets either threshold (``MALLOC_MMAP_THRESHOLD_``,
``MALLOC_TRIM_THRESHOLD_``) or the C library is not glibc, nothing changes.
"""

from __future__ import annotations

import ctypes
import os
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

# mallopt parameters and glibc's first thresholds (malloc.h, mallopt(3))
M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
FIRST_THRESHOLD = 128 * 1024
KEPT_BLOCKS = 32 * 2**20  # blocks up to this size come from the heap
KEPT_FREE = 64 * 2**20  # free heap kept up to this size
ENVIRONMENT = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_")


@cache  # the process's C library does not change
def _glibc() -> Any | None:
    """The C library's symbols where they include glibc's ``mallopt`` and ``malloc_trim``."""
    try:
        libc = ctypes.CDLL(None)
    except (OSError, TypeError):  # no symbols of the process to look up
        return None
    return libc if hasattr(libc, "mallopt") and hasattr(libc, "malloc_trim") else None


@contextmanager
def freed_memory_kept() -> Iterator[None]:
    """Inside, freed blocks stay on the heap for the next allocation (see the module); also a
    decorator: ``@freed_memory_kept()``."""
    libc = None if any(name in os.environ for name in ENVIRONMENT) else _glibc()
    if libc is None:
        yield
        return
    libc.mallopt(M_MMAP_THRESHOLD, KEPT_BLOCKS)
    libc.mallopt(M_TRIM_THRESHOLD, KEPT_FREE)
    try:
        yield
    finally:
        libc.mallopt(M_MMAP_THRESHOLD, FIRST_THRESHOLD)
        libc.mallopt(M_TRIM_THRESHOLD, FIRST_THRESHOLD)
        libc.malloc_trim(0)
