"""The command line: exit codes, one-line messages, and no file written on bad input."""

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from treffpunkt.planning.cli import main

ROOT = Path(__file__).resolve().parents[2]


def run_cli(tmp_path: Path, request_text: str) -> tuple[subprocess.CompletedProcess, Path]:
    """The command in this process (a new interpreter per case would dominate the suite)."""
    source = tmp_path / "request.json"
    source.write_text(request_text, encoding="utf-8")
    target = tmp_path / "plan.json"
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(source), "-o", str(target)])
    return subprocess.CompletedProcess([], code, out.getvalue(), err.getvalue()), target


def base() -> dict:
    return {
        "rounds": 2,
        "mode": "stations",
        "stations": [{"id": "ki", "capacity": 3}, {"id": "koop", "capacity": 3}],
        "participants": [{"id": f"p{i}"} for i in range(5)],
    }


def with_change(change) -> str:
    request = base()
    change(request)
    return json.dumps(request)


INVALID = {
    "duplicate ids": (
        lambda r: r["participants"].append({"id": "p1"}),
        "Participant id 'p1' appears twice",
    ),
    "unknown station": (
        lambda r: r["participants"][0].update(fixed_station="x"),
        "'x', which is not a station",
    ),
    "capacity below the people present": (
        lambda r: r["participants"].extend({"id": f"q{i}"} for i in range(2)),
        "Round 0 has 7 participants present but the stations hold only 6",
    ),
    "rounds out of range": (lambda r: r.update(rounds=0), "'rounds' must be a whole number"),
    "absent round out of range": (
        lambda r: r["participants"][0].update(absent_rounds=[2]),
        "absent in round 2, but the rounds are numbered 0 to 1",
    ),
    "fixed station over capacity": (
        lambda r: [p.update(fixed_station="ki") for p in r["participants"][:4]],
        "Station 'ki' has 4 fixed participants in round 0 but room for 3",
    ),
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_it_rejects_invalid_requests_with_one_line_and_no_file(tmp_path, case):
    change, message = INVALID[case]
    result, target = run_cli(tmp_path, with_change(change))
    assert (result.returncode, result.stdout) == (2, "")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert not target.exists()


def test_it_rejects_malformed_json_with_one_line_and_no_file(tmp_path):
    result, target = run_cli(tmp_path, '{"rounds": 2,')
    assert (result.returncode, result.stderr.count("\n")) == (2, 1)
    assert "not valid JSON" in result.stderr
    assert not target.exists()


def test_it_writes_the_plan_file_on_success(tmp_path):
    result, target = run_cli(tmp_path, json.dumps(base()))
    assert (result.returncode, result.stderr) == (0, "")
    plan = json.loads(target.read_text(encoding="utf-8"))
    assert sorted(plan["rounds"][0]) == ["ki", "koop"]


def test_it_reads_stdin_and_writes_stdout():
    result = subprocess.run(
        [sys.executable, "-m", "treffpunkt.planning.cli", "-"], input=json.dumps(base()),
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0
    assert json.loads(result.stdout)["metrics"]["upper_bound_new_pairs"] >= 0
