"""Dialogue stations (created from the topic groups of ``topic_groups.py``), edited by the
organisers, and the participants' station wishes through their personal link."""

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, IntegerField, Max, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from treffpunkt.network.models import Person

from .models import Assignment, Meeting, Registration, Station, StationNote

#: Registrations whose topics count and who may wish or moderate: never cancelled ones.
ACTIVE = (
    Registration.Status.CONFIRMED,
    Registration.Status.WAITLISTED,
    Registration.Status.ATTENDED,
)
#: The most groups the organiser may ask for.
MAX_GROUPS = 12


# --- Stations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class StationDraft:
    """A station to create: from a topic group on the topics page, or added by hand."""

    title: str
    capacity: int
    description: str = ""


def _check_station(title: str, capacity: int) -> None:
    if not title.strip():
        raise ValidationError(_("A station needs a title."), code="title")
    if capacity < 1:
        raise ValidationError(_("The capacity must be at least 1."), code="capacity")


@transaction.atomic
def create_stations(*, meeting: Meeting, drafts: Sequence[StationDraft]) -> list[Station]:
    """Create stations after the meeting's existing ones, in the given order.

    Side effects: one Station row per draft; all or none (a bad draft raises
    ValidationError and creates nothing).
    """
    if not drafts:
        raise ValidationError(_("Choose at least one group to become a station."))
    for draft in drafts:
        _check_station(draft.title, draft.capacity)
    # Lock the meeting so two organisers creating stations at once get distinct positions.
    Meeting.objects.select_for_update().filter(pk=meeting.pk).first()
    start = (meeting.stations.aggregate(top=Max("position"))["top"] or 0) + 1
    return Station.objects.bulk_create(
        Station(
            meeting=meeting,
            title=draft.title.strip(),
            description=draft.description,
            capacity=draft.capacity,
            position=start + offset,
        )
        for offset, draft in enumerate(drafts)
    )


def add_station(*, meeting: Meeting, draft: StationDraft) -> Station:
    """One more station at the end. Side effects: one Station row."""
    return create_stations(meeting=meeting, drafts=[draft])[0]


def _count(model, link: str, **filters) -> Subquery:
    counted = (
        model.objects.filter(**{link: OuterRef("pk")}, **filters)
        .order_by()
        .values(link)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def stations_with_counts(meeting: Meeting) -> QuerySet[Station]:
    """The meeting's stations with their moderator, wish, assignment and note counts; one query."""
    wishes = Registration.wishes.through
    return (
        meeting.stations.select_related("moderator", "moderator__organisation")
        .annotate(
            wish_count=_count(wishes, "station", registration__status__in=ACTIVE),
            assignment_count=_count(Assignment, "station"),
            note_count=_count(StationNote, "station"),
        )
        .order_by("position", "pk")
    )


@dataclass(frozen=True)
class CapacityCheck:
    total: int
    seated: int

    @property
    def shortfall(self) -> int:
        return max(0, self.seated - self.total)


def capacity_check(meeting: Meeting, stations: Sequence[Station]) -> CapacityCheck:
    """Do the stations hold everybody with a seat at once? (A warning, never a block.)"""
    seated = meeting.registrations.filter(status__in=Registration.SEATED).count()
    return CapacityCheck(total=sum(s.capacity for s in stations), seated=seated)


@dataclass(frozen=True)
class Moderator:
    person: Person
    status: str

    @property
    def label(self) -> str:
        name = self.person.full_name
        if self.person.organisation_id:
            name = f"{name} ({self.person.organisation.name})"
        if self.status == Registration.Status.WAITLISTED:
            name = _("%(name)s – waitlisted") % {"name": name}
        return name


def moderator_candidates(meeting: Meeting) -> list[Moderator]:
    """Who may moderate a station: people with an active registration; one query."""
    registrations = (
        meeting.registrations.filter(status__in=ACTIVE)
        .select_related("person", "person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    return [Moderator(r.person, r.status) for r in registrations]


@dataclass(frozen=True)
class StationChange:
    station: Station
    title: str
    description: str
    moderator_id: int | None
    capacity: int
    position: int


@transaction.atomic
def update_stations(*, meeting: Meeting, changes: Sequence[StationChange]) -> int:
    """Save edited stations of ``meeting``; returns how many changed.

    Raises ValidationError (and saves nothing) for a station of another meeting, an empty
    title, a capacity below 1 or a moderator who is not registered for the meeting.
    Side effects: UPDATE of the changed stations' fields.
    """
    registered = set(
        meeting.registrations.filter(status__in=ACTIVE).values_list("person_id", flat=True)
    )
    changed = 0
    for change in changes:
        station = change.station
        if station.meeting_id != meeting.pk:
            raise ValidationError(_("The station belongs to another meeting."))
        _check_station(change.title, change.capacity)
        if change.moderator_id is not None and change.moderator_id not in registered:
            raise ValidationError(
                _("The moderator must be registered for this meeting."), code="moderator"
            )
        fields = {
            "title": change.title.strip(),
            "description": change.description,
            "moderator_id": change.moderator_id,
            "capacity": change.capacity,
            "position": change.position,
        }
        dirty = [name for name, value in fields.items() if getattr(station, name) != value]
        if dirty:
            for name in dirty:
                setattr(station, name, fields[name])
            station.save(update_fields=[n.removesuffix("_id") for n in dirty])
            changed += 1
    return changed


@dataclass(frozen=True)
class Dependents:
    """What hangs off a station and goes with it."""

    assignments: int
    notes: int
    wishes: int

    def __bool__(self) -> bool:
        return bool(self.assignments or self.notes or self.wishes)

    def describe(self) -> list[str]:
        parts = []
        if self.assignments:
            parts.append(
                ngettext(
                    "%(count)s place in the rotation plan",
                    "%(count)s places in the rotation plan",
                    self.assignments,
                )
                % {"count": self.assignments}
            )
        if self.notes:
            parts.append(
                ngettext("%(count)s note", "%(count)s notes", self.notes) % {"count": self.notes}
            )
        if self.wishes:
            parts.append(
                ngettext(
                    "%(count)s participant's wish", "%(count)s participants' wishes", self.wishes
                )
                % {"count": self.wishes}
            )
        return parts


def station_dependents(station: Station) -> Dependents:
    """Assignments, notes and wishes of ``station``; one query."""
    counts = Station.objects.filter(pk=station.pk).aggregate(
        assignments=Count("assignments", distinct=True),
        notes=Count("notes", distinct=True),
        wishes=Count("wished_by", distinct=True),
    )
    return Dependents(**counts)


class ConfirmationNeeded(Exception):
    """Deleting the station would delete what hangs off it; ask first."""

    def __init__(self, dependents: Dependents):
        super().__init__(dependents)
        self.dependents = dependents


@transaction.atomic
def delete_station(*, station: Station, confirmed: bool) -> None:
    """Delete ``station``; with assignments, notes or wishes only when ``confirmed``.

    Raises ConfirmationNeeded (and deletes nothing) otherwise. Side effects: deletes the
    station, its assignments and notes, and the wishes for it.
    """
    locked = Station.objects.select_for_update().filter(pk=station.pk).first()
    if locked is None:
        return
    dependents = station_dependents(locked)
    if dependents and not confirmed:
        raise ConfirmationNeeded(dependents)
    locked.delete()


# --- Wishes ----------------------------------------------------------------------------------


def wish_limit(meeting: Meeting, station_count: int) -> int:
    """How many stations a participant may wish for: one per round, at most all stations."""
    return max(1, min(meeting.rounds, station_count))


def wishes_open(registration: Registration) -> bool:
    """Wishes can change while the registration is active and no round has been held."""
    meeting = registration.meeting
    return (
        registration.status in ACTIVE
        and meeting.status == Meeting.Status.PUBLISHED
        and not meeting.is_past
        and meeting.rounds_held == 0
    )


@transaction.atomic
def set_wishes(*, registration: Registration, stations: Sequence[Station]) -> None:
    """Replace the registration's station wishes.

    Raises ValidationError (and changes nothing) when wishes are closed, a station belongs to
    another meeting, or there are more than ``wish_limit``. Side effects: rows of
    Registration.wishes.
    """
    meeting = registration.meeting
    if not wishes_open(registration):
        raise ValidationError(_("Station wishes can no longer be changed."), code="closed")
    if any(station.meeting_id != meeting.pk for station in stations):
        raise ValidationError(_("The station belongs to another meeting."))
    limit = wish_limit(meeting, meeting.stations.count())
    if len(stations) > limit:
        raise ValidationError(
            ngettext(
                "Choose at most %(limit)s station.", "Choose at most %(limit)s stations.", limit
            )
            % {"limit": limit},
            code="too_many",
        )
    registration.wishes.set(stations)
