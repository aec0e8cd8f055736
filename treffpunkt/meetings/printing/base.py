"""The printouts of a meeting as PDFs: station plans for the wall, schedules, name badges.

Only people with a seat (confirmed or attended) get a schedule and a badge. The badge's QR
code holds the check-in link (``Registration.checkin_code``), which only lets an organiser
check the person in; the personal link (``Registration.token``) that changes or cancels a
registration is never printed.

Fonts: DejaVu Sans from the system when it is there (it covers most European names), else
Bitstream Vera, which ships with ReportLab; both are open-licensed and cover German.

The timetable of a meeting (the model has no times per round): a welcome of an eighth of the
meeting in whole five minutes, half an hour at most; then the rounds, of equal length (whole
five minutes from ten minutes on); what is left at the end is the wrap-up, as long as the
welcome or a little longer, where the stations report back and people talk freely. A 14:00 to
18:00 meeting with three rounds: welcome 14:00, rounds 14:30, 15:30, 16:30, wrap-up 17:30.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Protocol
from xml.sax.saxutils import escape

import reportlab
from django.conf import settings
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    KeepInFrame,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
)

from ..models import Assignment, Meeting, Registration, Station

# Fonts, most glyphs first; the last pair ships with ReportLab, so one is always there.
DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
VERA = Path(reportlab.__file__).parent / "fonts"
FONT_CANDIDATES: tuple[tuple[Path, Path], ...] = (
    (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
    (VERA / "Vera.ttf", VERA / "VeraBd.ttf"),
)

# Badges: 2 x 4 per A4 page, 90 x 60 mm each (a common size of badge holders).
BADGE_COLUMNS, BADGE_ROWS = 2, 4
BADGE_WIDTH, BADGE_HEIGHT = 90 * mm, 60 * mm
BADGE_QR_SIZE = 27 * mm
# The QR code as an image: QR_SCALE pixels per module keep its edges sharp in print however
# a viewer scales it (about 150 dpi on the badge); the border is the standard quiet zone.
QR_SCALE, QR_BORDER = 4, 4
# The station plan: up to four stations side by side; more people flow through more columns.
STATIONS_SIDE_BY_SIDE, MAX_COLUMNS = 4, 6
PLAN_TYPE_SCALES = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5)
CELL_PADDING = 8
MARGIN = 15 * mm
PAGE_HEIGHT = A4[1]
INK = colors.HexColor("#1d2430")
MUTED = colors.HexColor("#5a6472")
LINE = colors.HexColor("#b8c0ca")


class Steps(Protocol):
    """What a builder reports while it draws: the pages to come, then each page drawn."""

    def start(self, total: int) -> None: ...

    def step(self, count: int = 1) -> None: ...


class NoSteps:
    def start(self, total: int) -> None:
        pass

    def step(self, count: int = 1) -> None:
        pass


def pdf_fonts() -> tuple[str, str]:
    """The (regular, bold) font names for the PDFs: the first pair whose files exist."""
    return _register_fonts(FONT_CANDIDATES)


@cache
def _register_fonts(candidates: tuple[tuple[Path, Path], ...]) -> tuple[str, str]:
    for regular, bold in candidates:
        if regular.is_file() and bold.is_file():
            for path in (regular, bold):
                pdfmetrics.registerFont(TTFont(path.stem, str(path)))
            return regular.stem, bold.stem
    raise FileNotFoundError("No TrueType font for the PDFs: ReportLab's Vera fonts are missing.")


# ---------------------------------------------------------------------------------------------
# The timetable


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime

    def label(self) -> str:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return f"{formats.time_format(start)}–{formats.time_format(end)}"


@dataclass(frozen=True)
class Timetable:
    welcome: Slot | None
    rounds: list[Slot]
    closing: Slot | None


def _floor_to(minutes: int, step: int) -> int:
    return minutes - minutes % step


def timetable(meeting: Meeting) -> Timetable:
    """Welcome, the rounds of equal length, and the wrap-up in what is left (module docstring)."""
    total = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    welcome = min(30, _floor_to(total // 8, 5))
    length = (total - 2 * welcome) // meeting.rounds
    if length >= 10:
        length = _floor_to(length, 5)
    if length < 1:  # a meeting of a few minutes: no welcome, rounds as long as they can be
        welcome, length = 0, max(1, total // meeting.rounds)
    first = meeting.starts_at + timedelta(minutes=welcome)
    rounds = [
        Slot(first + timedelta(minutes=i * length), first + timedelta(minutes=(i + 1) * length))
        for i in range(meeting.rounds)
    ]
    last_end = rounds[-1].ends_at
    return Timetable(
        welcome=Slot(meeting.starts_at, first) if welcome else None,
        rounds=rounds,
        closing=Slot(last_end, meeting.ends_at) if last_end < meeting.ends_at else None,
    )


# ---------------------------------------------------------------------------------------------
# What the printouts show


@dataclass
class PrintData:
    """Everything a printout needs, in three queries."""

    meeting: Meeting
    times: Timetable
    stations: list[Station]
    people: list[Registration]
    # person id -> round (0-based) -> station, for people with a seat only.
    plan: dict[int, dict[int, Station]] = field(default_factory=dict)

    @property
    def has_plan(self) -> bool:
        return bool(self.plan)

    def groups(self, round_index: int) -> list[tuple[Station, list[Registration]]]:
        """Each station in a round with the people there (its own moderator shown apart)."""
        by_station: dict[int, list[Registration]] = {s.pk: [] for s in self.stations}
        for registration in self.people:
            station = self.plan.get(registration.person_id, {}).get(round_index)
            if station and station.moderator_id != registration.person_id:
                by_station[station.pk].append(registration)
        return [(s, by_station[s.pk]) for s in self.stations]


def load_print_data(meeting: Meeting) -> PrintData:
    stations = list(meeting.stations.select_related("moderator"))
    people = list(
        meeting.registrations.filter(status__in=Registration.SEATED)
        .select_related("person__organisation")
        .order_by("person__last_name", "person__first_name", "pk")
    )
    data = PrintData(meeting, timetable(meeting), stations, people)
    station_by_id = {s.pk: s for s in stations}
    seated = {r.person_id for r in people}
    rows = Assignment.objects.filter(meeting=meeting, round__lt=meeting.rounds).values_list(
        "person_id", "round", "station_id"
    )
    for person_id, round_index, station_id in rows:
        if person_id in seated and station_id in station_by_id:
            data.plan.setdefault(person_id, {})[round_index] = station_by_id[station_id]
    return data


def checkin_url(registration: Registration) -> str:
    """What the badge's QR code holds: the check-in page of this person, nothing else."""
    path = reverse("checkin_code", args=[registration.meeting_id, registration.checkin_code])
    return f"{settings.SITE_URL}{path}"


def organisation_name(registration: Registration) -> str:
    organisation = registration.person.organisation
    return organisation.name if organisation else ""


def meeting_line(meeting: Meeting) -> str:
    """Date, time and place in one line."""
    start, end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
    parts = [
        formats.date_format(start, "DATE_FORMAT"),
        f"{formats.time_format(start)}–{formats.time_format(end)}",
    ]
    if meeting.venue:
        parts.append(meeting.venue)
    if meeting.host_id:
        parts.append(meeting.host.name)
    return " · ".join(parts)


def round_title(data: PrintData, round_index: int) -> str:
    return _("Round %(number)s · %(time)s") % {
        "number": round_index + 1,
        "time": data.times.rounds[round_index].label(),
    }


# ---------------------------------------------------------------------------------------------
# Drawing


class Styles:
    """Paragraph styles in the PDF fonts; sizes in points, large enough to read on a wall."""

    def __init__(self, scale: float = 1.0):
        regular, bold = pdf_fonts()
        self.regular, self.bold = regular, bold

        def style(name: str, size: float, *, font: str = regular, **extra) -> ParagraphStyle:
            size *= scale
            extra.setdefault("leading", size * 1.2)
            extra.setdefault("textColor", INK)
            for space in ("spaceBefore", "spaceAfter"):
                extra[space] = extra.get(space, 0) * scale
            return ParagraphStyle(name, fontName=font, fontSize=size, **extra)

        self.title = style("title", 26, font=bold, spaceAfter=4)
        self.subtitle = style("subtitle", 12, textColor=MUTED, spaceAfter=8)
        self.round = style("round", 34, font=bold, spaceAfter=10)
        self.station = style("station", 22, font=bold, spaceAfter=2)
        self.moderator = style("moderator", 12, textColor=MUTED, spaceAfter=8)
        self.name = style("name", 16, font=bold, leading=16 * scale * 1.15)
        self.organisation = style("organisation", 11.5, textColor=MUTED, spaceAfter=5)
        self.continued = style("continued", 13, font=bold, textColor=MUTED, spaceAfter=6)
        self.notice = style(
            "notice",
            16,
            font=bold,
            borderColor=INK,
            borderWidth=1.5,
            borderPadding=10,
            spaceBefore=14,
            spaceAfter=14,
        )
        self.person = style("person", 30, font=bold, spaceBefore=14)
        self.person_organisation = style("person_organisation", 16, spaceAfter=14)
        self.cell = style("cell", 15)
        self.cell_bold = style("cell_bold", 15, font=bold)
        self.small = style("small", 9, textColor=MUTED)
        # Badges: 90 x 60 mm, read at arm's length.
        self.badge_meeting = style("badge_meeting", 7, textColor=MUTED, spaceAfter=3)
        self.badge_name = style("badge_name", 20, font=bold)
        self.badge_organisation = style("badge_organisation", 10)
        self.badge_round = style("badge_round", 9.5)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text: names are escaped, never read as ReportLab markup."""
    return Paragraph(escape(text), style)


def render_pdf(
    flowables_per_page: list[list], *, pagesize, title: str, footer: str, steps: Steps
) -> bytes:
    """One page per entry: each page's content shrinks to fit when it is too long."""
    buffer = BytesIO()
    margin = MARGIN
    doc = SimpleDocTemplate(
        buffer,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=margin + 4 * mm,
        title=title,
        author="Treffpunkt",
    )
    regular, _bold = pdf_fonts()

    def on_page(canvas: Canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(margin, margin - 2 * mm, footer)
        canvas.restoreState()
        steps.step()

    story: list = []
    for index, flowables in enumerate(flowables_per_page):
        if index:
            story.append(PageBreak())
        story.append(KeepInFrame(doc.width, doc.height, flowables, mode="shrink"))
    steps.start(len(flowables_per_page))
    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def no_plan_notice(styles: Styles) -> Paragraph:
    return para(
        _(
            "There is no rotation plan yet, so the stations are missing here. "
            "Create the plan first, then print again."
        ),
        styles.notice,
    )


# ---------------------------------------------------------------------------------------------
# The station plan: one page per round for the wall
