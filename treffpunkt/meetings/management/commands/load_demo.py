from django.core.management.base import BaseCommand, CommandError

from treffpunkt.demo import DATA_FILE, DEMO_PASSWORD, DemoDataError, load_demo
from treffpunkt.network.management.database import require_migrated


class Command(BaseCommand):
    help = (
        "Loads the fictional demo network (organisations, people, a held and an upcoming "
        "meeting, demo logins). Safe to run again: it only adds what is missing."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--file", help="another demo data file (default: the built-in one)")

    def handle(self, *args, **options) -> None:
        require_migrated()
        try:
            created = load_demo(path=options["file"] or DATA_FILE)
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        summary = ", ".join(f"{n} {kind}" for kind, n in created.items() if n) or "nothing new"
        self.stdout.write(f"Demo network loaded: {summary}.")
        self.stdout.write(
            f"Logins (password {DEMO_PASSWORD}): organisator, moderatorin, mitglied, gast."
        )
