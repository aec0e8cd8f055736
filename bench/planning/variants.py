"""New pairs of realistic requests under changed settings, and two such runs compared.

    .venv/bin/python bench/planning/variants.py run OUT.json [COUNT | FROM-TO | A,B,C]
        [--seeds 1,2] [--checkout DIR] [--effort X] [MODULE.NAME=EXPR ...]
    .venv/bin/python bench/planning/variants.py compare BEFORE.json AFTER.json [-v]

``run`` plans the requests of ``realistic.py`` with ``plan()`` in this process, once per
seed, and writes new pairs, seconds, mode and people per request and seed. Each
``MODULE.NAME=EXPR`` sets ``treffpunkt.planning.MODULE.NAME`` to EXPR, evaluated in that
module's namespace first, so one stage's budget can be scaled on its own, e.g.
``'polish.tabu_steps=lambda p, _f=tabu_steps: 8 * _f(p)'`` or ``person_tabu.STALL=60``.
``--checkout`` plans with another copy of the package (``git worktree add``; copy it if
you edit files while runs go on). ``compare`` prints the change of new pairs per mode,
how many plans got better and worse, and the summed seconds (which only compare between
runs made side by side: the machine's speed drifts). Quality is deterministic, so two
runs may go on in parallel, one per core.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from realistic import ROOT, request, request_numbers  # noqa: E402


def run(out: Path, spec: str, seeds: list[int], checkout: Path, effort: float,
        patches: list[str]) -> None:  # fmt: skip
    for name in [m for m in sys.modules if m == "treffpunkt" or m.startswith("treffpunkt.")]:
        del sys.modules[name]  # realistic.py imported this checkout's package
    sys.path.insert(0, str(checkout))
    planning = importlib.import_module("treffpunkt.planning")
    for patch in patches:
        target, expression = patch.split("=", 1)
        module_name, attribute = target.rsplit(".", 1)
        module = importlib.import_module(f"treffpunkt.planning.{module_name}")
        setattr(module, attribute, eval(expression, vars(module)))  # the bench's own input
    found = {}
    for number in request_numbers(spec):
        for seed in seeds:
            req = {**request(number), "seed": seed, "effort": effort, "time_limit_s": 600}
            started = time.perf_counter()
            try:
                pairs = planning.plan(req)["metrics"]["new_pairs"]
            except planning.PlanningError:
                continue  # infeasible on purpose
            seconds = time.perf_counter() - started
            found[f"{number}:{seed}"] = [pairs, seconds, req["mode"], len(req["participants"])]
    out.write_text(json.dumps(found), encoding="utf-8")
    print(f"{out}: {len(found)} plans, {sum(v[1] for v in found.values()):.1f} s")


def compare(before: dict, after: dict, verbose: bool) -> None:
    keys = [key for key in before if key in after]
    for mode in ("all", "tables", "stations"):
        chosen = [k for k in keys if mode == "all" or before[k][2] == mode]
        if not chosen:
            continue
        a, b = (sum(plans[k][0] for k in chosen) for plans in (before, after))
        better = sum(after[k][0] > before[k][0] for k in chosen)
        worse = sum(after[k][0] < before[k][0] for k in chosen)
        ta, tb = (sum(plans[k][1] for k in chosen) for plans in (before, after))
        print(f"{mode:8} {len(chosen)} plans: new pairs {a} -> {b} ({100 * (b - a) / a:+.3f} %), "
              f"{better} better, {worse} worse; {ta:.1f} -> {tb:.1f} s")  # fmt: skip
    if verbose:
        for key in keys:
            if before[key][0] != after[key][0]:
                print(f"#{key} ({before[key][3]} people): {before[key][0]} -> {after[key][0]}")


def main(argv: list[str]) -> int:
    if len(argv) >= 3 and argv[0] == "compare":
        runs = [json.loads(Path(name).read_text(encoding="utf-8")) for name in argv[1:3]]
        compare(*runs, verbose="-v" in argv)
        return 0
    if len(argv) < 2 or argv[0] != "run":
        print(__doc__)
        return 2
    options = {"--seeds": "1", "--checkout": str(ROOT), "--effort": "1"}
    rest, args = [], iter(argv[2:])
    for arg in args:
        if arg in options:
            options[arg] = next(args)
        else:
            rest.append(arg)
    spec = rest.pop(0) if rest and "=" not in rest[0] else "40"
    seeds = [int(s) for s in options["--seeds"].split(",")]
    run(Path(argv[1]), spec, seeds, Path(options["--checkout"]).resolve(),
        float(options["--effort"]), rest)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
