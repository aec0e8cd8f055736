"""Work on the second core: a forked child computes a result while the planner goes on.

Only where that is safe and pays: the process has a single thread (the command line, the
benchmarks, a single-threaded web worker such as gunicorn's default; a fork beside other
threads can inherit locks they hold, so a threaded server plans in one process), the
operating system can fork and the process may use two cores or more. Elsewhere
:func:`start` returns None and the caller computes the result itself when it needs it, so
the plan is the same either way; the child only shortens the wait for it. The child touches
nothing but its work (no database, no files) and leaves with ``os._exit``, so the parent's
connections and buffers are not closed or flushed twice.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from collections.abc import Callable
from typing import Any


class Forked:
    """A child process computing ``work()``; :meth:`result` waits for it."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid, self.pipe, self.done = pid, pipe, False

    def result(self) -> Any:
        """The child's result, None if it failed or died (the caller then computes itself)."""
        with os.fdopen(self.pipe, "rb") as reader:
            payload = reader.read()
        os.waitpid(self.pid, 0)
        self.done = True
        if not payload:
            return None
        ok, value = pickle.loads(payload)
        return value if ok else None

    def cancel(self) -> None:
        """Stop the child where its result was not taken."""
        if self.done:
            return
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.pipe)
        self.done = True


_in_child = False  # a child computes its work alone: no grandchildren on two cores


def can_fork() -> bool:
    """Whether :func:`start` forks here (see the module's docstring)."""
    return (
        hasattr(os, "fork")
        and not _in_child
        and _usable_cores() >= 2
        and threading.active_count() == 1
    )


def _usable_cores() -> int:
    if hasattr(os, "sched_getaffinity"):  # the cores this process may run on (containers)
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def start(work: Callable[[], Any]) -> Forked | None:
    """``work()`` in a forked child, or None where forking is not safe or brings nothing."""
    if not can_fork():
        return None
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's cleanup
        global _in_child
        _in_child = True
        os.close(read)
        try:
            try:
                payload = pickle.dumps((True, work()))
            except BaseException:  # the parent computes again and sees the error itself
                payload = pickle.dumps((False, None))
            with os.fdopen(write, "wb") as writer:
                writer.write(payload)
        finally:
            os._exit(0)
    os.close(write)
    return Forked(pid, read)
