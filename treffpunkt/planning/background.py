"""Work on the second core: a forked child computes a result while the planner goes on.

Only where that is safe and pays: the process has a single (Python) thread, the main one -
the command line, the benchmarks, a single-threaded web worker such as gunicorn's default
sync worker; a fork beside other threads can inherit locks they hold, so a threaded server
(``runserver``) plans in one process - the operating system can fork, and the process may use
two cores or more. Elsewhere :func:`start` returns None and the caller computes the result
itself when it needs it, so the plan is the same either way; the child only shortens the
wait for it. The child touches nothing but its work (no database, no files), takes the
default action on signals (a Ctrl-C or a server's stop ends it instead of running the
caller's handlers) and leaves with ``os._exit``, so the parent's connections and buffers are
not closed or flushed twice. Any failure of the child (an error, a kill, a result cut short,
no result by the deadline) comes back as None, and the caller computes the result itself.
"""

from __future__ import annotations

import mmap
import os
import pickle
import select
import signal
import struct
import threading
import time
from collections.abc import Callable
from typing import Any

# Loaded before the first fork: numpy imports it on the first random generator, which came
# after the fork, so parent and child each imported it (27 ms apiece on a slow hour).
import numpy.random  # noqa: F401

# Signals whose handlers the parent may have set (Django's, gunicorn's): the child gets the
# default action instead, and they are held back during the fork so that none arrives before.
_SIGNALS = {signal.SIGINT, signal.SIGTERM, signal.SIGQUIT, signal.SIGHUP, signal.SIGUSR1}


class Forked:
    """A child process computing ``work()``; :meth:`result` waits for it."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid, self.pipe, self.done = pid, pipe, False

    def result(self, deadline: float = float("inf")) -> Any:
        """The child's result; None if it failed, died, has not finished by ``deadline``
        (``time.perf_counter()``) or was cancelled, and the caller then computes the result
        itself."""
        if self.done:  # cancelled (or taken already)
            return None
        payload = self._read(deadline)
        if payload is None:  # past the deadline
            self.cancel()
            return None
        self.done = True
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored)
            status = 0
        if status != 0 or not payload:
            return None
        try:
            ok, value = pickle.loads(payload)
        except Exception:  # cut short (the child was killed while writing)
            return None
        return value if ok else None

    def _read(self, deadline: float) -> bytes | None:
        """Everything the child sent, or None at the deadline (the pipe then stays open)."""
        chunks = []
        while True:
            wait = deadline - time.perf_counter()
            if wait <= 0:
                return None
            ready, _, _ = select.select([self.pipe], [], [], min(wait, 3600))
            if not ready:
                continue
            chunk = os.read(self.pipe, 1 << 20)
            if not chunk:  # the child closed its end: all sent
                os.close(self.pipe)
                self.pipe = None
                return b"".join(chunks)
            chunks.append(chunk)

    def cancel(self) -> None:
        """Stop the child where its result was not taken."""
        if self.done:
            return
        self.done = True
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):  # gone already
            pass
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


def result_or(handle: Forked | None, compute: Callable[[], Any], deadline: float) -> Any:
    """The child's result or, without a child or where it failed, ``compute()`` here: the
    same value either way (the work is deterministic), only sooner from a child."""
    found = None if handle is None else handle.result(deadline)
    return compute() if found is None else found


class Shared:
    """Tasks shared with a child: the child takes them from the last one, the caller
    (:meth:`results`) from the first, until the two meet; the results in task order, the
    same as computed here alone. Each marks the task it starts in shared memory before it
    looks at the other's mark, so they rarely compute one twice (a race costs time, never a
    result), and the caller computes whatever the child did not deliver (it failed, was too
    slow, or the two stopped short of each other)."""

    def __init__(self, tasks: list[Callable[[], Any]], *, fork: bool = True) -> None:
        self.tasks = tasks
        self.marks = mmap.mmap(-1, 16)  # the caller's next task, the child's latest
        self._mark(0, 0)
        self._mark(1, len(tasks))
        self.child = start(self._from_the_last) if fork and len(tasks) > 1 else None

    def _mark(self, side: int, task: int) -> None:
        struct.pack_into("q", self.marks, 8 * side, task)

    def _seen(self, side: int) -> int:
        return struct.unpack_from("q", self.marks, 8 * side)[0]

    def _from_the_last(self) -> dict[int, Any]:
        done = {}
        for task in reversed(range(len(self.tasks))):
            self._mark(1, task)
            if self._seen(0) > task:  # the caller has begun it
                break
            done[task] = self.tasks[task]()
        return done

    def results(self, deadline: float) -> list[Any]:
        mine = {}
        for task in range(len(self.tasks)):
            self._mark(0, task + 1)
            if self._seen(1) <= task:  # the child has begun it
                break
            mine[task] = self.tasks[task]()
        theirs = (None if self.child is None else self.child.result(deadline)) or {}
        return [mine[task] if task in mine else theirs[task] if task in theirs
                else self.tasks[task]() for task in range(len(self.tasks))]  # fmt: skip

    def cancel(self) -> None:
        if self.child is not None:
            self.child.cancel()


_in_child = False  # a child computes its work alone: no grandchildren on two cores


def can_fork() -> bool:
    """Whether :func:`start` forks here (see the module's docstring)."""
    return (
        hasattr(os, "fork")
        and not _in_child
        and _usable_cores() >= 2
        and threading.active_count() == 1
        and threading.current_thread() is threading.main_thread()
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
    held = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        pid = os.fork()
        if pid == 0:
            _child(work, read, write, held)  # never returns
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(write)
    return Forked(pid, read)


def _child(work: Callable[[], Any], read: int, write: int, held: set) -> None:
    """Compute, send, and leave without running the parent's cleanup, whatever happens."""
    global _in_child
    try:
        _in_child = True
        for number in _SIGNALS:
            signal.signal(number, signal.SIG_DFL)
        signal.set_wakeup_fd(-1)  # the parent's (gunicorn's) wake-up pipe is not ours
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        os.close(read)
        try:
            payload = pickle.dumps((True, work()))
        except BaseException:  # the parent computes again and sees the error itself
            payload = pickle.dumps((False, None))
        with os.fdopen(write, "wb") as writer:
            writer.write(payload)
    finally:
        os._exit(0)
