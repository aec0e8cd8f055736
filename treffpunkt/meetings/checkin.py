"""Checking people in at the door: by search or by the badge's QR code, walk-ins, undo.

Every action is one transaction that locks the meeting row first and then the registration
row: the same order as registering, so two desks and the registration page queue up instead
of deadlocking, and counting the seats sees every change made before it.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from treffpunkt.network.models import Organisation, Person, tidy_name
from treffpunkt.network.services import person_with_email

from .models import Meeting, Registration

#: Walk-ins without an e-mail address get a unique address here (the model requires one);
#: ``.invalid`` is reserved (RFC 2606), so nothing is ever delivered to it.
NO_EMAIL_DOMAIN = "walk-in.invalid"
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Counts:
    expected: int
    checked_in: int

    @property
    def missing(self) -> int:
        return self.expected - self.checked_in


@dataclass(frozen=True)
class CheckinResult:
    registration: Registration
    already: bool  # was checked in before: nothing changed
    seated: int  # people with a seat now, this one included
    capacity: int

    @property
    def over_capacity(self) -> bool:
        return self.seated > self.capacity


class OverCapacity(Exception):
    """The meeting is full; the organiser must confirm to add somebody all the same."""

    def __init__(self, seated: int, capacity: int):
        super().__init__(f"{seated} of {capacity} seats taken")
        self.seated, self.capacity = seated, capacity


def counts(meeting: Meeting) -> Counts:
    """Who is expected (everybody with a seat) and who is checked in; one query."""
    totals = meeting.registrations.aggregate(
        expected=Count("pk", filter=Q(status__in=Registration.SEATED)),
        checked_in=Count("pk", filter=Q(status=Registration.Status.ATTENDED)),
    )
    return Counts(**totals)


def _with_person(registrations: QuerySet) -> QuerySet:
    return registrations.select_related("person__organisation").order_by(
        "person__last_name", "person__first_name", "pk"
    )


def missing(meeting: Meeting) -> QuerySet:
    """Registrations with a seat whose person has not arrived yet."""
    return _with_person(meeting.registrations.filter(status=Registration.Status.CONFIRMED))


def recently_checked_in(meeting: Meeting, *, limit: int = 10) -> QuerySet:
    return (
        meeting.registrations.filter(status=Registration.Status.ATTENDED)
        .select_related("person__organisation")
        .order_by("-checked_in_at", "-pk")[:limit]
    )


def search(meeting: Meeting, query: str) -> list[Registration]:
    """Registrations whose name or organisation contains every word of ``query``.

    Cancelled and waitlisted registrations are found too: people who turn up anyway can be
    checked in.
    """
    found = meeting.registrations.all()
    for word in query.split():
        found = found.filter(
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__organisation__name__icontains=word)
        )
    return list(_with_person(found)[:SEARCH_LIMIT])


def _lock_meeting(meeting: Meeting) -> None:
    Meeting.objects.select_for_update().only("pk").get(pk=meeting.pk)


def _lock(meeting: Meeting, registration: Registration) -> Registration:
    _lock_meeting(meeting)
    return Registration.objects.select_for_update().select_related("person").get(pk=registration.pk)


def _seated(meeting: Meeting) -> int:
    return meeting.registrations.filter(status__in=Registration.SEATED).count()


@transaction.atomic
def check_in(*, registration: Registration, now: datetime | None = None) -> CheckinResult:
    """Mark the person as arrived (from any status: waitlisted and late people too).

    Idempotent: a second check-in changes nothing and says when the first one was.
    Side effects: sets status ATTENDED and ``checked_in_at`` on the locked registration.
    """
    meeting = registration.meeting
    locked = _lock(meeting, registration)
    already = locked.status == Registration.Status.ATTENDED
    if not already:
        locked.status = Registration.Status.ATTENDED
        locked.checked_in_at = now or timezone.now()
        locked.save(update_fields=["status", "checked_in_at", "updated_at"])
    return CheckinResult(locked, already, _seated(meeting), meeting.capacity)


@transaction.atomic
def undo_check_in(*, registration: Registration) -> bool:
    """Take back a check-in made by mistake: the person is expected again (confirmed).

    Returns False (and changes nothing) when the person was not checked in.
    Side effects: sets status CONFIRMED and clears ``checked_in_at`` on the locked registration.
    """
    locked = _lock(registration.meeting, registration)
    if locked.status != Registration.Status.ATTENDED:
        return False
    locked.status = Registration.Status.CONFIRMED
    locked.checked_in_at = None
    locked.save(update_fields=["status", "checked_in_at", "updated_at"])
    return True


@dataclass(frozen=True)
class WalkIn:
    first_name: str
    last_name: str
    email: str = ""
    organisation_name: str = ""
    organisation_kind: str = ""  # for a new organisation


def _walk_in_person(meeting: Meeting, walk_in: WalkIn) -> Person:
    if walk_in.email:
        known = person_with_email(walk_in.email)
        if known:
            return known
    organisation = None
    if walk_in.organisation_name:
        organisation = Organisation.objects.named(walk_in.organisation_name)
    if not walk_in.email and (organisation or not walk_in.organisation_name):
        same = _registered_namesake(meeting, walk_in, organisation)
        if same is not None:
            return same
    if walk_in.organisation_name and organisation is None:
        # Created at the door without anybody's consent to be listed: organisers only.
        organisation = Organisation.objects.create(
            name=tidy_name(walk_in.organisation_name),
            kind=walk_in.organisation_kind,
            listed=False,
        )
    email = walk_in.email or f"{secrets.token_hex(8)}@{NO_EMAIL_DOMAIN}"
    return Person.objects.create(
        first_name=walk_in.first_name,
        last_name=walk_in.last_name,
        email=email.lower(),
        organisation=organisation,
    )


def _registered_namesake(meeting: Meeting, walk_in: WalkIn, organisation) -> Person | None:
    """The one person of this meeting with the walk-in's name (and organisation, if named):
    a form sent twice at the door, or from two desks, is one person, not two. Two namesakes
    registered already are left alone (the desk finds them by search)."""
    people = Person.objects.filter(
        registrations__meeting=meeting,
        first_name__iexact=walk_in.first_name.strip(),
        last_name__iexact=walk_in.last_name.strip(),
    )
    if organisation is not None:
        people = people.filter(organisation=organisation)
    found = list(people[:2])
    return found[0] if len(found) == 1 else None


@transaction.atomic
def add_walk_in(
    *,
    meeting: Meeting,
    walk_in: WalkIn,
    allow_over_capacity: bool = False,
    now: datetime | None = None,
) -> CheckinResult:
    """Register somebody who came without registering, and check them in.

    A known e-mail address finds the person in the directory (their data stay as they are);
    without an address, the one person of this meeting with that name (and organisation, if
    given) is taken; if they are registered already, that registration is checked in.
    Raises OverCapacity when the meeting is full and ``allow_over_capacity`` is not set:
    nothing is written then.
    Side effects: may create an unlisted Organisation and a Person (no consents), creates or
    updates their Registration to ATTENDED.
    """
    _lock_meeting(meeting)
    person = _walk_in_person(meeting, walk_in)
    registration = meeting.registrations.filter(person=person).first()
    if registration and registration.status in Registration.SEATED:
        return check_in(registration=registration, now=now)
    seated = _seated(meeting)
    if seated >= meeting.capacity and not allow_over_capacity:
        raise OverCapacity(seated, meeting.capacity)  # rolls back the person created above
    if registration:  # waitlisted, cancelled or a no-show: checking in gives them a seat
        return check_in(registration=registration, now=now)
    registration = Registration.objects.create(
        meeting=meeting,
        person=person,
        status=Registration.Status.ATTENDED,
        checked_in_at=now or timezone.now(),
    )
    return CheckinResult(registration, False, seated + 1, meeting.capacity)
