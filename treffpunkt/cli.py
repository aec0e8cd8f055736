"""The ``treffpunkt`` console command.

``treffpunkt plan ...`` runs the rotation planner on a JSON file without starting Django
(an organiser can use it on a laptop with no database); every other sub-command is a
Django management command (``treffpunkt migrate``, ``treffpunkt runserver``, ...).
"""

import os
import sys

ENGINE_COMMANDS = {
    "plan": "treffpunkt.planning.cli",
}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] in ENGINE_COMMANDS:
        from importlib import import_module

        return import_module(ENGINE_COMMANDS[argv[1]]).main(argv[2:])
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "treffpunkt.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as error:
        # A configuration mistake (DATABASE_URL, DEBUG, ...) is the user's to fix: say what.
        print(f"treffpunkt: configuration error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
