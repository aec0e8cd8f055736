"""Compile the .po catalogues to .mo with Babel.

Replaces Django's command of the same name, which needs GNU gettext's ``msgfmt``: a fresh
machine has only Python. (Extracting new strings with ``makemessages`` still needs gettext;
that is a developer's task, the catalogues are in the repository.)
"""

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compiles the translation catalogues (.po) to .mo files, without GNU gettext."

    def handle(self, *args, **options) -> None:
        catalogues = [po for path in settings.LOCALE_PATHS for po in Path(path).rglob("*.po")]
        for po_path in catalogues:
            try:
                with po_path.open("rb") as handle:
                    catalog = read_po(handle, abort_invalid=True)
            except Exception as error:  # Babel raises several kinds; all mean "fix the file".
                raise CommandError(f"{po_path}: cannot read the catalogue: {error}") from None
            with po_path.with_suffix(".mo").open("wb") as handle:
                write_mo(handle, catalog)
            self.stdout.write(f"compiled {po_path}")
