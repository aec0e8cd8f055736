from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.urls import path

from treffpunkt.network.models import Consent

from ..access import get_meeting_for_user
from ..models import Meeting, Registration


def home(request):
    upcoming = (
        Meeting.objects.upcoming()
        .select_related("host")
        .annotate(
            seats_taken=Count(
                "registrations", filter=Q(registrations__status__in=Registration.SEATED)
            )
        )
    )
    past = Meeting.objects.past().select_related("host")[:10]
    return render(request, "meetings/home.html", {"meetings": upcoming, "past_meetings": past})


def meeting_detail(request, pk: int):
    meeting = get_meeting_for_user(request.user, pk)
    stations = meeting.stations.select_related("moderator").prefetch_related(
        Prefetch(
            "moderator__consents",
            queryset=Consent.objects.select_related("text"),
        )
    )
    context = {
        "meeting": meeting,
        "stations": stations,
        "seats_taken": meeting.registrations.filter(status__in=Registration.SEATED).count(),
    }
    if request.user.has_perm("meetings.see_registrations", meeting):
        context["registrations"] = meeting.registrations.select_related(
            "person", "person__organisation"
        )
    return render(request, "meetings/meeting_detail.html", context)


urlpatterns = [
    path("", home, name="home"),
    path("meetings/<int:pk>/", meeting_detail, name="meeting"),
]
