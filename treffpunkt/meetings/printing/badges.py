"""Name badges with a QR code that only checks the person in."""

import math
from io import BytesIO

import segno
from django.utils.translation import gettext as _
from PIL import Image
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Frame,
    KeepInFrame,
)

from ..models import Meeting, Registration
from .base import (
    BADGE_COLUMNS,
    BADGE_HEIGHT,
    BADGE_QR_SIZE,
    BADGE_ROWS,
    BADGE_WIDTH,
    QR_BORDER,
    QR_SCALE,
    NoSteps,
    PrintData,
    Steps,
    Styles,
    checkin_url,
    load_print_data,
    organisation_name,
    para,
)


def qr_image(payload: str) -> Image.Image:
    """The QR code of ``payload`` as a greyscale image (medium error correction, quiet zone)."""
    rows = list(segno.make_qr(payload, error="m").matrix_iter(border=QR_BORDER))
    pixels = bytes(0 if dark else 255 for row in rows for dark in row)
    size = len(rows)
    image = Image.frombytes("L", (size, size), pixels)
    return image.resize((size * QR_SCALE, size * QR_SCALE), Image.Resampling.NEAREST)


def _fitting_size(text: str, font: str, width: float, largest: float, smallest: float) -> float:
    """The largest font size from ``largest`` down to ``smallest`` that fits ``text`` in a line."""
    size = largest
    while size > smallest and pdfmetrics.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _badge_grid_origin() -> tuple[float, float]:
    page_width, page_height = A4
    left = (page_width - BADGE_COLUMNS * BADGE_WIDTH) / 2
    bottom = (page_height - BADGE_ROWS * BADGE_HEIGHT) / 2
    return left, bottom


def _cut_marks(canvas: Canvas) -> None:
    """Ticks in the margins on every cutting line, and a faint outline around each badge."""
    left, bottom = _badge_grid_origin()
    right, top = left + BADGE_COLUMNS * BADGE_WIDTH, bottom + BADGE_ROWS * BADGE_HEIGHT
    gap, tick = 2 * mm, 6 * mm
    canvas.saveState()
    canvas.setStrokeColor(colors.black)
    canvas.setLineWidth(0.5)
    for column in range(BADGE_COLUMNS + 1):
        x = left + column * BADGE_WIDTH
        canvas.line(x, top + gap, x, top + gap + tick)
        canvas.line(x, bottom - gap, x, bottom - gap - tick)
    for row in range(BADGE_ROWS + 1):
        y = bottom + row * BADGE_HEIGHT
        canvas.line(left - gap, y, left - gap - tick, y)
        canvas.line(right + gap, y, right + gap + tick, y)
    canvas.setStrokeColor(colors.HexColor("#dddddd"))
    canvas.setLineWidth(0.25)
    canvas.grid(
        [left + c * BADGE_WIDTH for c in range(BADGE_COLUMNS + 1)],
        [bottom + r * BADGE_HEIGHT for r in range(BADGE_ROWS + 1)],
    )
    canvas.restoreState()


def _badge_rounds(data: PrintData, registration: Registration, styles: Styles) -> list:
    own = data.plan.get(registration.person_id, {})
    if not own:
        return []
    lines = []
    for r in range(data.meeting.rounds):
        station = own.get(r)
        text = _("Round %(number)s: %(station)s") % {
            "number": r + 1,
            "station": station.title if station else "–",
        }
        lines.append(para(text, styles.badge_round))
    return lines


def _draw_badge(
    canvas: Canvas, data: PrintData, registration: Registration, x: float, y: float, styles: Styles
) -> None:
    pad = 4 * mm
    inner = BADGE_WIDTH - 2 * pad
    name = registration.person.full_name
    name_style = ParagraphStyle(
        "badge_name",
        parent=styles.badge_name,
        fontSize=_fitting_size(name, styles.bold, inner - 1, 20, 12),
    )
    name_style.leading = name_style.fontSize * 1.15
    top_height = 26 * mm
    top = Frame(x + pad, y + BADGE_HEIGHT - pad - top_height, inner, top_height, 0, 0, 0, 0)
    top.addFromList(
        [
            KeepInFrame(
                inner,
                top_height,
                [
                    para(data.meeting.title, styles.badge_meeting),
                    para(name, name_style),
                    para(organisation_name(registration), styles.badge_organisation),
                ],
                mode="shrink",
            )
        ],
        canvas,
    )
    rounds = _badge_rounds(data, registration, styles)
    if rounds:
        width, height = inner - BADGE_QR_SIZE - 2 * mm, BADGE_HEIGHT - 2 * pad - top_height
        frame = Frame(x + pad, y + pad, width, height, 0, 0, 0, 0)
        frame.addFromList([KeepInFrame(width, height, rounds, mode="shrink")], canvas)
    canvas.drawImage(
        ImageReader(qr_image(checkin_url(registration))),
        x + BADGE_WIDTH - pad - BADGE_QR_SIZE + 2 * mm,
        y + pad - 2 * mm,
        BADGE_QR_SIZE,
        BADGE_QR_SIZE,
    )


def badges_pdf(meeting: Meeting, *, steps: Steps | None = None) -> bytes:
    """Name badges for each person with a seat: name, organisation, stations, QR for check-in."""
    steps = steps or NoSteps()
    data = load_print_data(meeting)
    styles = Styles()
    per_page = BADGE_COLUMNS * BADGE_ROWS
    pages = max(1, math.ceil(len(data.people) / per_page))
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(meeting.title)
    canvas.setAuthor("Treffpunkt")
    left, bottom = _badge_grid_origin()
    steps.start(pages)
    for page in range(pages):
        _cut_marks(canvas)
        for slot, registration in enumerate(data.people[page * per_page : (page + 1) * per_page]):
            column, row = slot % BADGE_COLUMNS, slot // BADGE_COLUMNS
            x = left + column * BADGE_WIDTH
            y = bottom + (BADGE_ROWS - 1 - row) * BADGE_HEIGHT
            _draw_badge(canvas, data, registration, x, y, styles)
        if not data.people:
            canvas.setFont(styles.bold, 16)
            canvas.drawString(left, A4[1] - 20 * mm, _("Nobody has a seat at this meeting yet."))
        canvas.showPage()
        steps.step()
    canvas.save()
    return buffer.getvalue()
