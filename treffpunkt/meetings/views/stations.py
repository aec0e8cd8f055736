"""Step 2 of the meeting path: stations from the participants' topics, and station wishes.

Organisers group the topics (``/meetings/<pk>/topics/``; the grouping is a draft in their
session until they create stations), then edit the stations (``/meetings/<pk>/stations/``).
Participants state their station wishes through their personal link (``/r/<token>/wishes/``).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import get_meeting_for_organiser, get_registration_by_token, get_station_for_organiser
from ..forms.stations import (
    AddStationForm,
    GroupCountForm,
    MergeForm,
    MoveForm,
    StationFormSet,
    StationProposalForm,
    WishForm,
)
from ..models import Registration
from ..stations import (
    ConfirmationNeeded,
    add_station,
    capacity_check,
    create_stations,
    delete_station,
    moderator_candidates,
    set_wishes,
    station_dependents,
    stations_with_counts,
    update_stations,
    wish_limit,
    wishes_open,
)
from ..topic_groups import TopicBoard, merge_groups, move_topics, regroup, topic_board
from .personal import personal_page

# --- Topics ------------------------------------------------------------------------------


def _draft_key(meeting) -> str:
    return f"topic-groups-{meeting.pk}"


def _topics_response(request, meeting, board: TopicBoard, status: int = 200, **forms):
    forms.setdefault("count_form", GroupCountForm(board=board, initial={"k": len(board.groups)}))
    forms.setdefault("merge_form", MergeForm(board=board))
    forms.setdefault("move_form", MoveForm(board=board))
    forms.setdefault("proposals", [StationProposalForm(group=group) for group in board.groups])
    move_form = forms["move_form"]
    groups = [
        {
            "group": group,
            "number": number,
            "proposal": proposal,
            "topics": [
                {
                    "registration": registration,
                    "field": move_form[f"topic-{registration.pk}"],
                    "also": board.secondary.get(registration.pk),
                }
                for registration in group.registrations
            ],
        }
        for number, (group, proposal) in enumerate(
            zip(board.groups, forms["proposals"], strict=True), start=1
        )
    ]
    numbers = {group.label: number for number, group in enumerate(board.groups, start=1)}
    context = {
        "meeting": meeting,
        "board": board,
        "groups": groups,
        "numbers": numbers,
        **forms,
    }
    return render(request, "meetings/stations/topics.html", context, status=status)


@never_cache
@login_required
def topics(request: HttpRequest, pk: int) -> HttpResponse:
    """The submitted topics grouped by meaning; POST changes the grouping or makes stations."""
    meeting = get_meeting_for_organiser(request.user, pk)
    key = _draft_key(meeting)
    board = topic_board(meeting=meeting, draft=request.session.get(key))
    if request.method != "POST":
        return _topics_response(request, meeting, board)
    action = request.POST.get("action")
    handler = _ACTIONS.get(action)
    if handler is None:
        messages.error(request, _("Unknown action; please use the buttons on the page."))
        return redirect("meeting_topics", meeting.pk)
    return handler(request, meeting, board, key)


def _regroup(request, meeting, board, key):
    form = GroupCountForm(request.POST, board=board)
    if not form.is_valid():
        return _topics_response(request, meeting, board, status=400, count_form=form)
    try:
        request.session[key] = regroup(meeting=meeting, k=form.cleaned_data["k"])
    except ValidationError as error:
        form.add_error("k", error)
        return _topics_response(request, meeting, board, status=400, count_form=form)
    messages.success(request, _("The topics are grouped afresh."))
    return redirect("meeting_topics", meeting.pk)


def _merge(request, meeting, board, key):
    form = MergeForm(request.POST, board=board)
    if not form.is_valid():
        return _topics_response(request, meeting, board, status=400, merge_form=form)
    data = form.cleaned_data
    try:
        draft = merge_groups(draft=board.draft, source=data["source"], target=data["target"])
    except ValidationError as error:
        form.add_error(None, error)
        return _topics_response(request, meeting, board, status=400, merge_form=form)
    request.session[key] = draft
    messages.success(request, _("The groups are merged."))
    return redirect("meeting_topics", meeting.pk)


def _move(request, meeting, board, key):
    form = MoveForm(request.POST, board=board)
    if not form.is_valid():
        return _topics_response(request, meeting, board, status=400, move_form=form)
    moves = form.moves()
    try:
        request.session[key] = move_topics(draft=board.draft, moves=moves)
    except ValidationError as error:
        form.add_error(None, error)
        return _topics_response(request, meeting, board, status=400, move_form=form)
    count = len(moves)
    messages.success(
        request,
        ngettext("%(count)s topic moved.", "%(count)s topics moved.", count) % {"count": count},
    )
    return redirect("meeting_topics", meeting.pk)


def _create(request, meeting, board, key):
    proposals = [StationProposalForm(request.POST, group=group) for group in board.groups]
    valid = [form.is_valid() for form in proposals]  # every form, so all errors show
    if not all(valid):
        return _topics_response(request, meeting, board, status=400, proposals=proposals)
    drafts = [draft for form in proposals if (draft := form.draft())]
    try:
        created = create_stations(meeting=meeting, drafts=drafts)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _topics_response(request, meeting, board, status=400, proposals=proposals)
    request.session.pop(key, None)
    messages.success(
        request,
        ngettext(
            "%(count)s station created. Now set moderators and capacities.",
            "%(count)s stations created. Now set moderators and capacities.",
            len(created),
        )
        % {"count": len(created)},
    )
    return redirect("meeting_stations", meeting.pk)


def _reset(request, meeting, board, key):
    request.session.pop(key, None)
    messages.success(request, _("Your changes to the groups are undone."))
    return redirect("meeting_topics", meeting.pk)


_ACTIONS = {
    "regroup": _regroup,
    "merge": _merge,
    "move": _move,
    "create": _create,
    "reset": _reset,
}


# --- Stations ----------------------------------------------------------------------------


def _stations_response(request, meeting, *, formset=None, add_form=None, status: int = 200):
    stations = list(stations_with_counts(meeting))
    if formset is None:
        formset = StationFormSet(stations=stations, moderators=moderator_candidates(meeting))
    rows = list(zip(stations, formset.forms, strict=False))
    context = {
        "meeting": meeting,
        "rows": rows,
        "formset": formset,
        "add_form": add_form or AddStationForm(),
        "capacity": capacity_check(meeting, stations),
        "wish_limit": wish_limit(meeting, len(stations)),
        "waitlisted_moderators": [
            s for s in stations if s.moderator_id and s.moderator_id in _waitlisted(formset)
        ],
    }
    return render(request, "meetings/stations/stations.html", context, status=status)


def _waitlisted(formset) -> set[int]:
    return {m.person.pk for m in formset.moderators if m.status == Registration.Status.WAITLISTED}


@never_cache
@login_required
def stations(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's stations: edit title, description, moderator, capacity and order."""
    meeting = get_meeting_for_organiser(request.user, pk)
    if request.method != "POST":
        return _stations_response(request, meeting)
    current = list(stations_with_counts(meeting))
    formset = StationFormSet(
        request.POST, stations=current, moderators=moderator_candidates(meeting)
    )
    if not formset.is_valid():
        return _stations_response(request, meeting, formset=formset, status=400)
    try:
        changed = update_stations(meeting=meeting, changes=formset.changes())
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return _stations_response(request, meeting, formset=formset, status=400)
    messages.success(
        request,
        ngettext("%(count)s station saved.", "%(count)s stations saved.", changed)
        % {"count": changed},
    )
    return redirect("meeting_stations", meeting.pk)


@never_cache
@login_required
@require_POST
def station_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_organiser(request.user, pk)
    form = AddStationForm(request.POST)
    if not form.is_valid():
        return _stations_response(request, meeting, add_form=form, status=400)
    station = add_station(meeting=meeting, draft=form.draft())
    messages.success(request, _("Station “%(title)s” added.") % {"title": station.title})
    return redirect("meeting_stations", meeting.pk)


@never_cache
@login_required
def station_delete(request: HttpRequest, pk: int, station_pk: int) -> HttpResponse:
    """GET asks; POST deletes (a station with plan places, notes or wishes: after confirming)."""
    station = get_station_for_organiser(request.user, pk, station_pk)
    meeting = station.meeting
    if request.method == "POST":
        try:
            delete_station(station=station, confirmed=request.POST.get("confirm") == "yes")
        except ConfirmationNeeded as needed:
            return _confirm_delete(request, station, needed.dependents, status=409)
        messages.success(request, _("Station “%(title)s” deleted.") % {"title": station.title})
        return redirect("meeting_stations", meeting.pk)
    return _confirm_delete(request, station, station_dependents(station))


def _confirm_delete(request, station, dependents, status: int = 200):
    context = {"meeting": station.meeting, "station": station, "dependents": dependents}
    return render(request, "meetings/stations/station_delete.html", context, status=status)


# --- Wishes ------------------------------------------------------------------------------


@personal_page
def wishes(request: HttpRequest, token: str) -> HttpResponse:
    """A participant picks the stations they especially want to visit (personal link)."""
    registration = get_registration_by_token(token)
    meeting = registration.meeting
    station_list = meeting.stations.order_by("position", "pk")
    count = station_list.count()
    limit = wish_limit(meeting, count)
    is_open = wishes_open(registration) and count > 0
    form = WishForm(
        request.POST if request.method == "POST" and is_open else None,
        stations=station_list,
        limit=limit,
        initial={"stations": list(registration.wishes.values_list("pk", flat=True))},
    )
    status = 200
    if request.method == "POST":
        if not is_open:
            messages.error(request, _("Station wishes can no longer be changed."))
            return redirect("registration_wishes", token)
        if form.is_valid():
            try:
                set_wishes(registration=registration, stations=list(form.cleaned_data["stations"]))
            except ValidationError as error:
                form.add_error("stations", error)
            else:
                messages.success(request, _("Your station wishes are saved."))
                return redirect("registration_wishes", token)
        status = 400
    context = {
        "registration": registration,
        "meeting": meeting,
        "token": token,
        "form": form,
        "is_open": is_open,
        "station_count": count,
        "limit": limit,
    }
    return render(request, "meetings/stations/wishes.html", context, status=status)


urlpatterns = [
    path("meetings/<int:pk>/topics/", topics, name="meeting_topics"),
    path("meetings/<int:pk>/stations/", stations, name="meeting_stations"),
    path("meetings/<int:pk>/stations/add/", station_add, name="station_add"),
    path(
        "meetings/<int:pk>/stations/<int:station_pk>/delete/",
        station_delete,
        name="station_delete",
    ),
    path("r/<str:token>/wishes/", wishes, name="registration_wishes"),
]
