"""Actions on meetings that span several models."""

from collections.abc import Iterable
from datetime import datetime
from itertools import combinations
from typing import NamedTuple

from django.db import transaction
from django.db.models import Q, QuerySet

from treffpunkt.network.models import Person

from .models import Assignment, Encounter, Meeting, Registration


class PastEncounter(NamedTuple):
    person_a: int
    person_b: int
    meeting_id: int
    round: int
    starts_at: datetime


@transaction.atomic
def record_held_round(*, meeting: Meeting, round_index: int) -> int:
    """Record who met whom in a round as it was held; returns the number of pairs.

    Only people whose registration says they attended count, so a plan that was not held
    (or a no-show in it) leaves no trace. Run it again after a late correction: it replaces
    what was recorded for this round before.

    Side effects: deletes and re-creates the Encounter rows of this meeting and round.
    """
    groups: dict[int, list[int]] = {}
    held = Assignment.objects.filter(
        meeting=meeting,
        round=round_index,
        person__registrations__meeting=meeting,
        person__registrations__status=Registration.Status.ATTENDED,
    ).values_list("station_id", "person_id")
    for station_id, person_id in held:
        groups.setdefault(station_id, []).append(person_id)
    Encounter.objects.filter(meeting=meeting, round=round_index).delete()
    encounters = [
        Encounter(meeting=meeting, round=round_index, person_a_id=a, person_b_id=b)
        for members in groups.values()
        for a, b in combinations(sorted(members), 2)
    ]
    Encounter.objects.bulk_create(encounters, batch_size=5000)
    return len(encounters)


def past_encounters(people: Iterable[int] | QuerySet) -> list[PastEncounter]:
    """Which pairs of ``people`` (ids or a queryset of ids) have met before, and when.

    One query over the (person_a, person_b) index, whatever the number of people.
    """
    if not isinstance(people, QuerySet):
        people = list(people)
    rows = (
        Encounter.objects.filter(person_a__in=people, person_b__in=people)
        .values_list("person_a", "person_b", "meeting_id", "round", "meeting__starts_at")
        .order_by("person_a", "person_b", "meeting__starts_at", "round")
    )
    return [PastEncounter(*row) for row in rows]


def encounters_of(person: Person) -> list[PastEncounter]:
    """Everybody ``person`` has met, with meeting and round; one query."""
    rows = (
        Encounter.objects.filter(Q(person_a=person) | Q(person_b=person))
        .values_list("person_a", "person_b", "meeting_id", "round", "meeting__starts_at")
        .order_by("meeting__starts_at", "round", "person_a", "person_b")
    )
    return [PastEncounter(*row) for row in rows]
