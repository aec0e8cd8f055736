"""The directory: finding people and organisations, consent given and withdrawn."""

from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from .models import Consent, ConsentText, Person


def person_with_email(email: str) -> Person | None:
    """The person with this address, any case (Lower() matches the unique index on
    lower(email), so PostgreSQL uses it)."""
    return (
        Person.objects.alias(email_lower=Lower("email")).filter(email_lower=email.lower()).first()
    )


class NoConsentText(Exception):
    """No consent text is published for a purpose, so no consent can be asked for it."""


def current_consent_text(purpose: str) -> ConsentText:
    text = ConsentText.objects.filter(purpose=purpose).order_by("-published_at").first()
    if text is None:
        raise NoConsentText(purpose)
    return text


@transaction.atomic
def give_consent(*, person: Person, purpose: str, now=None) -> Consent:
    """Record that ``person`` consents to ``purpose`` under the current text.

    Side effects: creates a Consent row unless one for the same text is standing already.
    Raises NoConsentText when the organisers have published no text for the purpose.
    """
    text = current_consent_text(purpose)
    standing = Consent.objects.filter(person=person, text=text, withdrawn_at__isnull=True).first()
    if standing:
        return standing
    return Consent.objects.create(person=person, text=text, given_at=now or timezone.now())


def give_consents(*, person: Person, texts: Iterable[ConsentText], now: datetime) -> int:
    """Record consent to exactly these texts (the wording shown); returns how many are new.

    Side effects: one Consent row per text without a standing consent to it. Nothing is
    withdrawn: an unticked box never takes a consent away.
    """
    texts = list(texts)
    standing = set(
        Consent.objects.filter(
            person=person, text__in=texts, withdrawn_at__isnull=True
        ).values_list("text_id", flat=True)
    )
    new = [Consent(person=person, text=t, given_at=now) for t in texts if t.pk not in standing]
    Consent.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def withdraw_consent(*, person: Person, purpose: str, now=None) -> int:
    """Withdraw every standing consent of ``person`` for ``purpose``; returns how many.

    Side effects: sets ``withdrawn_at`` on those Consent rows (the record itself is kept as
    proof of what was given and when).
    """
    return Consent.objects.filter(
        person=person, text__purpose=purpose, withdrawn_at__isnull=True
    ).update(withdrawn_at=now or timezone.now())


ORGANISER_GROUP = "Organisatoren"


@transaction.atomic
def make_organiser(*, user) -> None:
    """Give ``user`` the organiser role: admin access to everything of the network.

    Side effects: sets ``is_staff``; creates the organisers' group on first use with all
    permissions of the network and meetings apps (and viewing login accounts, so people can
    be linked to them), and adds the user to it. Superuser rights are not given.
    """
    group, created = Group.objects.get_or_create(name=ORGANISER_GROUP)
    if created or not group.permissions.exists():
        group.permissions.set(
            Permission.objects.filter(content_type__app_label__in=["network", "meetings"])
            | Permission.objects.filter(content_type__app_label="auth", codename="view_user")
        )
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    user.groups.add(group)
