"""The register of personal data: every model field that holds personal data is declared here.

Each app fills the register from its own ``privacy.py`` (loaded by its AppConfig), naming for
every model which fields are personal, of what category, for which purpose, how long they are
kept and how to reach the person they are about. Export, erasure, retention and the record of
processing (GDPR Art. 30) are built on this register instead of hunting through the code; a test
fails when a model gains a field that is declared neither personal nor not personal.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    IDENTITY = "identity", _("Identity (name, function)")
    CONTACT = "contact", _("Contact details")
    PROFILE = "profile", _("Profile texts and interests")
    PARTICIPATION = "participation", _("Participation in meetings")
    CONSENT = "consent", _("Consent records")
    ACCOUNT = "account", _("Login account")
    CONTENT = "content", _("Contributions (notes, topics)")
    PHOTO = "photo", _("Photos")


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    personal: dict[str, Category]
    other: frozenset[str]
    # Lookup paths from this model to the Person(s) it is about, usable as
    # ``model.objects.filter(**{path: person.pk})``; empty for models without personal data.
    subjects: tuple[str, ...]
    purpose: str
    retention: str
    legal_basis: str

    @property
    def label(self) -> str:
        return f"{self.model._meta.app_label}.{self.model.__name__}"


@dataclass
class Register:
    declarations: dict[type[models.Model], Declaration] = field(default_factory=dict)

    def declare(
        self,
        model: type[models.Model],
        *,
        personal: dict[str, Category],
        other: Iterable[str] = (),
        subjects: tuple[str, ...],
        purpose: str,
        retention: str,
        legal_basis: str,
    ) -> None:
        if model in self.declarations:
            raise ValueError(f"{model.__name__} is declared twice in the personal-data register.")
        names = {f.name for f in model._meta.get_fields() if f.concrete}
        unknown = (set(personal) | set(other)) - names
        if unknown:
            raise ValueError(f"{model.__name__} has no field(s) {sorted(unknown)} to declare.")
        self.declarations[model] = Declaration(
            model=model,
            personal=dict(personal),
            other=frozenset(other),
            subjects=subjects,
            purpose=purpose,
            retention=retention,
            legal_basis=legal_basis,
        )

    def undeclared_fields(self, model: type[models.Model]) -> set[str]:
        """Concrete fields of ``model`` the register says nothing about."""
        names = {f.name for f in model._meta.get_fields() if f.concrete}
        declaration = self.declarations.get(model)
        if declaration is None:
            return names
        return names - set(declaration.personal) - declaration.other

    def rows_about(self, person) -> dict[str, list[models.Model]]:
        """Every stored row that holds personal data about ``person``, by model label."""
        found = {}
        for declaration in self.declarations.values():
            rows = []
            for path in declaration.subjects:
                rows.extend(declaration.model._default_manager.filter(**{path: person.pk}))
            if rows:
                found[declaration.label] = rows
        return found

    def personal_fields(self, model: type[models.Model]) -> dict[str, Category]:
        declaration = self.declarations.get(model)
        return dict(declaration.personal) if declaration else {}


register = Register()
