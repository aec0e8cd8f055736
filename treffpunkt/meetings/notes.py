"""What a dialogue station talked about: its moderator's notes, and follow-ups with an owner."""

from django.db import transaction
from django.db.models import Q, QuerySet

from treffpunkt.network.access import visible_people
from treffpunkt.network.models import Person
from treffpunkt.permissions import is_organiser

from .models import Registration, Station, StationNote


def note_people(station: Station, *, viewer, keep: Person | None = None) -> QuerySet[Person]:
    """Who can own a follow-up of ``station``, as far as ``viewer`` may see them: people
    registered with a seat (or who came) and the meeting's moderators. Only organisers see
    everybody; a moderator sees the people planned at their station (they meet them there),
    people listed in the directory, the moderators, and the owner ``keep`` the note has."""
    meeting = station.meeting
    moderators = Q(moderated_stations__meeting=meeting)
    people = Person.objects.filter(
        Q(registrations__meeting=meeting, registrations__status__in=Registration.SEATED)
        | moderators
    )
    if not is_organiser(viewer):
        seen = Q(pk__in=visible_people(viewer).values("pk")) | moderators
        seen |= Q(pk__in=station.assignments.values("person_id"))
        if keep is not None:
            seen |= Q(pk=keep.pk)
        people = people.filter(seen)
    return (
        people.select_related("organisation").distinct().order_by("last_name", "first_name", "pk")
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
