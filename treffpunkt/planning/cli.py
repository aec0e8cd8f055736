"""``treffpunkt plan REQUEST.json [-o PLAN.json]``: plan a meeting from a JSON file.

Reads the request from a file (or ``-`` for standard input) and writes the plan as JSON to
``PLAN.json`` or standard output. Exit 0 on success; on an invalid request exit 2 with one
line on standard error that says what to fix, and write no file. Imports no Django.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage mistakes: one line, exit 2
        self.exit(2, f"treffpunkt plan: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="treffpunkt plan", description="Plan who is where in each round.")
    parser.add_argument("request", help="request JSON file, or - for standard input")
    parser.add_argument("-o", "--output", help="write the plan here instead of standard output")
    return parser


def _read(path: str) -> object:
    from .errors import PlanningError

    try:
        if path == "-":
            return json.loads(sys.stdin.buffer.read().decode("utf-8"))
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except json.JSONDecodeError as error:
        raise PlanningError(
            f"the request is not valid JSON (line {error.lineno}, column {error.colno}: "
            f"{error.msg}); check the file."
        ) from None
    except UnicodeDecodeError:
        raise PlanningError("the request is not UTF-8 text; save it as UTF-8 JSON.") from None
    except OSError as error:
        raise PlanningError(f"cannot read '{path}': {error.strerror}.") from None
    except (ValueError, RecursionError):  # numbers over 4,300 digits, nesting beyond reason
        raise PlanningError(
            "the request holds a number or a nesting too large to read; check the file."
        ) from None


def _write(text: str, path: str | None) -> None:
    if path is None or path == "-":
        sys.stdout.write(text)
        return
    if os.path.exists(path) and not os.path.isfile(os.path.realpath(path)):
        with open(path, "w", encoding="utf-8") as out:  # a device or pipe: write into it
            out.write(text)
        return
    # Write beside the target and rename, so a failure never leaves a half-written plan.
    target = os.path.realpath(path)  # through a symlink, not over it
    folder = os.path.dirname(target)
    handle, temp = tempfile.mkstemp(dir=folder, prefix=".plan-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp, 0o666 & ~umask)  # as a plain open() would create it
        os.replace(temp, target)
    except BaseException:
        os.unlink(temp)
        raise


def main(argv: list[str]) -> int:
    """Run the command; returns the exit code."""
    from . import PlanningError, plan

    args = _parser().parse_args(argv)
    try:
        result = plan(_read(args.request))
        text = json.dumps(result, ensure_ascii=False, indent=1, allow_nan=False)
        _write(text + "\n", args.output)
    except PlanningError as error:
        # One line even where an id holds a line break.
        message = str(error).replace("\r", "\\r").replace("\n", "\\n")
        print(f"treffpunkt plan: {message}", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"treffpunkt plan: cannot write the plan: {error.strerror}.", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
