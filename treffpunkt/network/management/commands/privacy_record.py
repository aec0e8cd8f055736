"""Print the record of processing activities (GDPR Art. 30) from the personal-data register."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from treffpunkt.network.management.database import require_migrated
from treffpunkt.network.models import Network
from treffpunkt.privacy import register


class Command(BaseCommand):
    help = (
        "Prints the record of processing activities (GDPR Art. 30) as Markdown: for every kind "
        "of record with personal data its fields, purpose, legal basis and retention."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--language", default="de", choices=["de", "en"])

    def handle(self, *args, **options) -> None:
        require_migrated()
        with translation.override(options["language"]):
            self.stdout.write(self.record())

    def record(self) -> str:
        network = Network.current()
        lines = [f"# {network.name}", ""]
        if network.privacy_contact:
            lines += [network.privacy_contact, ""]
        headings = [_("Data"), _("Fields"), _("Purpose"), _("Legal basis"), _("Retention")]
        lines += ["| " + " | ".join(headings) + " |", "| --- " * len(headings) + "|"]
        for declaration in sorted(register.declarations.values(), key=lambda d: d.label):
            if not declaration.personal:
                continue
            model = declaration.model._meta
            fields = ", ".join(
                f"{model.get_field(name).verbose_name} ({category.label})"
                for name, category in declaration.personal.items()
            )
            lines.append(
                f"| {model.verbose_name_plural} | {fields} | {declaration.purpose} "
                f"| {declaration.legal_basis} | {declaration.retention} |"
            )
        return "\n".join(lines) + "\n"
