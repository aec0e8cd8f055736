"""This checkout against another one on the random realistic requests: `.venv/bin/python
bench/planning/compare.py OTHER [COUNT | FROM-TO | A,B,C] [--runs N]`.

The machine's speed drifts by a third within an hour (``README.md``), so runtimes measured
at different times do not compare; this runs `treffpunkt plan` of both checkouts from a cold
start, interleaved request by request (N runs each, default 3, the fastest counted), with the
same interpreter and packages (this checkout's ``.venv``; OTHER only on ``PYTHONPATH``), both
byte-compiled first. OTHER is a second checkout, e.g. ``git worktree add /tmp/old HEAD~3``.
Prints per request the new pairs and the seconds of each, and whether the plans are the
same; then how many plans are the same, better and worse, and the slowest and summed times.
"""

from __future__ import annotations

import compileall
import hashlib
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))

from realistic import cold_plan, request, request_numbers  # noqa: E402


def fingerprint(result: dict) -> str:
    return hashlib.sha256(json.dumps(result["rounds"], sort_keys=True).encode()).hexdigest()


def main(argv: list[str]) -> int:
    numbers = [a for a in argv if not a.startswith("--")]
    other = Path(numbers[0]).resolve()
    chosen = request_numbers(numbers[1] if len(numbers) > 1 else "40")
    runs = int(argv[argv.index("--runs") + 1]) if "--runs" in argv else 3
    checkouts = {"this": ROOT, "other": other}
    for checkout in checkouts.values():
        compileall.compile_dir(checkout / "treffpunkt", quiet=1)
    print("| # | people | new pairs (this / other) | seconds (this / other) | same plan |")
    print("|---|---|---|---|---|")
    totals, same, better, worse = {"this": [], "other": []}, 0, 0, 0
    with tempfile.TemporaryDirectory() as folder:
        path, out = Path(folder) / "request.json", Path(folder) / "plan.json"
        for number in chosen:
            req = request(number)
            path.write_text(json.dumps(req), encoding="utf-8")
            times, plans = {"this": [], "other": []}, {}
            for _ in range(runs):
                for name, checkout in checkouts.items():
                    took, plans[name] = cold_plan(checkout, path, out)
                    times[name].append(took)
            if plans["this"] is None or plans["other"] is None:
                continue
            pairs = {name: plan["metrics"]["new_pairs"] for name, plan in plans.items()}
            equal = fingerprint(plans["this"]) == fingerprint(plans["other"])
            same, better = same + equal, better + (pairs["this"] > pairs["other"])
            worse += pairs["this"] < pairs["other"]
            for name in checkouts:
                totals[name].append(min(times[name]))
            print(f"| {number} | {len(req['participants'])} | {pairs['this']} / {pairs['other']} "
                  f"| {totals['this'][-1]:.2f} / {totals['other'][-1]:.2f} | "
                  f"{'yes' if equal else 'no'} |", flush=True)  # fmt: skip
    planned = len(totals["this"])
    print(f"\n{planned} planned: {same} same plans, {better} with more new pairs here, "
          f"{worse} with fewer")  # fmt: skip
    for name in checkouts:
        print(f"{name}: slowest {max(totals[name]):.2f} s, summed {sum(totals[name]):.1f} s, "
              f"{sum(t > 1.0 for t in totals[name])} over 1 s")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
