"""The check-in at the door, made for a phone: search, scan a badge, walk-ins, undo."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import formats, timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treffpunkt.network.models import Organisation

from .. import checkin as service
from ..access import get_meeting_for_checkin, get_registration_for_checkin
from ..forms.checkin import SearchForm, WalkInForm


def _time(moment) -> str:
    return formats.time_format(timezone.localtime(moment))


def _back(request, default: str):
    """Back where the button was pressed (the search results), else to ``default``."""
    target = request.POST.get("next", "")
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if allowed else default)


def _report(request, result: service.CheckinResult) -> None:
    """Tell the organiser what happened, and warn when the seats are more than the capacity."""
    registration = result.registration
    values = {
        "name": registration.person.full_name,
        "time": _time(registration.checked_in_at),
    }
    if result.already:
        messages.info(request, _("%(name)s was already checked in at %(time)s.") % values)
    else:
        messages.success(request, _("%(name)s is checked in (%(time)s).") % values)
    if result.over_capacity and not result.already:
        messages.warning(
            request,
            _("%(seated)s people now have a seat: more than the capacity of %(capacity)s.")
            % {"seated": result.seated, "capacity": result.capacity},
        )


@login_required
def checkin_page(request, pk: int):
    meeting = get_meeting_for_checkin(request.user, pk)
    form = SearchForm(request.GET if "q" in request.GET else None)
    results = service.search(meeting, form.cleaned_data["q"]) if form.is_valid() else None
    context = {
        "meeting": meeting,
        "form": form,
        "results": results,
        "counts": service.counts(meeting),
        "missing": service.missing(meeting),
        "recent": service.recently_checked_in(meeting),
        "here": request.get_full_path(),
    }
    return render(request, "meetings/checkin/checkin.html", context)


@login_required
def checkin_code(request, pk: int, code: str):
    """What a badge's QR code opens: the person, and a button to check them in."""
    meeting = get_meeting_for_checkin(request.user, pk)
    registration = get_registration_for_checkin(request.user, meeting, code)
    here = reverse("checkin_code", args=[meeting.pk, code])
    if request.method == "POST":
        _report(request, service.check_in(registration=registration))
        return _back(request, here)
    context = {"meeting": meeting, "registration": registration, "here": here}
    return render(request, "meetings/checkin/person.html", context)


@login_required
@require_POST
def checkin_undo(request, pk: int, code: str):
    meeting = get_meeting_for_checkin(request.user, pk)
    registration = get_registration_for_checkin(request.user, meeting, code)
    name = registration.person.full_name
    if service.undo_check_in(registration=registration):
        messages.success(request, _("The check-in of %(name)s is undone.") % {"name": name})
    else:
        messages.info(request, _("%(name)s was not checked in.") % {"name": name})
    return _back(request, reverse("checkin_code", args=[meeting.pk, code]))


@login_required
def walk_in(request, pk: int):
    """Somebody came without registering: add them and check them in."""
    meeting = get_meeting_for_checkin(request.user, pk)
    form = WalkInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = service.add_walk_in(
                meeting=meeting,
                walk_in=form.walk_in(),
                allow_over_capacity=form.cleaned_data["allow_over_capacity"],
            )
        except service.OverCapacity as full:
            form.add_error(
                "allow_over_capacity",
                _(
                    "The meeting is full: %(seated)s of %(capacity)s seats are taken. "
                    "Tick the box to add this person all the same."
                )
                % {"seated": full.seated, "capacity": full.capacity},
            )
        else:
            _report(request, result)
            return redirect("checkin", meeting.pk)
    counts = service.counts(meeting)
    context = {
        "meeting": meeting,
        "form": form,
        "full": counts.expected >= meeting.capacity,
        "counts": counts,
        "organisations": Organisation.objects.order_by("name").values_list("name", flat=True),
    }
    return render(request, "meetings/checkin/walk_in.html", context)


urlpatterns = [
    path("meetings/<int:pk>/checkin/", checkin_page, name="checkin"),
    # Before the code's pattern: "walk-in" is no check-in code (those are 16 characters).
    path("meetings/<int:pk>/checkin/walk-in/", walk_in, name="checkin_walk_in"),
    path("meetings/<int:pk>/checkin/<str:code>/", checkin_code, name="checkin_code"),
    path("meetings/<int:pk>/checkin/<str:code>/undo/", checkin_undo, name="checkin_undo"),
]
