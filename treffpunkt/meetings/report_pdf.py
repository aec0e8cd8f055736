"""The meeting report as an A4 PDF (ReportLab), with the same content as the report page."""

import io
from collections.abc import Callable
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    Image,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from .models import Photo
from .report import MeetingReport, StationSummary

STYLES = getSampleStyleSheet()
TABLE_STYLE = TableStyle(
    [
        ("FONT", (0, 0), (-1, -1), "Helvetica", 9),
        ("FONT", (0, 0), (-1, 0), "Helvetica-Bold", 9),
        ("FONT", (0, 0), (0, -1), "Helvetica-Bold", 9),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
)
PHOTO_WIDTH = 16 * cm
BULLET = STYLES["BodyText"].clone("bullet", leftIndent=12, bulletIndent=0)


def render_report_pdf(report: MeetingReport, *, step: Callable[[], None] = lambda: None) -> bytes:
    """The report as PDF bytes; calls ``step()`` after the figures, each station and photo."""
    story = [*_heading(report), *_figures(report)]
    step()
    for summary in report.stations:
        story.extend(_station(summary))
        step()
    for index, photo in enumerate(report.photos):
        # The heading travels with the first photo, never alone at the foot of a page.
        heading = [_text(_("Photos"), "Heading2")] if index == 0 else []
        story.append(_photo(photo, heading))
        step()
    output = io.BytesIO()
    document = SimpleDocTemplate(
        output,
        pagesize=A4,
        title=f"{_('Meeting report')}: {report.meeting.title}",
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=2 * cm,
        bottomMargin=2 * cm,
    )
    document.build(story)
    return output.getvalue()


def report_steps(report: MeetingReport) -> int:
    """How many times ``render_report_pdf`` calls ``step``: the job's total."""
    return 1 + len(report.stations) + len(report.photos)


def _text(value, style: str = "BodyText") -> Paragraph:
    return Paragraph(escape(str(value)), STYLES[style])


def _heading(report: MeetingReport) -> list:
    meeting = report.meeting
    when = formats.date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT")
    facts = [[_("When"), when]]
    if meeting.host:
        facts.append([_("Host"), meeting.host.name])
    if meeting.venue:
        facts.append([_("Venue"), meeting.venue])
    return [
        _text(_("Meeting report"), "Heading3"),
        _text(meeting.title, "Title"),
        _table(facts, header=False, widths=[4 * cm, 13 * cm]),
    ]


def _figures(report: MeetingReport) -> list:
    by_kind = [[_("Kind of organisation"), _("Participants")]]
    by_kind += [[k.label, k.count] for k in report.by_kind]
    by_kind.append([_("Total"), report.participants])
    contacts = [
        [_("Figure"), _("Number")],
        [_("Pairs who met in a group"), report.pairs_met],
        [_("New contacts (met for the first time)"), report.new_contacts],
        [_("Contacts across kinds of organisation"), report.cross_kind_contacts],
        [_("Confirmed contacts"), report.confirmed_contacts],
        [_("of them confirmed by both"), report.mutual_contacts],
        [_("Returning participants"), report.returning],
        [_("First-timers"), report.first_timers],
    ]
    story = [
        _text(_("Participants by kind of organisation"), "Heading2"),
        _table(by_kind),
        _text(_("Contacts"), "Heading2"),
        _table(contacts),
    ]
    if report.matrix:
        matrix = [["", *report.matrix_columns]]
        matrix += [
            [row.label, *("" if c is None else c for c in row.cells)] for row in report.matrix
        ]
        story += [
            _text(_("Pairs who met, by kind of organisation"), "Heading3"),
            _table(matrix, font_size=8),
        ]
    return story


def _station(summary: StationSummary) -> list:
    station = summary.station
    parts = [_text(station.title, "Heading2")]
    if summary.moderator_name:
        parts.append(_text(_("Moderated by %(name)s") % {"name": summary.moderator_name}))
    sections = [
        (_("Key points"), summary.key_points),
        (_("Concerns"), summary.concerns),
        (_("Ideas"), summary.ideas),
        (_("Follow-ups"), summary.follow_ups),
    ]
    for title, notes in sections:
        if not notes:
            continue
        parts.append(_text(title, "Heading4"))
        for note in notes:
            line = note.text
            if note.owner_name:
                line += " – " + _("owner: %(name)s") % {"name": note.owner_name}
            parts.append(Paragraph(escape(line), BULLET, bulletText="–"))
    if len(parts) == 1 + bool(summary.moderator_name):
        parts.append(_text(_("No notes were recorded.")))
    return [KeepTogether(parts[:3]), *parts[3:], Spacer(1, 0.3 * cm)]


def _photo(photo: Photo, heading: list) -> KeepTogether:
    with photo.image.open("rb") as file:
        data = io.BytesIO(file.read())
    image = Image(data)
    scale = min(PHOTO_WIDTH / image.imageWidth, (12 * cm) / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
    caption = f"{photo.get_kind_display()}: {photo.caption}" if photo.caption else ""
    caption = _text(caption or photo.get_kind_display())
    return KeepTogether([*heading, image, caption, Spacer(1, 0.3 * cm)])


def _table(rows: list[list], *, header: bool = True, widths=None, font_size: int = 9) -> Table:
    cells = [
        [_cell(value, font_size, bold=header and i == 0) for value in row]
        for i, row in enumerate(rows)
    ]
    table = Table(cells, colWidths=widths, hAlign="LEFT", repeatRows=1 if header else 0)
    table.setStyle(TABLE_STYLE)
    return table


def _cell(value, font_size: int, *, bold: bool) -> Paragraph | str:
    if isinstance(value, int):
        return str(value)
    font = "Helvetica-Bold" if bold else "Helvetica"
    style = STYLES["BodyText"].clone(
        "cell", fontName=font, fontSize=font_size, leading=font_size + 2
    )
    return Paragraph(escape(str(value)), style)
