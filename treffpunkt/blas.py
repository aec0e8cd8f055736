"""One BLAS thread for the engines' small matrix products (no Django here).

The planner and the topic grouping multiply matrices of a few hundred rows: OpenBLAS's
thread pool costs more than it brings there, and on a busy machine far more (a 350-person
plan: 0.55 s idle, 1.33 s beside one busy core, 0.84 s with one thread;
bench/topics/README.md for the topics).
"""

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from threadpoolctl import ThreadpoolController

_threadpools = ThreadpoolController()

P = ParamSpec("P")
R = TypeVar("R")


def one_blas_thread(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function`` with one BLAS thread."""

    @wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with _threadpools.limit(limits=1, user_api="blas"):
            return function(*args, **kwargs)

    return wrapper
