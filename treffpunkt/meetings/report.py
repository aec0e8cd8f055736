"""The figures of a meeting report, computed in a fixed number of queries.

Definitions (the report page says them in words too):

- *participants*: registrations with the status "attended";
- *pairs who met*: two people who shared a group in at least one held round (Encounter rows);
- *new contacts*: pairs who met at this meeting and at no earlier meeting (earlier by start);
- *contacts across kinds*: pairs who met whose organisations are of different kinds (a person
  without an organisation counts as "other");
- *confirmed contacts*: pairs of whom at least one confirmed the contact; *mutual* when both did;
- *returning participants*: participants who attended an earlier meeting too.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import OrganisationKind

from .models import ContactConfirmation, Encounter, Meeting, Photo, Registration, StationNote
from .models import Station as StationModel
from .names import full_names, listed_ids, name_pattern, people_of, scrub
from .photos import cleared_photos

Pair = tuple[int, int]
KIND_ORDER: list[str] = list(OrganisationKind.values)
NOT_NAMED = _("not named (not listed in the directory)")


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    count: int


@dataclass(frozen=True)
class MatrixRow:
    """One row of the upper-triangular matrix: cells left of the diagonal are None."""

    kind: str
    label: str
    cells: list[int | None]


@dataclass(frozen=True)
class ReportNote:
    """A station note as the report shows it: the report goes to members, funders and the
    press, so it names only people listed in the directory; other full names of the
    meeting's people in the text read "[Name]"."""

    text: str
    owner_name: str = ""  # "" without an owner; NOT_NAMED for an owner who is not listed


@dataclass
class StationSummary:
    station: StationModel
    moderator_name: str = ""  # "" without a moderator or for one who is not listed
    key_points: list[ReportNote] = field(default_factory=list)
    concerns: list[ReportNote] = field(default_factory=list)
    ideas: list[ReportNote] = field(default_factory=list)
    follow_ups: list[ReportNote] = field(default_factory=list)


@dataclass
class MeetingReport:
    meeting: Meeting
    participants: int
    by_kind: list[KindCount]
    pairs_met: int
    new_contacts: int
    matrix_columns: list[str]
    matrix: list[MatrixRow]
    cross_kind_contacts: int
    confirmed_contacts: int
    mutual_contacts: int
    returning: int
    first_timers: int
    stations: list[StationSummary]
    photos: list[Photo]


def meeting_report(meeting: Meeting) -> MeetingReport:
    """All figures of ``meeting``'s report; eleven queries whatever the meeting's size."""
    kinds, attended, returning = _participants(meeting)
    pairs = _pairs_met(meeting)
    new = pairs - _earlier_pairs(meeting)
    matrix_columns, matrix, across = _kind_matrix(pairs, kinds)
    confirmed, mutual = _confirmed(meeting)
    return MeetingReport(
        meeting=meeting,
        participants=len(attended),
        by_kind=_count_by_kind([kinds[p] for p in attended]),
        pairs_met=len(pairs),
        new_contacts=len(new),
        matrix_columns=matrix_columns,
        matrix=matrix,
        cross_kind_contacts=across,
        confirmed_contacts=confirmed,
        mutual_contacts=mutual,
        returning=len(returning),
        first_timers=len(attended) - len(returning),
        stations=_stations(meeting),
        photos=cleared_photos(meeting),
    )


def _participants(meeting: Meeting) -> tuple[dict[int, str], list[int], set[int]]:
    """Kind of organisation of everybody registered; who attended; who of them came before."""
    came_before = Registration.objects.filter(
        person=OuterRef("person"),
        status=Registration.Status.ATTENDED,
        meeting__starts_at__lt=meeting.starts_at,
    )
    rows = meeting.registrations.annotate(returning=Exists(came_before)).values_list(
        "person_id", "person__organisation__kind", "status", "returning"
    )
    kinds: dict[int, str] = {}
    attended: list[int] = []
    returning: set[int] = set()
    for person, kind, status, came in rows:
        kinds[person] = kind or OrganisationKind.OTHER
        if status == Registration.Status.ATTENDED:
            attended.append(person)
            if came:
                returning.add(person)
    return kinds, attended, returning


def _pairs_met(meeting: Meeting) -> set[Pair]:
    return set(
        Encounter.objects.filter(meeting=meeting).values_list("person_a", "person_b").distinct()
    )


def _earlier_pairs(meeting: Meeting) -> set[Pair]:
    """Pairs of this meeting's registered people who met at an earlier meeting (one query)."""
    people = meeting.registrations.values("person_id")
    return set(
        Encounter.objects.filter(
            meeting__starts_at__lt=meeting.starts_at, person_a__in=people, person_b__in=people
        )
        .values_list("person_a", "person_b")
        .distinct()
    )


def _count_by_kind(kinds: list[str]) -> list[KindCount]:
    """Counts for every kind of organisation, in the directory's order, zeros included."""
    return [
        KindCount(kind, str(label), kinds.count(kind)) for kind, label in OrganisationKind.choices
    ]


def _kind_matrix(pairs: set[Pair], kinds: dict[int, str]) -> tuple[list[str], list[MatrixRow], int]:
    """Pairs by the kinds of the two organisations, for the kinds that occur; and how many
    pairs join two different kinds."""
    counts: dict[tuple[str, str], int] = {}
    for a, b in pairs:
        ka, kb = sorted(
            (kinds.get(a, OrganisationKind.OTHER), kinds.get(b, OrganisationKind.OTHER)),
            key=KIND_ORDER.index,
        )
        counts[ka, kb] = counts.get((ka, kb), 0) + 1
    present = [k for k in KIND_ORDER if any(k in key for key in counts)]
    labels = dict(OrganisationKind.choices)
    heads = [str(labels[k]) for k in present]
    rows = [
        MatrixRow(
            k,
            str(labels[k]),
            [None if j < i else counts.get((k, other), 0) for j, other in enumerate(present)],
        )
        for i, k in enumerate(present)
    ]
    across = sum(n for (ka, kb), n in counts.items() if ka != kb)
    return heads, rows, across


def _confirmed(meeting: Meeting) -> tuple[int, int]:
    """Pairs confirmed by at least one of the two, and by both."""
    said: set[Pair] = set(
        ContactConfirmation.objects.filter(meeting=meeting).values_list("person_id", "contact_id")
    )
    pairs = {tuple(sorted(p)) for p in said}
    mutual = {p for p in pairs if p in said and (p[1], p[0]) in said}
    return len(pairs), len(mutual)


def _stations(meeting: Meeting) -> list[StationSummary]:
    """The stations in their order, each with its notes sorted by kind (four queries)."""
    notes = StationNote.objects.select_related("owner", "owner__organisation")
    stations = meeting.stations.select_related("moderator").prefetch_related(
        Prefetch("notes", queryset=notes)
    )
    by_kind = {
        StationNote.Kind.KEY_POINT: "key_points",
        StationNote.Kind.CONCERN: "concerns",
        StationNote.Kind.IDEA: "ideas",
        StationNote.Kind.FOLLOW_UP: "follow_ups",
    }
    listed = listed_ids(meeting)
    hide = name_pattern(full_names(people_of(meeting).exclude(pk__in=listed)))

    def name(person) -> str:
        if person is None:
            return ""
        return person.full_name if person.pk in listed else str(NOT_NAMED)

    summaries = []
    for station in stations:
        moderator = station.moderator if station.moderator_id in listed else None
        summary = StationSummary(station, moderator_name=name(moderator))
        for note in station.notes.all():
            line = ReportNote(scrub(note.text, hide), name(note.owner))
            getattr(summary, by_kind[note.kind]).append(line)
        summaries.append(summary)
    return summaries
