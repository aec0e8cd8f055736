"""Step 3: the rotation plan from the planner, with history, by hand, at the door, by choice."""

import json
import re
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from treffpunkt import planning
from treffpunkt.meetings import planner_texts, rotation
from treffpunkt.meetings.models import Assignment, Encounter, Meeting, Registration, Station
from treffpunkt.meetings.services import record_held_round
from treffpunkt.network.models import Organisation, Person

from .test_pages import client_for

KINDS = ["company", "company", "municipality", "politics"]


@pytest.fixture
def network(db):
    organisations = [
        Organisation.objects.create(name=f"Org {i}", kind=KINDS[i % len(KINDS)]) for i in range(8)
    ]
    return [
        Person.objects.create(
            first_name=f"P{i:02d}",
            last_name=f"Teil{i:02d}",
            email=f"p{i}@example.org",
            organisation=organisations[i % 8],
        )
        for i in range(24)
    ]


def make_meeting(people, *, title="Treffen", days=10, capacity=10, stations=3, rounds=3, **extra):
    starts = timezone.now() + timedelta(days=days)
    meeting = Meeting.objects.create(
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=60,
        status=Meeting.Status.PUBLISHED,
        rounds=rounds,
        **extra,
    )
    for i in range(stations):
        Station.objects.create(
            meeting=meeting, title=f"Station {i + 1}", capacity=capacity, position=i
        )
    for person in people:
        Registration.objects.create(meeting=meeting, person=person)
    return meeting


def groups_of(meeting, round_index):
    groups = {}
    for a in Assignment.objects.filter(meeting=meeting, round=round_index):
        groups.setdefault(a.station_id, set()).add(a.person_id)
    return groups


def test_the_plan_puts_everybody_once_per_round_within_capacity(network):
    meeting = make_meeting(network)

    plan = rotation.create_plan(meeting=meeting)

    for r in range(3):
        placed = Counter(
            Assignment.objects.filter(meeting=meeting, round=r).values_list("person_id", flat=True)
        )
        assert set(placed) == {p.pk for p in network}
        assert set(placed.values()) == {1}
        assert all(len(g) <= 10 for g in groups_of(meeting, r).values())
    assert plan.metrics["new_pairs"] <= plan.metrics["distinct_pairs_met"]
    assert 0 < plan.metrics["new_pairs"] <= plan.metrics["upper_bound_new_pairs"]


def test_moderators_stay_at_their_station(network):
    meeting = make_meeting(network)
    station = meeting.stations.first()
    station.moderator = network[5]
    station.save(update_fields=["moderator"])

    rotation.create_plan(meeting=meeting)

    assert set(
        Assignment.objects.filter(meeting=meeting, person=network[5]).values_list(
            "station_id", flat=True
        )
    ) == {station.pk}


def test_people_who_met_at_an_earlier_meeting_count_as_known(network):
    earlier = make_meeting(
        network[:6], title="Früher", days=-100, stations=1, capacity=10, rounds=1
    )
    Registration.objects.filter(meeting=earlier).update(status=Registration.Status.ATTENDED)
    for person in network[:6]:
        Assignment.objects.create(
            meeting=earlier, round=0, station=earlier.stations.get(), person=person
        )
    record_held_round(meeting=earlier, round_index=0)
    meeting = make_meeting(network)

    request = rotation.planning_request(meeting)
    rotation.create_plan(meeting=meeting)  # the planner takes the pairs as they are

    assert len(request["known_pairs"]) == 15
    assert request["known_pairs"][0] == [f"p{network[0].pk}", f"p{network[1].pk}"]
    assert Assignment.objects.filter(meeting=meeting).count() == 24 * 3


def test_the_planners_safety_stop_is_a_setting_and_the_door_waits_three_seconds_at_most(
    network, settings
):
    meeting = make_meeting(network)

    assert rotation.planning_request(meeting)["time_limit_s"] == 5.0
    assert rotation.planning_request(meeting, time_limit_s=3.0)["time_limit_s"] == 3.0
    settings.PLANNER_TIME_LIMIT_S = 1.5
    assert rotation.planning_request(meeting)["time_limit_s"] == 1.5
    assert rotation.planning_request(meeting, time_limit_s=3.0)["time_limit_s"] == 1.5


def assert_refused(meeting, message: str) -> None:
    """Planning ``meeting`` fails with exactly ``message`` and stores no assignment."""
    with pytest.raises(rotation.RotationError) as error:
        rotation.create_plan(meeting=meeting)
    assert str(error.value) == message
    assert Assignment.objects.filter(meeting=meeting).count() == 0


def test_capacities_too_small_give_a_clear_message_and_change_nothing(network):
    meeting = make_meeting(network, capacity=5)

    assert_refused(
        meeting,
        "24 Personen nehmen teil, aber die Stationen fassen gleichzeitig nur 15: Erhöhen Sie "
        "die Kapazitäten der Stationen oder legen Sie eine Station an. Es wurde nichts geändert.",
    )


def test_the_planners_refusal_is_worded_in_german_with_the_stations_name(network):
    meeting = make_meeting(network[:22])
    Station.objects.filter(meeting=meeting, title="Station 3").update(capacity=4)

    assert_refused(
        meeting,
        "22 Personen müssen Station 3 einmal besuchen, aber über alle Runden hat sie nur "
        "Platz für 12 von ihnen: Erhöhen Sie ihre Kapazität.",
    )


def test_too_few_station_visits_are_refused_in_german(network):
    # 10 seats for 10 people in each round, but two single seats take 2 visits each over
    # both rounds and the big station one per person: 14 visits where 20 are needed.
    meeting = make_meeting(network[:10], capacity=8, rounds=2)
    Station.objects.filter(meeting=meeting).exclude(title="Station 1").update(capacity=1)

    assert_refused(
        meeting,
        "Die Personen brauchen 20 Stationsbesuche, aber die Stationen fassen nur 14, da niemand "
        "eine Station zweimal besucht: Erhöhen Sie die Kapazität der kleinen Stationen oder "
        "planen Sie weniger Runden.",
    )


def test_every_broken_rule_the_planner_reports_has_words_on_the_plan_page():
    schema = json.loads(
        (Path(planning.__file__).parent / "schema" / "plan.schema.json").read_text()
    )
    details = schema["properties"]["metrics"]["properties"]["violation_details"]
    assert set(details["items"]["properties"]["rule"]["enum"]) == set(planner_texts.VIOLATIONS)


def test_a_plan_for_nobody_is_refused_with_a_clear_message(network):
    meeting = make_meeting([])

    assert_refused(
        meeting, "Für dieses Treffen hat noch niemand einen Platz: Es gibt niemanden zu planen."
    )


def test_no_moderator_waits_alone_and_no_station_stays_empty(network):
    # 8 people, 3 stations with room for 10 each: crowding two stations would make more
    # pairs, but every station must have a conversation in every round.
    meeting = make_meeting(network[:8])
    hosted = list(meeting.stations.order_by("position")[:2])
    for station, moderator in zip(hosted, network[:2], strict=True):
        station.moderator = moderator
        station.save(update_fields=["moderator"])

    plan = rotation.create_plan(meeting=meeting)

    for r in range(3):
        sizes = sorted(len(group) for group in groups_of(meeting, r).values())
        assert len(sizes) == 3 and sizes[0] >= 2
    assert plan.metrics["unstaffed_groups"] == 0


def test_emptying_a_station_by_hand_shows_on_the_plan_page(client, organiser, network):
    meeting = make_meeting(network[:6])
    rotation.create_plan(meeting=meeting)
    emptied = meeting.stations.get(title="Station 1")
    target = meeting.stations.get(title="Station 2")
    for a in Assignment.objects.filter(meeting=meeting, round=0, station=emptied):
        rotation.move_person(meeting=meeting, person_id=a.person_id, round_index=0, station=target)

    response = client_for(client, organiser).get(reverse("plan", args=[meeting.pk]))

    assert response.context["plan"].metrics["unstaffed_groups"] == 1
    assert "Stationen, an denen niemand ein Gegenüber hat" in response.content.decode()


def test_moving_a_person_by_hand_keeps_capacity(network):
    meeting = make_meeting(network, capacity=9)
    rotation.create_plan(meeting=meeting)
    full = meeting.stations.get(title="Station 1")
    while Assignment.objects.filter(meeting=meeting, round=0, station=full).count() < 9:
        other = Assignment.objects.filter(meeting=meeting, round=0).exclude(station=full).first()
        rotation.move_person(
            meeting=meeting, person_id=other.person_id, round_index=0, station=full
        )
    outsider = Assignment.objects.filter(meeting=meeting, round=0).exclude(station=full).first()

    with pytest.raises(rotation.RotationError, match="Station 1"):
        rotation.move_person(
            meeting=meeting, person_id=outsider.person_id, round_index=0, station=full
        )


def test_closing_a_round_records_only_who_was_there(network):
    meeting = make_meeting(network)
    rotation.create_plan(meeting=meeting)
    Registration.objects.filter(meeting=meeting).exclude(person=network[0]).update(
        status=Registration.Status.ATTENDED
    )

    rotation.close_round(meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.rounds_held == 1
    assert not Assignment.objects.filter(meeting=meeting, round=0, person=network[0]).exists()
    assert Encounter.objects.filter(meeting=meeting, round=0).exists()
    assert not Encounter.objects.filter(person_a=network[0]).exists()
    assert not Encounter.objects.filter(person_b=network[0]).exists()


def test_a_round_cannot_be_closed_before_anybody_is_checked_in(network):
    meeting = make_meeting(network)
    rotation.create_plan(meeting=meeting)

    with pytest.raises(rotation.RotationError, match="Von Runde 1 ist noch niemand eingecheckt"):
        rotation.close_round(meeting=meeting)

    meeting.refresh_from_db()
    assert meeting.rounds_held == 0
    assert Assignment.objects.filter(meeting=meeting, round=0).count() == 24


def test_a_station_for_one_person_is_planned_without_complaint(network):
    meeting = make_meeting(network[:7], capacity=3)
    Station.objects.create(meeting=meeting, title="Einzelgespräch", capacity=1, position=9)

    plan = rotation.create_plan(meeting=meeting)

    assert plan.metrics["new_pairs"] > 0


def test_replan_keeps_the_held_round_and_plans_a_late_arrival_in(network):
    meeting = make_meeting(network[:20])
    rotation.create_plan(meeting=meeting)
    Registration.objects.filter(meeting=meeting).update(status=Registration.Status.ATTENDED)
    rotation.close_round(meeting=meeting)
    held = groups_of(meeting, 0)
    late = Registration.objects.create(
        meeting=meeting, person=network[20], status=Registration.Status.ATTENDED
    )
    Registration.objects.filter(meeting=meeting, person=network[3]).update(
        status=Registration.Status.NO_SHOW
    )

    rotation.replan_remaining(meeting=meeting)

    assert groups_of(meeting, 0) == held
    later = set(
        Assignment.objects.filter(meeting=meeting, round__gte=1).values_list("person_id", flat=True)
    )
    assert late.person_id in later
    assert network[3].pk not in later


def test_a_re_plan_at_the_door_before_round_one_leaves_the_no_show_out_of_the_figures(network):
    meeting = make_meeting(network[:13])
    created = rotation.create_plan(meeting=meeting)
    Registration.objects.filter(meeting=meeting).exclude(person=network[0]).update(
        status=Registration.Status.ATTENDED
    )

    replanned = rotation.replan_remaining(meeting=meeting)
    shown = rotation.current_plan(meeting)

    assert shown.metrics["violations"] == []
    assert shown.metrics["upper_bound_new_pairs"] == replanned.metrics["upper_bound_new_pairs"]
    assert shown.metrics["upper_bound_new_pairs"] < created.metrics["upper_bound_new_pairs"]
    assert not Assignment.objects.filter(meeting=meeting, person=network[0]).exists()


def test_the_plan_page_names_the_people_and_stations_of_a_broken_rule(client, organiser, network):
    meeting = make_meeting(network[:12])
    rotation.create_plan(meeting=meeting)
    first = Assignment.objects.get(meeting=meeting, person=network[0], round=0).station
    rotation.move_person(meeting=meeting, person_id=network[0].pk, round_index=1, station=first)

    response = client_for(client, organiser).get(reverse("plan", args=[meeting.pk]))

    assert response.context["violations"] == [f"P00 Teil00 besucht {first.title} zweimal."]
    # The planner's id for the person ("p<pk>") must not leak; as a whole word,
    # since the random CSRF token may contain the same letters.
    assert not re.search(rf"\bp{network[0].pk}\b", response.content.decode())


def test_the_plan_page_names_a_person_with_a_seat_but_no_station(client, organiser, network):
    meeting = make_meeting(network[:12])
    rotation.create_plan(meeting=meeting)
    Registration.objects.create(meeting=meeting, person=network[12])

    response = client_for(client, organiser).get(reverse("plan", args=[meeting.pk]))

    # Rounds counted from 1, as everywhere on the pages (the planner counts from 0).
    assert response.context["violations"] == [
        f"Runde {r}: P12 Teil12 ist da, hat aber keine Station." for r in (1, 2, 3)
    ]


def test_the_plan_page_shows_figures_and_groups_to_the_organiser(client, organiser, network):
    meeting = make_meeting(network)
    rotation.create_plan(meeting=meeting)

    response = client_for(client, organiser).get(reverse("plan", args=[meeting.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Neue Kontakte" in html
    assert f"{response.context['plan'].metrics['upper_bound_new_pairs']} möglich" in html
    assert "Runde 3" in html
    assert "P00 Teil00" in html
    per_person = response.context["new_contacts"]
    assert len(per_person) == 24
    assert per_person[0][1] == response.context["plan"].metrics["fewest_new_contacts"]
    assert "Wer wie viele neue Menschen trifft" in html


def test_creating_the_plan_through_the_page(client, organiser, network):
    meeting = make_meeting(network)

    response = client_for(client, organiser).post(
        reverse("plan_create", args=[meeting.pk]), follow=True
    )

    assert Assignment.objects.filter(meeting=meeting).count() == 72
    assert "Der Plan bringt" in response.content.decode()


def test_a_rejected_plan_request_shows_the_reason_and_changes_nothing(client, organiser, network):
    meeting = make_meeting(network, capacity=5)

    response = client_for(client, organiser).post(
        reverse("plan_create", args=[meeting.pk]), follow=True
    )

    assert Assignment.objects.filter(meeting=meeting).count() == 0
    assert 'class="error"' in response.content.decode()


@pytest.mark.parametrize("role", ["member", "moderator", "guest", "outsider"])
def test_only_organisers_plan(client, request, role, network):
    meeting = make_meeting(network)
    user_client = client_for(client, request.getfixturevalue(role))

    page = user_client.get(reverse("plan", args=[meeting.pk]))
    action = user_client.post(reverse("plan_create", args=[meeting.pk]))

    assert (page.status_code, action.status_code) == (403, 403)
    assert Assignment.objects.filter(meeting=meeting).count() == 0


def test_anonymous_is_sent_to_the_login(client, network):
    meeting = make_meeting(network)

    response = client.get(reverse("plan", args=[meeting.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_rounds_out_of_range_are_refused(client, organiser, network):
    meeting = make_meeting(network)

    response = client_for(client, organiser).post(
        reverse("plan_settings", args=[meeting.pk]),
        {"rounds": "0", "rotation": "planned"},
        follow=True,
    )

    meeting.refresh_from_db()
    assert meeting.rounds == 3
    assert "zwischen 1 und 20 Runden" in response.content.decode()


def test_free_choice_fills_stations_up_to_capacity(network):
    meeting = make_meeting(network[:4], capacity=1, rotation=Meeting.Rotation.FREE_CHOICE)
    first, second = Registration.objects.filter(meeting=meeting)[:2]
    station = meeting.stations.first()

    rotation.choose_stations(registration=first, choices={0: station.pk})
    with pytest.raises(rotation.RotationError, match="Station 1"):
        rotation.choose_stations(registration=second, choices={0: station.pk})

    assert list(Assignment.objects.filter(meeting=meeting).values_list("person_id", flat=True)) == [
        first.person_id
    ]


def test_free_choice_visits_each_station_once_in_stations_mode(network):
    meeting = make_meeting(network[:4], rotation=Meeting.Rotation.FREE_CHOICE)
    registration = Registration.objects.filter(meeting=meeting).first()
    station = meeting.stations.first()

    with pytest.raises(rotation.RotationError):
        rotation.choose_stations(registration=registration, choices={0: station.pk, 1: station.pk})

    assert Assignment.objects.filter(meeting=meeting).count() == 0


def test_free_choice_page_through_the_personal_link(client, network):
    meeting = make_meeting(network[:4], rotation=Meeting.Rotation.FREE_CHOICE)
    registration = Registration.objects.filter(meeting=meeting).first()
    stations = list(meeting.stations.all())

    response = client.post(
        reverse("choose", args=[registration.token]),
        {"round_0": stations[2].pk, "round_1": stations[0].pk, "round_2": ""},
        follow=True,
    )

    assert dict(
        Assignment.objects.filter(person=registration.person).values_list("round", "station_id")
    ) == {
        0: stations[2].pk,
        1: stations[0].pk,
    }
    assert "Ihre Auswahl ist gespeichert." in response.content.decode()
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    assert response.redirect_chain[-1][0] == reverse("choose", args=[registration.token])


def test_a_wrong_personal_link_is_not_found(client, db):
    assert client.get(reverse("choose", args=["nicht-der-richtige"])).status_code == 404
