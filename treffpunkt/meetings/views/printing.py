"""Printing a meeting's PDFs: started here, made in the background, offered on the job page."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import translation

from ..access import get_meeting_for_organiser
from ..forms.printing import PrintoutForm
from ..jobs import start_job
from ..models import Registration
from ..printing import PRINTOUTS, timetable
from ..tasks import make_printout


def printout_kinds() -> set[str]:
    """The printouts' names in every language: how their jobs are told from others."""
    kinds = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            kinds.update(str(p.label) for p in PRINTOUTS.values())
    return kinds


@login_required
def print_page(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    form = PrintoutForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        printout = PRINTOUTS[form.cleaned_data["printout"]]
        job = start_job(
            meeting=meeting,
            kind=str(printout.label),
            user=request.user,
            task=make_printout,
            key=printout.key,
            language=translation.get_language(),
        )
        return redirect("job", meeting.pk, job.pk)
    context = {
        "meeting": meeting,
        "form": form,
        "printouts": PRINTOUTS.values(),
        "seated": meeting.registrations.filter(status__in=Registration.SEATED).count(),
        "has_plan": meeting.assignments.exists(),
        "times": timetable(meeting),
        "jobs": meeting.jobs.filter(kind__in=printout_kinds())[:10],
    }
    return render(request, "meetings/printing/print.html", context)


urlpatterns = [
    path("meetings/<int:pk>/print/", print_page, name="meeting_print"),
]
