"""Step 3 of the meeting path: the rotation plan, by planner or by the participants' choice."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treffpunkt.network.models import OrganisationKind, Person

from .. import planner_texts, rotation
from ..access import get_meeting_for_organiser, get_registration_by_token
from ..forms.rotation import ChoiceForm, MoveForm, RotationSettingsForm
from ..models import Registration
from .personal import personal_page


@login_required
def plan_page(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    stations = list(meeting.stations.select_related("moderator"))
    settings_form = RotationSettingsForm(instance=meeting)
    try:
        plan = rotation.current_plan(meeting)
    except rotation.RotationError as error:
        plan = None
        messages.error(request, str(error))
    people = _people_of(plan)
    context = {
        "meeting": meeting,
        "stations": stations,
        "settings_form": settings_form,
        "plan": plan,
        "table": _plan_table(plan, stations, people) if plan else [],
        "new_contacts": _new_contacts(plan, people) if plan else [],
        "violations": _violations(plan, people, stations) if plan else [],
        "move_form": MoveForm(
            people=sorted(people.values(), key=lambda p: (p.last_name, p.first_name)),
            stations=stations,
            rounds=meeting.rounds,
            first_open_round=meeting.rounds_held,
        ),
        "checked_in": meeting.registrations.filter(status=Registration.Status.ATTENDED).count(),
    }
    return render(request, "meetings/rotation/plan.html", context)


def _people_of(plan) -> dict[int, Person]:
    if plan is None:
        return {}
    ids = {
        rotation.key_id(p) for groups in plan.rounds for members in groups.values() for p in members
    }
    return {p.pk: p for p in Person.objects.filter(pk__in=ids).select_related("organisation")}


def _plan_table(plan, stations, people) -> list[dict]:
    """Per round, per station: the people there and the mix of organisation kinds."""
    mix = plan.metrics.get("category_mix", [])
    table = []
    for r, groups in enumerate(plan.rounds):
        row = []
        for station in stations:
            key = rotation.station_key(station.pk)
            members = [
                people[rotation.key_id(p)]
                for p in groups.get(key, [])
                if rotation.key_id(p) in people
            ]
            members.sort(key=lambda p: (p.last_name, p.first_name))
            kinds = mix[r].get(key, {}) if r < len(mix) else {}
            mix_labels = sorted((OrganisationKind(kind).label, n) for kind, n in kinds.items())
            row.append({"station": station, "people": members, "mix": mix_labels})
        table.append({"number": r + 1, "groups": row})
    return table


def _violations(plan, people: dict[int, Person], stations) -> list[str]:
    """The plan's broken rules in the organiser's language, with the names they know."""
    details = plan.metrics["violation_details"]
    # e.g. someone with a seat but no station: not among the plan's people
    unplanned = planner_texts.people_named_in(details, known=people.keys())
    names = planner_texts.key_names(stations, [*people.values(), *unplanned])
    return [planner_texts.violation_text(detail, names) for detail in details]


def _new_contacts(plan, people) -> list[tuple[Person, int]]:
    """Who meets how many people they have not met before, fewest first."""
    counts = plan.metrics.get("new_contacts_per_person") or {}
    rows = [
        (people[rotation.key_id(p)], n) for p, n in counts.items() if rotation.key_id(p) in people
    ]
    return sorted(rows, key=lambda row: (row[1], row[0].last_name))


@login_required
@require_POST
def plan_settings(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    form = RotationSettingsForm(request.POST, instance=meeting)
    if form.is_valid():
        form.save()
        messages.success(request, _("The rotation settings are saved."))
    else:
        for error in form.errors.values():
            messages.error(request, " ".join(error))
    return redirect("plan", meeting.pk)


def _planning_action(action, success_message):
    @login_required
    @require_POST
    def view(request, pk: int):
        meeting = get_meeting_for_organiser(request.user, pk)
        try:
            result = action(meeting=meeting)
        except rotation.RotationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, success_message(result))
        return redirect("plan", meeting.pk)

    return view


def _planned_message(plan) -> str:
    metrics = plan.metrics
    return _("The plan makes %(new)s new contacts (at most %(bound)s are possible).") % {
        "new": metrics["new_pairs"],
        "bound": metrics["upper_bound_new_pairs"],
    }


create_plan = _planning_action(rotation.create_plan, _planned_message)
replan = _planning_action(rotation.replan_remaining, _planned_message)
close_round = _planning_action(
    rotation.close_round,
    lambda pairs: _("The round is recorded as held: %(pairs)s encounters.") % {"pairs": pairs},
)


@login_required
@require_POST
def move(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    stations = list(meeting.stations.all())
    people = Person.objects.filter(
        registrations__meeting=meeting, registrations__status__in=Registration.SEATED
    )
    form = MoveForm(
        request.POST,
        people=people,
        stations=stations,
        rounds=meeting.rounds,
        first_open_round=meeting.rounds_held,
    )
    if not form.is_valid():
        messages.error(request, _("Choose a person, a round that has not been held and a station."))
        return redirect("plan", meeting.pk)
    station = next(s for s in stations if s.pk == form.cleaned_data["station"])
    try:
        rotation.move_person(
            meeting=meeting,
            person_id=form.cleaned_data["person"],
            round_index=form.cleaned_data["round"],
            station=station,
        )
    except rotation.RotationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Moved. The figures below are updated."))
    return redirect("plan", meeting.pk)


@personal_page
def choose(request, token: str):
    """Free choice: the participant picks a station per round through their personal link."""
    registration = get_registration_by_token(token)
    meeting = registration.meeting
    stations = list(meeting.stations.all())
    open_rounds = range(meeting.rounds_held, meeting.rounds)
    mine = dict(
        registration.person.assignments.filter(meeting=meeting).values_list("round", "station_id")
    )
    form = ChoiceForm(
        request.POST or None,
        stations=stations,
        rounds=open_rounds,
        current=mine,
        full=rotation.full_stations(meeting),
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                rotation.choose_stations(registration=registration, choices=form.choices())
            except rotation.RotationError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("Your choice is saved."))
                return redirect("choose", token)
    elif request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    return render(
        request,
        "meetings/rotation/choose.html",
        {"registration": registration, "meeting": meeting, "form": form, "stations": stations},
    )


urlpatterns = [
    path("meetings/<int:pk>/plan/", plan_page, name="plan"),
    path("meetings/<int:pk>/plan/settings/", plan_settings, name="plan_settings"),
    path("meetings/<int:pk>/plan/create/", create_plan, name="plan_create"),
    path("meetings/<int:pk>/plan/replan/", replan, name="plan_replan"),
    path("meetings/<int:pk>/plan/close-round/", close_round, name="plan_close_round"),
    path("meetings/<int:pk>/plan/move/", move, name="plan_move"),
    path("r/<str:token>/choose/", choose, name="choose"),
]
