"""The meetings app's entries in the personal-data register (see ``treffpunkt.privacy``)."""

from django.utils.translation import gettext_lazy as _

from treffpunkt.privacy import Category, register

from .models import (
    Assignment,
    ContactConfirmation,
    Encounter,
    Invitation,
    Job,
    Meeting,
    Photo,
    Quote,
    Registration,
    Station,
    StationNote,
)

MEETINGS = _("Art. 6(1)(b) GDPR: registration for the meeting")
TEN_YEARS = _("Ten years after the meeting, for the network's history of who has met")

register.declare(
    Registration,
    subjects=("person",),
    personal={
        "person": Category.PARTICIPATION,
        "meeting": Category.PARTICIPATION,
        "topics": Category.CONTENT,
        "status": Category.PARTICIPATION,
        "created_at": Category.PARTICIPATION,
        "updated_at": Category.PARTICIPATION,
        "checked_in_at": Category.PARTICIPATION,
        "link_resent_at": Category.PARTICIPATION,
        "wishes": Category.PARTICIPATION,
        "requested_consents": Category.CONSENT,
    },
    # Secrets of the personal link and the badge: they identify nobody by themselves.
    other=["id", "token", "checkin_code"],
    purpose=_("Running the meeting: seats, waitlist, check-in"),
    retention=TEN_YEARS,
    legal_basis=MEETINGS,
)
register.declare(
    Assignment,
    subjects=("person",),
    personal={
        "person": Category.PARTICIPATION,
        "meeting": Category.PARTICIPATION,
        "round": Category.PARTICIPATION,
        "station": Category.PARTICIPATION,
    },
    other=["id"],
    purpose=_("The rotation plan: who is at which station in which round"),
    retention=TEN_YEARS,
    legal_basis=MEETINGS,
)
register.declare(
    Encounter,
    subjects=("person_a", "person_b"),
    personal={
        "person_a": Category.PARTICIPATION,
        "person_b": Category.PARTICIPATION,
        "meeting": Category.PARTICIPATION,
        "round": Category.PARTICIPATION,
    },
    other=["id"],
    purpose=_("Planning later meetings so that people meet someone new"),
    retention=TEN_YEARS,
    legal_basis=_("Art. 6(1)(f) GDPR: legitimate interest in new contacts"),
)
register.declare(
    StationNote,
    subjects=("author", "owner"),
    personal={
        "author": Category.CONTENT,
        "owner": Category.CONTENT,
        "text": Category.CONTENT,
        "created_at": Category.CONTENT,
    },
    other=["id", "station", "kind"],
    purpose=_("The record of what a station discussed, for the meeting report"),
    retention=TEN_YEARS,
    legal_basis=MEETINGS,
)
register.declare(
    Station,
    subjects=("moderator",),
    personal={"moderator": Category.PARTICIPATION},
    other=["id", "meeting", "title", "description", "capacity", "position"],
    purpose=_("Naming the moderator of a station"),
    retention=TEN_YEARS,
    legal_basis=MEETINGS,
)
register.declare(
    Meeting,
    subjects=(),
    personal={},
    other=[f.name for f in Meeting._meta.get_fields() if f.concrete],
    purpose="",
    retention="",
    legal_basis="",
)
register.declare(
    Invitation,
    subjects=("person",),
    personal={
        "email": Category.CONTACT,
        "person": Category.CONTACT,
        "meeting": Category.PARTICIPATION,
        "created_at": Category.PARTICIPATION,
        "sent_at": Category.PARTICIPATION,
    },
    other=["id", "token"],
    purpose=_("Inviting members and past participants to a meeting"),
    retention=_("One year after the meeting"),
    legal_basis=_("Art. 6(1)(f) GDPR: legitimate interest in inviting members"),
)
register.declare(
    ContactConfirmation,
    subjects=("person", "contact"),
    personal={
        "person": Category.PARTICIPATION,
        "contact": Category.PARTICIPATION,
        "meeting": Category.PARTICIPATION,
        "created_at": Category.PARTICIPATION,
    },
    other=["id"],
    purpose=_("Counting the contacts a meeting produced, for its report"),
    retention=TEN_YEARS,
    legal_basis=_("Art. 6(1)(a) GDPR: the participant confirms it themselves"),
)
register.declare(
    Photo,
    subjects=("people",),
    personal={"image": Category.PHOTO, "people": Category.PHOTO, "caption": Category.PHOTO},
    other=["id", "meeting", "kind", "uploaded_at"],
    purpose=_("Documenting the meeting; shown in reports only with consent"),
    retention=_("Five years after the meeting, or until consent is withdrawn"),
    legal_basis=_("Art. 6(1)(a) GDPR: consent to photos"),
)
register.declare(
    Quote,
    subjects=("person",),
    personal={
        "person": Category.CONTENT,
        "text": Category.CONTENT,
        "created_at": Category.CONTENT,
    },
    other=["id", "meeting"],
    purpose=_("Quotes in the press release, only with consent"),
    retention=TEN_YEARS,
    legal_basis=_("Art. 6(1)(a) GDPR: consent to be quoted"),
)
register.declare(
    Job,
    subjects=("created_by__person",),
    # Generated files (badges, schedules) carry names; they are removed with the job.
    personal={"created_by": Category.ACCOUNT, "result": Category.PARTICIPATION},
    other=[
        "id",
        "meeting",
        "kind",
        "status",
        "done",
        "total",
        "message",
        "created_at",
        "finished_at",
    ],
    purpose=_("Showing organisers the progress of long work"),
    retention=_("30 days"),
    legal_basis=MEETINGS,
)
