"""The station plan for the wall (a page per round) and the personal schedules."""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import (
    Spacer,
    Table,
    TableStyle,
)

from ..models import Meeting, Registration, Station
from .base import (
    CELL_PADDING,
    LINE,
    MARGIN,
    MAX_COLUMNS,
    PAGE_HEIGHT,
    PLAN_TYPE_SCALES,
    STATIONS_SIDE_BY_SIDE,
    NoSteps,
    PrintData,
    Steps,
    Styles,
    load_print_data,
    meeting_line,
    no_plan_notice,
    organisation_name,
    para,
    render_pdf,
    round_title,
)


@dataclass
class Block:
    """Lines that stay together in a column: a person, or a station's heading with its first."""

    station: Station
    flowables: list
    first: bool  # the station's heading is in it

    def widest_word(self) -> float:
        return max(f.minWidth() for f in self.flowables)

    def height(self, width: float) -> float:
        return sum(
            f.wrap(width, PAGE_HEIGHT)[1] + f.getSpaceBefore() + f.getSpaceAfter()
            for f in self.flowables
        )


def _station_blocks(
    station: Station, registrations: list[Registration], styles: Styles
) -> list[Block]:
    heading = [para(station.title, styles.station)]
    if station.moderator:
        name = station.moderator.full_name
        heading.append(para(_("Moderation: %(name)s") % {"name": name}, styles.moderator))
    else:
        heading.append(Spacer(1, 8))
    people = [
        [
            para(r.person.full_name, styles.name),
            para(organisation_name(r) or "–", styles.organisation),
        ]
        for r in registrations
    ] or [[para(_("Nobody in this round."), styles.organisation)]]
    # The heading goes with the first person, so it never ends a column on its own.
    return [Block(station, heading + people[0], True)] + [
        Block(station, person, False) for person in people[1:]
    ]


def _balance(blocks: list[Block], count: int, width: float) -> list[list[Block]]:
    """Fill ``count`` columns in order, each about as high as the others."""
    target = sum(b.height(width) for b in blocks) / count
    columns: list[list[Block]] = [[]]
    filled = 0.0
    for block in blocks:
        height = block.height(width)
        if columns[-1] and filled + height / 2 > target and len(columns) < count:
            columns.append([])
            filled = 0.0
        columns[-1].append(block)
        filled += height
    return columns


def _column(blocks: list[Block], styles: Styles) -> list:
    """A column's flowables; a station that goes on from the column before says so."""
    flowables = []
    if blocks and not blocks[0].first:
        title = _("%(station)s (continued)") % {"station": blocks[0].station.title}
        flowables.append(para(title, styles.continued))
    for block in blocks:
        flowables.extend(block.flowables)
    return flowables


def _fits(columns: list[list[Block]], width: float, height: float) -> bool:
    """Every column within the height, and no word broken for want of width."""
    return all(
        sum(b.height(width) for b in column) <= height
        and all(b.widest_word() <= width for b in column)
        for column in columns
    )


def _round_columns(
    groups: list[tuple[Station, list[Registration]]], width: float, height: float, styles: Styles
) -> list[list[Block]] | None:
    """One column per station when they fit side by side, else the stations flowing through
    more, narrower columns; None when nothing fits in this type size."""
    per_station = [_station_blocks(s, people, styles) for s, people in groups]
    if len(groups) <= STATIONS_SIDE_BY_SIDE and _fits(per_station, width / len(groups), height):
        return per_station
    blocks = [block for station_blocks in per_station for block in station_blocks]
    for count in range(min(len(groups), STATIONS_SIDE_BY_SIDE), MAX_COLUMNS + 1):
        columns = _balance(blocks, count, width / count)
        if _fits(columns, width / count, height):
            return columns
    return None


def _round_table(
    groups: list[tuple[Station, list[Registration]]], width: float, height: float
) -> Table:
    """The stations of a round in the largest type that fits the page."""
    for scale in PLAN_TYPE_SCALES:
        styles = Styles(scale)
        columns = _round_columns(groups, width, height, styles)
        if columns:
            break
    else:  # hundreds in a round: the smallest type, and KeepInFrame shrinks the rest
        columns = _balance(
            [b for s, people in groups for b in _station_blocks(s, people, styles)],
            MAX_COLUMNS,
            width / MAX_COLUMNS,
        )
    count = len(columns)
    table = Table(
        [[_column(c, styles) for c in columns]], colWidths=[width / count] * count, hAlign="LEFT"
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBEFORE", (1, 0), (-1, -1), 0.75, LINE),
                ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
                ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
            ]
        )
    )
    return table


def station_plan_pdf(meeting: Meeting, *, steps: Steps | None = None) -> bytes:
    """The station plan: per round one landscape A4 page with each station and its people."""
    data = load_print_data(meeting)
    styles = Styles()
    pagesize = landscape(A4)
    # What the round's heading and the margins leave; KeepInFrame shrinks whatever is over.
    width, height = pagesize[0] - 2 * MARGIN, pagesize[1] - 2 * MARGIN - 4 * mm - 60
    heading = [para(meeting.title, styles.title), para(meeting_line(meeting), styles.subtitle)]
    if not (data.has_plan and data.stations):
        pages = [[*heading, no_plan_notice(styles)]]
    else:
        pages = [
            [
                para(round_title(data, r), styles.round),
                _round_table(data.groups(r), width - 2 * CELL_PADDING, height),
            ]
            for r in range(meeting.rounds)
        ]
    footer = " · ".join([meeting.title, _("Station plan"), meeting_line(meeting)])
    return render_pdf(
        pages, pagesize=pagesize, title=meeting.title, footer=footer, steps=steps or NoSteps()
    )


# ---------------------------------------------------------------------------------------------
# Personal schedules: one A4 page per person


def _schedule_rows(data: PrintData, registration: Registration, styles: Styles) -> list[list]:
    own = data.plan.get(registration.person_id, {})
    rows = []
    if data.times.welcome:
        rows.append(
            [para(data.times.welcome.label(), styles.cell), para(_("Welcome"), styles.cell), ""]
        )
    for r, slot in enumerate(data.times.rounds):
        station = own.get(r)
        where = station.title if station else "–"
        if station and station.moderator_id == registration.person_id:
            where = _("%(station)s (you moderate)") % {"station": station.title}
        rows.append(
            [
                para(slot.label(), styles.cell),
                para(_("Round %(number)s") % {"number": r + 1}, styles.cell),
                para(where, styles.cell_bold),
            ]
        )
    if data.times.closing:
        rows.append(
            [
                para(data.times.closing.label(), styles.cell),
                para(_("Wrap-up and open exchange"), styles.cell),
                "",
            ]
        )
    return rows


def _station_word(meeting: Meeting) -> str:
    return _("Station") if meeting.format == Meeting.Format.STATIONS else _("Table")


def _schedule_page(data: PrintData, registration: Registration, styles: Styles, width: float):
    meeting = data.meeting
    header = [
        para(_("Time"), styles.small),
        para(_("What"), styles.small),
        para(_station_word(meeting), styles.small),
    ]
    table = Table(
        [header, *_schedule_rows(data, registration, styles)],
        colWidths=[0.24 * width, 0.36 * width, 0.4 * width],
        hAlign="LEFT",
        repeatRows=1,
    )
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    page = [
        para(meeting.title, styles.title),
        para(meeting_line(meeting), styles.subtitle),
        para(registration.person.full_name, styles.person),
        para(organisation_name(registration), styles.person_organisation),
    ]
    if not data.has_plan:
        page.append(no_plan_notice(styles))
    elif registration.person_id not in data.plan:
        page.append(
            para(
                _("You are not in the plan yet: please ask at the welcome desk."),
                styles.notice,
            )
        )
    page.append(table)
    return page


def schedules_pdf(meeting: Meeting, *, steps: Steps | None = None) -> bytes:
    """A personal schedule for each person with a seat: one A4 page each."""
    data = load_print_data(meeting)
    styles = Styles()
    width = A4[0] - 30 * mm
    pages = [_schedule_page(data, registration, styles, width) for registration in data.people]
    if not pages:
        pages = [
            [
                para(meeting.title, styles.title),
                para(_("Nobody has a seat at this meeting yet."), styles.notice),
            ]
        ]
    footer = " · ".join([meeting.title, _("Personal schedule")])
    return render_pdf(
        pages, pagesize=A4, title=meeting.title, footer=footer, steps=steps or NoSteps()
    )


# ---------------------------------------------------------------------------------------------
# Name badges: 2 x 4 per A4 page with cut marks
