"""Planning who is at which station in which round, with the network's whole history.

The planner (``treffpunkt.planning``) knows nothing of the database: this module builds its
request from a meeting (participants, stations, moderators, wishes, who has met before at
earlier meetings, the rounds already held), stores the plan it returns as Assignment rows,
and asks it for the metrics of the plan as it stands, also after an organiser moved someone.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from treffpunkt import planning

from .models import Assignment, Meeting, Registration, Station
from .services import past_encounters, record_held_round

MIN_GROUP = 2
WISH_WEIGHT = 2
# The plan made before the meeting searches three times as long as the command line's default:
# 1-2 s for up to 300 people, for 1-4 % more new contacts where no construction reaches the
# bound (stations of unequal size: 171 people at 9 stations of 9-26 for 5 rounds, 7,079 -> 7,351;
# docs/planning.md). At the door (rounds held) speed comes first.
ADVANCE_EFFORT = 3.0
AT_THE_DOOR_S = 3.0  # the re-plan's safety stop: people are waiting


class RotationError(Exception):
    """The plan cannot be made or changed as asked; the message says what to fix."""


def _full(title: str, round_index: int) -> str:
    return _("%(station)s is full in round %(number)s.") % {
        "station": title,
        "number": round_index + 1,
    }


def person_key(person_id: int) -> str:
    return f"p{person_id}"


def station_key(station_id: int) -> str:
    return f"s{station_id}"


def key_id(key: str) -> int:
    return int(key[1:])


@dataclass(frozen=True)
class Plan:
    """The plan of a meeting as stored, with the planner's metrics for it."""

    rounds: list[dict[str, list[str]]]
    metrics: dict


def _participants(meeting: Meeting, *, present_only: bool) -> list[Registration]:
    """Who takes part: before the meeting everybody with a seat, at the door who is there."""
    statuses = [Registration.Status.ATTENDED]
    if not present_only:
        statuses.append(Registration.Status.CONFIRMED)
    return list(
        meeting.registrations.filter(status__in=statuses)
        .select_related("person__organisation")
        .prefetch_related("wishes")
        .order_by("created_at", "pk")
    )


def _held_rounds(meeting: Meeting) -> list[dict[str, list[str]]]:
    """The rounds already held, as they were held (only people who were there)."""
    held: list[dict[str, list[str]]] = [
        {station_key(s.pk): [] for s in meeting.stations.all()} for _ in range(meeting.rounds_held)
    ]
    rows = Assignment.objects.filter(
        meeting=meeting,
        round__lt=meeting.rounds_held,
        person__registrations__meeting=meeting,
        person__registrations__status=Registration.Status.ATTENDED,
    ).values_list("round", "station_id", "person_id")
    for round_index, station_id, person_id in rows:
        held[round_index][station_key(station_id)].append(person_key(person_id))
    return held


def planning_request(
    meeting: Meeting,
    *,
    present_only: bool = False,
    time_limit_s: float | None = None,
    effort: float = 1.0,
) -> dict:
    """The planner's request for ``meeting`` (see docs/planning.md).

    People who met at earlier meetings count as known pairs; moderators stay at their
    station; station wishes become preferences; the rounds held so far are frozen. The
    planner's safety stop is ``time_limit_s``, at most ``settings.PLANNER_TIME_LIMIT_S``.
    """
    stations = list(meeting.stations.select_related("moderator"))
    if not stations:
        raise RotationError(_("The meeting has no stations yet: create them first."))
    at_the_door = present_only or meeting.rounds_held > 0
    registrations = _participants(meeting, present_only=at_the_door)
    _check_seats(registrations, stations, at_the_door=at_the_door)
    held = _held_rounds(meeting)
    in_held_round = [{p for members in r.values() for p in members} for r in held]
    moderators = {s.moderator_id: s for s in stations if s.moderator_id}
    participants = []
    for registration in registrations:
        person = registration.person
        entry = {
            "id": person_key(person.pk),
            "category": person.organisation.kind if person.organisation else "other",
            "preferences": {station_key(s.pk): WISH_WEIGHT for s in registration.wishes.all()},
        }
        if person.organisation_id:
            entry["organisation"] = f"o{person.organisation_id}"
        if person.pk in moderators:
            entry["fixed_station"] = station_key(moderators[person.pk].pk)
        absent = [
            r for r, present in enumerate(in_held_round) if person_key(person.pk) not in present
        ]
        if absent:
            entry["absent_rounds"] = absent
        participants.append(entry)
    person_ids = [r.person_id for r in registrations]
    earlier = [e for e in past_encounters(person_ids) if e.meeting_id != meeting.pk]
    request = {
        "rounds": meeting.rounds,
        "mode": "stations" if meeting.format == Meeting.Format.STATIONS else "tables",
        "stations": [
            {
                "id": station_key(s.pk),
                "name": s.title,
                "capacity": s.capacity,
                "min_size": min(MIN_GROUP, s.capacity),
            }
            for s in stations
        ],
        "participants": participants,
        # Lists, not tuples: the planner takes the request as JSON would give it.
        "known_pairs": [
            [person_key(a), person_key(b)]
            for a, b in sorted({(e.person_a, e.person_b) for e in earlier})
        ],
        "time_limit_s": min(
            math.inf if time_limit_s is None else time_limit_s, settings.PLANNER_TIME_LIMIT_S
        ),
        "seed": meeting.pk,
        "effort": effort,
    }
    if held:
        request["frozen_rounds"] = held
    return request


def _save_rounds(meeting: Meeting, rounds: list[dict[str, list[str]]], *, first_round: int) -> None:
    Assignment.objects.filter(meeting=meeting, round__gte=first_round).delete()
    Assignment.objects.bulk_create(
        Assignment(meeting=meeting, round=r, station_id=key_id(s), person_id=key_id(p))
        for r, groups in enumerate(rounds)
        if r >= first_round
        for s, members in groups.items()
        for p in members
    )


def _check_seats(registrations: list, stations: list, *, at_the_door: bool) -> None:
    """The planner's first two refusals, in the organiser's language and terms."""
    if not registrations:
        if at_the_door:
            raise RotationError(_("Nobody is checked in yet: check the participants in first."))
        raise RotationError(_("Nobody has a seat at this meeting yet: there is nobody to plan."))
    seats = sum(s.capacity for s in stations)
    if len(registrations) > seats:
        raise RotationError(
            _(
                "%(people)s people take part, but the stations hold only %(seats)s at a time: "
                "raise the stations' capacities or add a station. Nothing was changed."
            )
            % {"people": len(registrations), "seats": seats}
        )


def _refusal(error: planning.PlanningError, meeting: Meeting) -> RotationError:
    """The planner's refusal in the organiser's language and names."""
    from . import planner_texts  # it words the keys this module makes

    people = planner_texts.people_named_in([error.details])
    names = planner_texts.key_names(meeting.stations.all(), people)
    return RotationError(planner_texts.refusal_text(error, names))


def _plan_with(request: dict, meeting: Meeting) -> dict:
    try:
        return planning.plan(request)
    except planning.PlanningError as error:
        raise _refusal(error, meeting) from None


@transaction.atomic
def create_plan(*, meeting: Meeting) -> Plan:
    """Plan every round that has not been held yet and store it.

    Before the meeting everybody with a seat is planned; once a round has been held only the
    people checked in are (that is the live re-plan: no-shows drop out, late arrivals join).
    Side effects: replaces the Assignment rows of the rounds not yet held.
    Raises RotationError (nothing changed) when the planner rejects the request.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    effort = ADVANCE_EFFORT if meeting.rounds_held == 0 else 1.0
    result = _plan_with(planning_request(meeting, effort=effort), meeting)
    _save_rounds(meeting, result["rounds"], first_round=meeting.rounds_held)
    return Plan(rounds=result["rounds"], metrics=result["metrics"])


@transaction.atomic
def replan_remaining(*, meeting: Meeting) -> Plan:
    """Re-plan the rounds not yet held around the people who are actually there.

    Side effects: replaces the Assignment rows of the rounds not yet held.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = _plan_with(
        planning_request(meeting, present_only=True, time_limit_s=AT_THE_DOOR_S), meeting
    )
    _save_rounds(meeting, result["rounds"], first_round=meeting.rounds_held)
    return Plan(rounds=result["rounds"], metrics=result["metrics"])


def stored_rounds(meeting: Meeting) -> list[dict[str, list[str]]]:
    """The plan as stored: per round, station key → person keys (every station listed)."""
    rounds: list[dict[str, list[str]]] = [
        {station_key(s.pk): [] for s in meeting.stations.all()} for _ in range(meeting.rounds)
    ]
    rows = Assignment.objects.filter(meeting=meeting, round__lt=meeting.rounds).values_list(
        "round", "station_id", "person_id"
    )
    for round_index, station_id, person_id in rows.order_by("round", "station", "person"):
        rounds[round_index].setdefault(station_key(station_id), []).append(person_key(person_id))
    return rounds


def _replanned_at_the_door(meeting: Meeting) -> bool:
    """Whether the stored plan was made around the people checked in: everybody in it is.

    Before the first round is held a plan otherwise counts everybody with a seat, and the
    no-shows a re-plan at the door left out would show as people without a station.
    """
    planned = Assignment.objects.filter(meeting=meeting).values("person_id")
    return (
        not meeting.registrations.filter(person__in=planned)
        .exclude(status=Registration.Status.ATTENDED)
        .exists()
    )


def current_plan(meeting: Meeting) -> Plan | None:
    """The stored plan with fresh metrics, or None while nothing is planned."""
    if not Assignment.objects.filter(meeting=meeting).exists():
        return None
    request = planning_request(meeting, present_only=_replanned_at_the_door(meeting))
    planned = {p["id"] for p in request["participants"]}
    rounds = [
        {s: [p for p in members if p in planned] for s, members in groups.items()}
        for groups in stored_rounds(meeting)
    ]
    try:
        metrics = planning.evaluate(request, rounds)
    except planning.PlanningError as error:
        raise _refusal(error, meeting) from None
    return Plan(rounds=rounds, metrics=metrics)


@transaction.atomic
def move_person(*, meeting: Meeting, person_id: int, round_index: int, station: Station) -> None:
    """Put a person at another station in one round, by the organiser's hand.

    Side effects: updates (or creates) that person's Assignment of that round. The station
    is locked first so that two organisers cannot fill its last seat at once; a move that
    would overfill it is refused.
    """
    if not 0 <= round_index < meeting.rounds:
        raise RotationError(_("There is no round %(number)s.") % {"number": round_index + 1})
    if round_index < meeting.rounds_held:
        raise RotationError(_("This round has been held already; it cannot change any more."))
    if station.meeting_id != meeting.pk:
        raise RotationError(_("The station belongs to another meeting."))
    Station.objects.select_for_update().get(pk=station.pk)
    seated = Assignment.objects.filter(meeting=meeting, round=round_index, station=station)
    if seated.exclude(person_id=person_id).count() >= station.capacity:
        raise RotationError(_full(station.title, round_index))
    Assignment.objects.update_or_create(
        meeting=meeting, round=round_index, person_id=person_id, defaults={"station": station}
    )


@transaction.atomic
def close_round(*, meeting: Meeting) -> int:
    """Record the next round as held: who was there met whom. Returns the pairs recorded.

    Side effects: drops that round's assignments of people who are not checked in (they
    were not there), records the round's encounters, and counts the round as held, so
    that a re-plan keeps it as it was. Refused while nobody of the round is checked in.
    """
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.rounds_held >= meeting.rounds:
        raise RotationError(_("All rounds have been held."))
    round_index = meeting.rounds_held
    present = meeting.registrations.filter(status=Registration.Status.ATTENDED)
    planned = Assignment.objects.filter(meeting=meeting, round=round_index)
    if not planned.filter(person_id__in=present.values("person_id")).exists():
        # Recording the round now would drop every seat of it: nobody is checked in yet.
        raise RotationError(
            _(
                "Nobody planned for round %(number)s is checked in yet: check the participants "
                "in at the door first. Nothing was changed."
            )
            % {"number": round_index + 1}
        )
    planned.exclude(person_id__in=present.values("person_id")).delete()
    pairs = record_held_round(meeting=meeting, round_index=round_index)
    meeting.rounds_held = round_index + 1
    meeting.save(update_fields=["rounds_held"])
    return pairs


def people_per_round(plan: Plan) -> dict[int, list[int]]:
    """person id → station id per round (None where absent), for the plan page."""
    table: dict[int, list[int | None]] = defaultdict(lambda: [None] * len(plan.rounds))
    for r, groups in enumerate(plan.rounds):
        for s, members in groups.items():
            for p in members:
                table[key_id(p)][r] = key_id(s)
    return dict(table)


@transaction.atomic
def choose_stations(*, registration: Registration, choices: dict[int, int | None]) -> None:
    """Free choice: store the stations a participant picked per round, up to capacity.

    Side effects: creates, changes or removes the participant's Assignment per open round.
    Each chosen station is locked before its seats are counted, so two participants cannot
    take its last seat at once. Raises RotationError (nothing changed) on a full station, a
    station visited twice in stations mode, a held round, or a registration without a seat.
    """
    meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
    if meeting.rotation != Meeting.Rotation.FREE_CHOICE:
        raise RotationError(_("This meeting plans its rotation; there is nothing to choose."))
    if registration.status not in Registration.SEATED:
        raise RotationError(_("Only participants with a seat choose stations."))
    stations = {s.pk: s for s in Station.objects.select_for_update().filter(meeting=meeting)}
    wanted = {r: s for r, s in choices.items() if s is not None}
    if any(s not in stations for s in wanted.values()):
        raise RotationError(_("The station belongs to another meeting."))
    no_revisit = meeting.format == Meeting.Format.STATIONS and meeting.rounds <= len(stations)
    if no_revisit and len(set(wanted.values())) < len(wanted):
        raise RotationError(_("Each station can be chosen for one round only."))
    for round_index, station_id in choices.items():
        if not meeting.rounds_held <= round_index < meeting.rounds:
            raise RotationError(
                _("Round %(number)s cannot be chosen any more.") % {"number": round_index + 1}
            )
        mine = Assignment.objects.filter(
            meeting=meeting, round=round_index, person_id=registration.person_id
        )
        if station_id is None:
            mine.delete()
            continue
        taken = Assignment.objects.filter(meeting=meeting, round=round_index, station_id=station_id)
        if taken.exclude(person_id=registration.person_id).count() >= stations[station_id].capacity:
            raise RotationError(_full(stations[station_id].title, round_index))
        Assignment.objects.update_or_create(
            meeting=meeting,
            round=round_index,
            person_id=registration.person_id,
            defaults={"station_id": station_id},
        )


def full_stations(meeting: Meeting) -> dict[tuple[int, int], bool]:
    """(round, station id) → whether it is full; one query."""
    capacity = dict(meeting.stations.values_list("pk", "capacity"))
    counts = (
        Assignment.objects.filter(meeting=meeting)
        .values_list("round", "station_id")
        .annotate(n=Count("pk"))
    )
    return {(r, s): n >= capacity[s] for r, s, n in counts}
