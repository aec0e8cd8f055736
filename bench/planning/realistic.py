"""Random realistic requests: `.venv/bin/python bench/planning/realistic.py [COUNT | FROM-TO |
A,B,C] [--cold] [--reference]`.

The instances in instances.py are shapes chosen by hand; a speed or quality target must also
hold for the requests organisers write. This draws COUNT (default 40) requests the way they
come: dialogue stations (3-12 of 5-30 seats, 2-6 rounds) or tables (4-30 of 4-10 seats, 3-8
rounds), 70-100 % of the seats taken, organisations, categories, a few preferences, late
arrivals and moderators - each from its own fixed seed, so the set is the same every run. A
few are infeasible on purpose (too many people for visiting each station once); they must be
refused with a message. Prints one line per request: shape, new pairs, bound, ratio,
colleague meetings, seconds of `plan()` (in this process, or with ``--cold`` of the command
line `treffpunkt plan`, the fastest of three runs), whether the hard rules hold (recounted by
`evaluate`), and the slowest and the mean ratio. ``--reference`` adds the most new pairs of
the plan and of seeds 1 and 2 at 8 times the search budget, and the gap to it (about 15
minutes for 40 requests): the issue's target is 0.5 % of the best value known. ``FROM-TO``
runs the requests FROM to TO - 1 instead of the first COUNT (``A,B,C`` these three): the
first 40 are the ones the planner was tuned on, so check a change on others too (40-100: 12
of 53 more than 0.5 % below the reference on 2026-11-27; 9 later that day, all of them
stations requests, against the better of that reference and the one the code of then
found; 9 after the sweeps, 2026-11-27, against a reference that rose with them; 2 of the
first 33). A reference is only the best this code finds with more budget:
keep the best values known (README.md) beside it.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from treffpunkt.planning import PlanningError, evaluate, plan  # noqa: E402

CATEGORIES = ["company"] * 6 + ["municipality"] * 3 + ["politics"]


def request(number: int) -> dict:
    """The realistic request ``number`` (the same on every run)."""
    rng = random.Random(1000 + number)
    if rng.random() < 0.7:
        mode, stations = "stations", rng.randint(3, 12)
        capacities = [rng.randint(5, 30) for _ in range(stations)]
        rounds = rng.randint(2, min(stations, 6))
    else:
        mode, stations, table = "tables", rng.randint(4, 30), rng.randint(4, 10)
        capacities = [table + rng.choice([0, 0, 1, -1]) for _ in range(stations)]
        rounds = rng.randint(3, 8)
    people = min(600, max(4, int(sum(capacities) * rng.uniform(0.7, 1.0))))
    participants = [_participant(i, people, stations, rng) for i in range(people)]
    for i in rng.sample(range(people), min(3, people // 10)):
        participants[i]["absent_rounds"] = [rng.randrange(rounds)]
    if mode == "stations" and rng.random() < 0.5:
        for k in range(min(stations, 3)):
            participants[k]["fixed_station"] = f"s{k}"
            participants[k].pop("absent_rounds", None)
    return {
        "rounds": rounds,
        "mode": mode,
        "stations": [{"id": f"s{k}", "capacity": c} for k, c in enumerate(capacities)],
        "participants": participants,
        "seed": 1,
    }


def request_numbers(spec: str) -> list[int]:
    """The requests ``spec`` names: ``COUNT`` (the first COUNT), ``FROM-TO`` (FROM to TO - 1)
    or ``A,B,C``."""
    if "," in spec:
        return [int(number) for number in spec.split(",")]
    first, _, last = spec.rpartition("-")
    return list(range(int(first or 0), int(last)))


def _participant(i: int, people: int, stations: int, rng: random.Random) -> dict:
    person: dict = {"id": f"p{i}"}
    if rng.random() < 0.8:
        person["organisation"] = f"o{rng.randrange(max(1, people // 3))}"
    if rng.random() < 0.8:
        person["category"] = rng.choice(CATEGORIES)
    if rng.random() < 0.3:
        person["preferences"] = {f"s{rng.randrange(stations)}": rng.randint(1, 3)}
    return person


def cold_seconds(req: dict) -> float:
    """Seconds of `treffpunkt plan` on ``req`` from a cold start, the fastest of three runs."""
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "request.json", Path(folder) / "plan.json"
        path.write_text(json.dumps(req), encoding="utf-8")
        return min(cold_plan(ROOT, path, out)[0] for _ in range(3))


def cold_plan(checkout: Path, path: Path, out: Path) -> tuple[float, dict | None]:
    """Seconds of a cold `treffpunkt plan PATH -o OUT` of the package in ``checkout`` (on
    ``PYTHONPATH``, with this checkout's ``.venv``), and the plan (None if refused)."""
    command = [str(ROOT / ".venv" / "bin" / "python"), "-c",
               "import sys; from treffpunkt.cli import main; sys.exit(main())",
               "plan", str(path), "-o", str(out)]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    start = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=tempfile.gettempdir(), capture_output=True)
    took = time.perf_counter() - start
    return took, json.loads(out.read_text(encoding="utf-8")) if done.returncode == 0 else None


REFERENCE_EFFORT = 8  # the reference plans: seeds 1 and 2 at 8 times the search budget


def reference_pairs(req: dict, found: int) -> int:
    """The most new pairs of ``found`` and of plans with seeds 1 and 2 at ``REFERENCE_EFFORT``
    (5-15 s each): a stronger reference than the bound where no construction is known."""
    best = found
    for seed in (1, 2):
        stronger = {**req, "seed": seed, "effort": REFERENCE_EFFORT, "time_limit_s": 300}
        best = max(best, plan(stronger)["metrics"]["new_pairs"])
    return best


def main(argv: list[str]) -> int:
    cold, reference = "--cold" in argv, "--reference" in argv
    numbers = [a for a in argv if not a.startswith("--")]
    chosen = request_numbers(numbers[0] if numbers else "40")
    extra = " reference | gap % |" if reference else ""
    print("| # | mode | people | stations | rounds | new pairs | bound | ratio | colleague "
          "meetings | seconds | rules ok |" + extra)  # fmt: skip
    print("|---" * (13 if reference else 11) + "|")
    seconds, ratios, gaps = [], [], []
    for number in chosen:
        req = request(number)
        shape = (f"| {number} | {req['mode']} | {len(req['participants'])} | "
                 f"{len(req['stations'])} | {req['rounds']} |")  # fmt: skip
        start = time.perf_counter()
        try:
            result = plan(req)
        except PlanningError as error:
            print(f"{shape} refused: {error} | | | | | |")
            continue
        metrics = result["metrics"]
        ok = "yes" if not evaluate(req, result["rounds"])["violations"] else "NO"
        took = cold_seconds(req) if cold else time.perf_counter() - start
        ratio = metrics["new_pairs"] / max(metrics["upper_bound_new_pairs"], 1)
        seconds.append(took)
        ratios.append(ratio)
        figures = [metrics["new_pairs"], metrics["upper_bound_new_pairs"], f"{ratio:.4f}",
                   metrics["colleague_meetings"], f"{took:.2f}", ok]  # fmt: skip
        if reference:
            best = reference_pairs(req, metrics["new_pairs"])
            gaps.append(100 * (best - metrics["new_pairs"]) / max(best, 1))
            figures += [best, f"{gaps[-1]:.2f}"]
        print(shape, " | ".join(map(str, figures)), "|", flush=True)
    print(f"\n{len(seconds)} planned: slowest {max(seconds):.2f} s, mean ratio "
          f"{sum(ratios) / len(ratios):.4f}")  # fmt: skip
    if reference:
        print(f"{sum(gap > 0.5 for gap in gaps)} more than 0.5 % below the reference, "
              f"largest gap {max(gaps):.2f} %")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
