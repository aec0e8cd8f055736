"""The printouts of a meeting as PDFs (see ``base`` for what is printed and why)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from ..models import Assignment, Meeting
from .badges import badges_pdf, qr_image
from .base import FONT_CANDIDATES, QR_BORDER, QR_SCALE, checkin_url, load_print_data, timetable
from .plans import schedules_pdf, station_plan_pdf

__all__ = [
    "FONT_CANDIDATES",
    "PRINTOUTS",
    "QR_BORDER",
    "QR_SCALE",
    "badges_pdf",
    "checkin_url",
    "load_print_data",
    "make_printout",
    "qr_image",
    "schedules_pdf",
    "station_plan_pdf",
    "timetable",
]


# ---------------------------------------------------------------------------------------------
# The printouts as the organisers start them


@dataclass(frozen=True)
class Printout:
    key: str
    label: str
    description: str
    filename: str
    build: Callable[..., bytes]
    needs_plan: bool


PRINTOUTS: dict[str, Printout] = {
    p.key: p
    for p in (
        Printout(
            "station_plan",
            gettext_lazy("Station plan"),
            gettext_lazy(
                "One landscape A4 page per round for the wall: each station with its people."
            ),
            pgettext_lazy("file name", "station-plan"),
            station_plan_pdf,
            needs_plan=True,
        ),
        Printout(
            "schedules",
            gettext_lazy("Personal schedules"),
            gettext_lazy("One A4 page per participant: times and stations of each round."),
            pgettext_lazy("file name", "schedules"),
            schedules_pdf,
            needs_plan=True,
        ),
        Printout(
            "badges",
            gettext_lazy("Name badges"),
            gettext_lazy(
                "Eight badges of 90 × 60 mm per A4 page with cut marks: name, organisation, "
                "station per round and a QR code for the check-in."
            ),
            pgettext_lazy("file name", "badges"),
            badges_pdf,
            needs_plan=False,
        ),
    )
}


def printout_filename(meeting: Meeting, printout: Printout) -> str:
    return f"{slugify(meeting.title) or meeting.pk}-{printout.filename}.pdf"


def make_printout(*, meeting: Meeting, key: str, progress) -> None:
    """Build one printout for a background job and hand the PDF to the job page.

    Side effects: reports to ``progress`` (a ``jobs.Progress``) per page; stores the PDF as
    the job's result.
    """
    printout = PRINTOUTS[key]
    content = printout.build(meeting, steps=progress)
    message = ngettext("The PDF has %(count)s page.", "The PDF has %(count)s pages.", progress.done)
    message = message % {"count": progress.done}
    if printout.needs_plan and not Assignment.objects.filter(meeting=meeting).exists():
        message = " ".join(
            [
                message,
                _("There is no rotation plan yet: the PDF says so. Print again after planning."),
            ]
        )
    progress.finish(message=message, filename=printout_filename(meeting, printout), content=content)
