"""Step 1 of the meeting path: invitations, registration with capacity and waitlist,
changes and cancellation through the personal link, and the organisers' capacity.

Every action that hands out or frees a seat takes the meeting row's lock first
(``select_for_update``; on SQLite the immediate transaction's write lock does the same), then
counts, then writes: two registrations can never both take the last seat, and a freed seat
goes to the head of the waitlist exactly once. E-mails go out after the commit.

Consents on the registration form are optional and separate (Art. 7(4) GDPR). Each box
stands for one published ConsentText and records consent to exactly that wording. A purpose
without a published text is not offered at all (the organisers' registrations page warns
about it); a submission naming a text that is not (or no longer) the current one is refused
with a message and nothing is saved. A person we know already (same e-mail address) keeps
their directory data; the form adds consents for them only when the address is proven to
be theirs (their invitation link, or their login), so nobody can list someone else.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from treffpunkt.network.models import (
    ConsentPurpose,
    ConsentText,
    Organisation,
    Person,
    Profile,
    tidy_name,
)
from treffpunkt.network.services import give_consents, person_with_email

from .confirmations import mail_after_commit, status_mail
from .models import Meeting, Registration

logger = logging.getLogger(__name__)

Status = Registration.Status

#: How long a registration waits for the meeting's lock before it gives up (PostgreSQL);
#: SQLite waits for its busy timeout (settings.SQLITE_OPTIONS).
LOCK_TIMEOUT = "10s"


class RegistrationError(Exception):
    """An action that cannot be done; ``message`` says why, for the person in front of it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class RegistrationClosed(RegistrationError):
    pass


class RegistrationBusy(RegistrationError):
    pass


class CapacityBelowSeated(RegistrationError):
    pass


class NotCancellable(RegistrationError):
    pass


# --- reading -----------------------------------------------------------------------------


def current_consent_texts() -> dict[str, ConsentText]:
    """The newest published text of each purpose, in the purposes' order (purposes without a
    text are missing)."""
    newest: dict[str, ConsentText] = {}
    for text in ConsentText.objects.filter(published_at__lte=timezone.now()).order_by(
        "purpose", "-published_at", "-pk"
    ):
        newest.setdefault(text.purpose, text)
    return {purpose: newest[purpose] for purpose in ConsentPurpose.values if purpose in newest}


def seated_count(meeting: Meeting) -> int:
    return meeting.registrations.filter(status__in=Registration.SEATED).count()


# --- locking and the waitlist ------------------------------------------------------------


def _is_lock_timeout(error: OperationalError) -> bool:
    cause = error.__cause__
    if getattr(cause, "sqlstate", None) == "55P03":  # PostgreSQL: lock_not_available
        return True
    return "database is locked" in str(error)


class LockedMeeting:
    """``with LockedMeeting(meeting_id) as meeting:`` one transaction holding the meeting's lock.

    A lock that cannot be had in time becomes RegistrationBusy (a message asking to try
    again) instead of a server error; nothing is written then.
    """

    def __init__(self, meeting_id: int):
        self.meeting_id = meeting_id
        self.atomic = transaction.atomic()

    def __enter__(self) -> Meeting:
        try:
            # On SQLite, BEGIN IMMEDIATE takes the write lock here and may time out.
            self.atomic.__enter__()
        except OperationalError as error:
            raise self._busy() if _is_lock_timeout(error) else error from error
        try:
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
            return Meeting.objects.select_for_update().get(pk=self.meeting_id)
        except BaseException as error:
            self.atomic.__exit__(type(error), error, error.__traceback__)
            if isinstance(error, OperationalError) and _is_lock_timeout(error):
                raise self._busy() from error
            raise

    def __exit__(self, kind, value, traceback) -> bool | None:
        return self.atomic.__exit__(kind, value, traceback)

    @staticmethod
    def _busy() -> RegistrationBusy:
        return RegistrationBusy(
            _("Very many people are registering at this moment. Please try again in a minute.")
        )


def _promote(meeting: Meeting) -> tuple[list[Registration], int]:
    """Fill free seats from the head of the waitlist; returns (promoted, seats still free).

    Must run under the meeting's lock. Side effects: sets the promoted registrations to
    confirmed and sends each of them an e-mail after commit.
    """
    counted = meeting.registrations.aggregate(
        seated=Count("pk", filter=Q(status__in=Registration.SEATED)),
        waiting=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    free = meeting.capacity - counted["seated"]
    if free <= 0 or not counted["waiting"]:
        return [], free
    heads = list(
        meeting.registrations.filter(status=Status.WAITLISTED)
        .select_related("person", "meeting")
        .order_by("created_at", "pk")[:free]
    )
    for registration in heads:
        registration.status = Status.CONFIRMED
        registration.save(update_fields=["status", "updated_at"])
        mail_after_commit("registration-promoted", registration)
    return heads, free - len(heads)


# --- registering -------------------------------------------------------------------------


@dataclass(frozen=True)
class Registrant:
    """What the registration form collected (validated by the form)."""

    first_name: str
    last_name: str
    email: str
    organisation: Organisation | None = None
    new_organisation_name: str = ""
    new_organisation_kind: str = ""
    topics: str = ""
    consent_texts: Sequence[ConsentText] = ()
    #: The address is proven to be the registrant's (an invitation sent to it, or their
    #: login): only then may the form add consents to a person we know already.
    email_proven: bool = False


@dataclass
class RegistrationResult:
    registration: Registration
    #: "confirmed", "waitlisted", or "already" (registered before: nothing changed).
    outcome: str
    person_is_new: bool
    consents_applied: bool = field(default=False)
    #: "already": whether the personal link went out again (not twice in ten minutes).
    link_sent: bool = field(default=True)


def _find_or_create_organisation(registrant: Registrant) -> Organisation:
    """The chosen organisation, or the one of the typed name, or a new unlisted one.

    New organisations stay unlisted until an organiser lists them, so an anonymous form
    cannot put anything into the public directory.
    """
    if registrant.organisation is not None:
        return registrant.organisation
    name = tidy_name(registrant.new_organisation_name)
    existing = Organisation.objects.named(name)
    if existing:
        return existing
    try:
        with transaction.atomic():  # a savepoint: another registration may add it meanwhile
            return Organisation.objects.create(
                name=name, kind=registrant.new_organisation_kind, listed=False
            )
    except IntegrityError:
        return Organisation.objects.named(name)


def _find_or_create_person(registrant: Registrant) -> tuple[Person, bool]:
    """The person with this address (kept as it is), or a new one; (person, is_new)."""
    person = person_with_email(registrant.email)
    if person is not None:
        return person, False
    organisation = _find_or_create_organisation(registrant)
    try:
        with transaction.atomic():  # a savepoint: the same address may register elsewhere
            person = Person.objects.create(
                first_name=registrant.first_name,
                last_name=registrant.last_name,
                email=registrant.email.lower(),
                organisation=organisation,
            )
    except IntegrityError:
        return person_with_email(registrant.email), False
    Profile.objects.create(person=person)
    return person, True


def give_consent_by_link(*, registration: Registration, text: ConsentText, now: datetime) -> None:
    """The person behind a personal link consents to ``text`` (the address is theirs).

    Side effects: a Consent row (unless one stands); the text leaves the registration's
    requested consents.
    """
    with transaction.atomic():
        give_consents(person=registration.person, texts=[text], now=now)
        registration.requested_consents.remove(
            *registration.requested_consents.filter(purpose=text.purpose)
        )


def register(*, meeting: Meeting, registrant: Registrant, now=None) -> RegistrationResult:
    """Register a person for a meeting: a seat if one is free, else the waitlist.

    One transaction under the meeting's lock. A person known by the e-mail address
    (case-insensitive) is reused and their directory data is left alone; a new person gets
    an unlisted organisation if they named a new one. A second submission for the same
    person changes nothing and re-sends the personal link ("already"), at most once in ten
    minutes; a cancelled registration is taken up again at the end of the queue.

    Side effects: Person/Profile/Organisation (new people only), Registration, Consent rows
    (from a proven address; else the ticked texts wait on the registration for the owner's
    confirmation); after commit one e-mail (confirmation with iCal, waitlist notice, or the
    link again unless it was sent again less than ten minutes ago).
    Raises RegistrationClosed outside the registration window, RegistrationBusy when the
    lock cannot be had in time.
    """
    with LockedMeeting(meeting.pk) as meeting:
        # The time is taken under the lock: the waitlist's order is the order of arrival here.
        now = now or timezone.now()
        if not meeting.registration_is_open(now):
            raise RegistrationClosed(_("Registration for this meeting is closed."))
        person, is_new = _find_or_create_person(registrant)
        existing = Registration.objects.filter(meeting=meeting, person=person).first()
        if existing is not None and existing.status != Status.CANCELLED:
            existing.meeting, existing.person = meeting, person
            sent = _send_link_again(existing, now)
            return RegistrationResult(existing, "already", person_is_new=False, link_sent=sent)
        _promoted, free = _promote(meeting)
        status = Status.CONFIRMED if free > 0 else Status.WAITLISTED
        registration = _take_up(meeting, person, existing, status, registrant.topics, now)
        # Consents count only from the address's owner: a stranger could type anybody's
        # address (and a new one is no proof either), so unproven ones wait for the owner to
        # confirm them through the personal link, which only that address receives.
        applied = registrant.email_proven
        if applied:
            give_consents(person=person, texts=registrant.consent_texts, now=now)
        else:
            registration.requested_consents.set(registrant.consent_texts)
        mail_after_commit(status_mail(registration), registration)
        return RegistrationResult(
            registration, status, person_is_new=is_new, consents_applied=applied
        )


def _send_link_again(registration: Registration, now) -> bool:
    """E-mail the personal link again unless it went out less than ten minutes ago
    (``Registration.RESEND_INTERVAL``); whether it is sent."""
    if not registration.may_resend_link(now):
        return False
    registration.link_resent_at = now
    registration.save(update_fields=["link_resent_at"])
    mail_after_commit(status_mail(registration), registration, again=True)
    return True


def _take_up(meeting, person, existing, status, topics, now) -> Registration:
    if existing is None:
        return Registration.objects.create(
            meeting=meeting, person=person, status=status, topics=topics, created_at=now
        )
    # Back after a cancellation: a new place in the queue, not the old one.
    existing.meeting, existing.person = meeting, person
    existing.status, existing.topics, existing.created_at = status, topics, now
    existing.checked_in_at = None
    existing.save(update_fields=["status", "topics", "created_at", "checked_in_at", "updated_at"])
    return existing


# --- changing and cancelling ------------------------------------------------------------


def update_topics(*, registration: Registration, topics: str) -> None:
    """Side effects: saves the registration's topics."""
    registration.topics = topics
    registration.save(update_fields=["topics", "updated_at"])


def cancel_registration(*, registration: Registration) -> list[Registration]:
    """Cancel a confirmed or waitlisted registration; returns whom its seat went to.

    Under the meeting's lock: a freed seat goes to the head of the waitlist, once (a second
    cancellation of the same registration changes nothing). Side effects: the registration's
    status; the promoted registration's status; after commit a cancellation e-mail and one to
    the promoted person. Raises NotCancellable after the meeting or for a checked-in person.
    """
    with LockedMeeting(registration.meeting_id) as meeting:
        current = (
            Registration.objects.select_for_update()
            .select_related("person")
            .get(pk=registration.pk)
        )
        if current.status == Status.CANCELLED:
            return []
        if current.status not in (Status.CONFIRMED, Status.WAITLISTED) or meeting.is_past:
            raise NotCancellable(_("This registration can no longer be cancelled."))
        was_seated = current.status in Registration.SEATED
        current.status = Status.CANCELLED
        current.save(update_fields=["status", "updated_at"])
        current.meeting = meeting
        mail_after_commit("registration-cancelled", current)
        promoted = _promote(meeting)[0] if was_seated else []
    registration.status = Status.CANCELLED
    return promoted


def set_capacity(*, meeting: Meeting, capacity: int) -> list[Registration]:
    """Change the number of seats; returns who moved up from the waitlist.

    Refused with CapacityBelowSeated (nothing changes) when fewer seats than confirmed
    people would remain. Side effects: the meeting's capacity; promotions as on a
    cancellation, with their e-mails after commit.
    """
    with LockedMeeting(meeting.pk) as locked:
        seated = seated_count(locked)
        if capacity < seated:
            raise CapacityBelowSeated(
                _(
                    "%(seated)s people hold a seat already: the capacity cannot be lower "
                    "than that. Nothing was changed."
                )
                % {"seated": seated}
            )
        locked.capacity = capacity
        locked.save(update_fields=["capacity"])
        promoted, _free = _promote(locked)
    meeting.capacity = capacity
    return promoted
