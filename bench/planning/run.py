"""Benchmark of the rotation planner: `.venv/bin/python bench/planning/run.py [NAME ...]`.

For every instance (instances.py) prints the engine's plan beside a random feasible plan and
the simple greedy plan, all computed in this process: new pairs, the proven bound, the ratio,
the best value known (research note), repeats, colleague meetings, stations left without a
conversation (docs/planning.md, "Staffed stations"), runtime, and whether the hard rules hold.
Give parts of instance names to run only those. ``--cold``: the engine's runtime is that of
the command line `treffpunkt plan` from a cold start instead (the fastest of three runs).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from instances import INSTANCES
from realistic import cold_seconds

from treffpunkt.planning import PlanningError, plan
from treffpunkt.planning.feasibility import check_feasible, random_plan
from treffpunkt.planning.frozen import read_rounds, rule_violations
from treffpunkt.planning.greedy import greedy_plan
from treffpunkt.planning.metrics import compute_metrics
from treffpunkt.planning.request import parse_request

HEADER = (
    "| instance | planner | new pairs | bound | ratio | best known | repeats | colleague "
    "meetings | unstaffed | runtime s | rules ok |"
)


def _row(name, who, metrics, bound, best, seconds, ok) -> str:
    ratio = metrics["new_pairs"] / bound if bound else 1.0
    known = "" if best is None else str(best)
    return (
        f"| {name} | {who} | {metrics['new_pairs']} | {bound} | {ratio:.4f} | {known} | "
        f"{metrics['repeat_meetings']} | {metrics['colleague_meetings']} | "
        f"{metrics['unstaffed_groups']} | {seconds:.2f} | "
        f"{'yes' if ok else 'NO'} |"
    )


def run(name: str, make, best, *, cold: bool = False) -> list[str]:
    request = make()
    start = time.perf_counter()
    result = plan(request)
    seconds = cold_seconds(request) if cold else time.perf_counter() - start
    problem = parse_request(request)
    check_feasible(problem)
    bound = result["metrics"]["upper_bound_new_pairs"]
    engine_ok = not rule_violations(problem, read_rounds(result["rounds"], problem, "rounds"))
    rows = [_row(name, f"engine ({result['algorithm']})", result["metrics"], bound, best,
                 seconds, engine_ok)]  # fmt: skip
    for who, make_plan in (("random", random_plan), ("greedy", greedy_plan)):
        start = time.perf_counter()
        try:
            assign = make_plan(problem, problem.seed)
        except PlanningError:  # round-by-round seating stuck with every seed
            rows.append(f"| {name} | {who} | stuck | {bound} | | | | | | | |")
            continue
        seconds = time.perf_counter() - start
        metrics = compute_metrics(problem, assign)
        ok = not rule_violations(problem, assign)
        rows.append(_row(name, who, metrics, bound, best, seconds, ok))
    return rows


def main(argv: list[str]) -> int:
    cold = "--cold" in argv
    names = [a for a in argv if a != "--cold"]
    print(HEADER)
    print("|---" * 11 + "|")
    for name, make, best in INSTANCES:
        if names and not any(part in name for part in names):
            continue
        for line in run(name, make, best, cold=cold):
            print(line, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
