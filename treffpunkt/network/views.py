from django.db.models import Prefetch, Q
from django.shortcuts import render

from treffpunkt.meetings.models import Meeting

from .access import get_organisation_for_user, visible_organisations, visible_people
from .models import Consent, OrganisationKind


def organisation_list(request):
    organisations = visible_organisations(request.user)
    kind = request.GET.get("kind", "")
    if kind in OrganisationKind.values:
        organisations = organisations.filter(kind=kind)
    query = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    if query:
        organisations = organisations.filter(
            Q(name__icontains=query) | Q(town__icontains=query) | Q(sector__icontains=query)
        )
    return render(
        request,
        "network/organisation_list.html",
        {
            "organisations": organisations.order_by("name"),
            "kinds": OrganisationKind.choices,
            "kind": kind,
            "query": query,
        },
    )


def organisation_detail(request, pk: int):
    organisation = get_organisation_for_user(request.user, pk)
    people = (
        visible_people(request.user)
        .filter(organisation=organisation)
        .select_related("profile")
        .prefetch_related(
            "profile__interests",
            Prefetch("consents", queryset=Consent.objects.select_related("text")),
        )
    )
    hosted = Meeting.objects.visible_to(request.user).filter(host=organisation)
    return render(
        request,
        "network/organisation_detail.html",
        {"organisation": organisation, "people": people, "hosted_meetings": hosted},
    )
