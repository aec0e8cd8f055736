"""The meetings app's entries in the personal-data register (see ``treffpunkt.privacy``)."""

from django.utils.translation import gettext_lazy as _

from treffpunkt.privacy import Category, register

from .models import Assignment, Encounter, Meeting, Registration, Station, StationNote

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
    },
    other=["id"],
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
