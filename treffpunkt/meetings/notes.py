"""What a dialogue station talked about: its moderator's notes, and follow-ups with an owner."""

from django.db import transaction
from django.db.models import Q, QuerySet

from treffpunkt.network.models import Person

from .models import Meeting, Registration, Station, StationNote


def note_people(meeting: Meeting) -> QuerySet[Person]:
    """Who can own a follow-up: people registered with a seat (or who came) and moderators."""
    return (
        Person.objects.filter(
            Q(registrations__meeting=meeting, registrations__status__in=Registration.SEATED)
            | Q(moderated_stations__meeting=meeting)
        )
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def station_notes(station: Station) -> QuerySet[StationNote]:
    """A station's notes in the order they were written, with author and owner (one query)."""
    return station.notes.select_related("author", "owner", "owner__organisation")


@transaction.atomic
def add_note(
    *, station: Station, author: Person | None, kind: str, text: str, owner: Person | None
) -> StationNote:
    """Record a note of ``station`` written by ``author`` (None for an organiser without person).

    Side effects: creates a StationNote row.
    """
    return StationNote.objects.create(
        station=station, author=author, kind=kind, text=text, owner=owner
    )


@transaction.atomic
def update_note(*, note: StationNote, kind: str, text: str, owner: Person | None) -> None:
    """Change a note's kind, text and owner. Side effects: updates the StationNote row."""
    note.kind, note.text, note.owner = kind, text, owner
    note.save(update_fields=["kind", "text", "owner"])


@transaction.atomic
def delete_note(*, note: StationNote) -> None:
    """Side effects: deletes the StationNote row."""
    note.delete()
