"""The command line: exit codes, one-line messages, and no file written on bad input."""

import contextlib
import io
import json
import os
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
    "a misspelt participant field": (
        lambda r: r["participants"][0].update(absent_round=[1]),
        "Unknown field 'absent_round' for participant 'p0' (did you mean 'absent_rounds'?)",
    ),
    "a misspelt station field": (
        lambda r: r["stations"][0].update(capacty=3),
        "Unknown field 'capacty' in station 'ki' (did you mean 'capacity'?)",
    ),
    "a misspelt request field": (
        lambda r: r.update(know_pairs=[]),
        "Unknown field 'know_pairs' in the request (did you mean 'known_pairs'?)",
    ),
    "more participants than the planner takes": (
        lambda r: r["participants"].extend({"id": f"q{i}"} for i in range(10_000)),
        "The request has 10,005 participants; the planner takes at most 10,000",
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
    "too few station visits for everybody": (
        # 5 seats for 5 people in each round, but the two single seats give 2 visits each
        # over both rounds and the big station only 5, one per person: 9 for 10 needed
        lambda r: r.update(
            stations=[
                {"id": "ki", "capacity": 1},
                {"id": "koop", "capacity": 3},
                {"id": "x", "capacity": 1},
            ]
        ),
        "The participants need 10 station visits but the stations can take only 9, as nobody "
        "may visit a station twice",
    ),
    "fixed station not a text": (
        lambda r: r["participants"][0].update(fixed_station=["ki"]),
        "fixed_station '['ki']', which is not a station",
    ),
    "a capacity beyond counting": (
        lambda r: r["stations"][0].update(capacity=10**30),
        "needs a capacity from 1 to 1,000,000",
    ),
    "a weight that would overflow": (
        lambda r: r.update(weights={"new_pairs": 10**400}),
        "Weight 'new_pairs' must be a number from 0 to 1,000,000",
    ),
    "a preference that would overflow": (
        lambda r: r["participants"][0].update(preferences={"ki": 1e308}),
        "must be a number from -1,000,000 to 1,000,000",
    ),
    "absent rounds given as false": (
        lambda r: r["participants"][0].update(absent_rounds=False),
        "The absent_rounds of 'p0' must be a list of round numbers.",
    ),
    "an id with a line break": (
        lambda r: r["participants"].extend([{"id": "a\nb"}, {"id": "a\nb"}]),
        "Participant id 'a\\nb' appears twice",
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


@pytest.mark.parametrize(
    "text", ["[" * 100_000, '{"rounds": ' + "9" * 5000 + "}"], ids=["nesting", "digits"]
)
def test_json_too_deep_or_too_long_to_read_is_one_line(tmp_path, text):
    result, target = run_cli(tmp_path, text)
    assert (result.returncode, result.stderr.count("\n")) == (2, 1)
    assert "too large to read" in result.stderr
    assert not target.exists()


@pytest.mark.parametrize(
    "request_",
    [
        {  # a host fills s1: nobody else can visit it, so everybody must visit the others
            "rounds": 3,
            "stations": [{"id": "s0", "capacity": 2}, {"id": "s1", "capacity": 1},
                         {"id": "s2", "capacity": 2}, {"id": "s3", "capacity": 2}],
            "participants": [{"id": "host", "fixed_station": "s1"}]
            + [{"id": f"p{i}"} for i in range(4)],
        },
        {  # at most 20 at the big station, or round 1 has no room for those who were there
            "rounds": 2, "seed": 9,
            "stations": [{"id": "a", "capacity": 10}, {"id": "b", "capacity": 30},
                         {"id": "c", "capacity": 10}],
            "participants": [{"id": "p0", "preferences": {"c": 3}}]
            + [{"id": f"p{i}"} for i in range(1, 40)],
        },
        {  # all must skip one of the small stations: round-by-round seating got stuck
            "rounds": 3,
            "stations": [{"id": "a", "capacity": 12}, {"id": "b", "capacity": 15},
                         {"id": "c", "capacity": 4}, {"id": "d", "capacity": 6}],
            "participants": [{"id": f"p{i}"} for i in range(30)],
        },
    ],
    ids=["host fills a station", "one big station", "small stations that everybody skips"],
)  # fmt: skip
def test_requests_that_can_be_planned_are_planned(tmp_path, request_):
    result, target = run_cli(tmp_path, json.dumps(request_))
    assert (result.returncode, result.stderr) == (0, "")


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


def test_invalid_utf8_on_stdin_is_refused_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "treffpunkt.planning.cli", "-"], input=b'{"rounds": "\xff"}',
        capture_output=True, cwd=ROOT, timeout=60,
    )  # fmt: skip
    assert (result.returncode, result.stdout) == (2, b"")
    assert (
        result.stderr == b"treffpunkt plan: the request is not UTF-8 text; save it as UTF-8 JSON.\n"
    )


def test_the_plan_file_follows_the_umask_and_a_symlink(tmp_path):
    real = tmp_path / "real.json"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    source = tmp_path / "request.json"
    source.write_text(json.dumps(base()), encoding="utf-8")

    with contextlib.redirect_stdout(io.StringIO()):
        assert main([str(source), "-o", str(link)]) == 0

    assert link.is_symlink()
    assert json.loads(real.read_text(encoding="utf-8"))["rounds"]
    umask = os.umask(0)
    os.umask(umask)
    assert real.stat().st_mode & 0o777 == 0o666 & ~umask
