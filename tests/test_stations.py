"""Stations from topics: the organisers' topics and stations pages, participants' wishes."""

from datetime import timedelta

import pytest
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from treffpunkt.meetings.models import Assignment, Meeting, Registration, Station, StationNote

from .conftest import PASSWORD, make_person

Status = Registration.Status

KI_TOPICS = ["KI in der Wartung", "künstliche Intelligenz für die Instandhaltung"]
ENERGY_TOPICS = ["Energiepreise und Stromkosten", "PV-Anlage und Stromspeicher für den Betrieb"]


def login(client, user):
    if user is not None:
        client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def as_role(request, client):
    role = request.param
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return login(client, user)


@pytest.fixture
def organiser_client(client, organiser):
    return login(client, organiser)


def register(meeting, first, topics, status=Status.CONFIRMED, organisation=None):
    person = make_person(first, "Teilnehmer", organisation)
    return Registration.objects.create(meeting=meeting, person=person, topics=topics, status=status)


@pytest.fixture
def topics_meeting(upcoming_meeting, glassworks):
    """Two KI and two energy topics, one without topic, one cancelled, one waitlisted."""
    meeting = upcoming_meeting
    for i, text in enumerate(KI_TOPICS):
        register(meeting, f"Karl{i}", text, organisation=glassworks)
    for i, text in enumerate(ENERGY_TOPICS):
        register(meeting, f"Erna{i}", text, organisation=glassworks)
    register(meeting, "Ohne", "")
    register(meeting, "Storno", "Geheimes Thema Tiefseebergbau", status=Status.CANCELLED)
    register(meeting, "Warte", "Energieeffizienz in der Halle", status=Status.WAITLISTED)
    return meeting


def topics_url(meeting):
    return reverse("meeting_topics", args=[meeting.pk])


def stations_url(meeting):
    return reverse("meeting_stations", args=[meeting.pk])


def group_of(board, first_name):
    return next(
        group
        for group in board.groups
        if any(r.person.first_name == first_name for r in group.registrations)
    )


def html(response) -> str:
    return response.content.decode()


# --- Who may see what ------------------------------------------------------------------------

FORBIDDEN = ["outsider", "guest", "member", "moderator"]


@pytest.mark.parametrize("as_role", FORBIDDEN, indirect=True)
@pytest.mark.parametrize("name", ["meeting_topics", "meeting_stations"])
def test_only_organisers_reach_the_topics_and_stations_pages(as_role, name, topics_meeting):
    response = as_role.get(reverse(name, args=[topics_meeting.pk]))

    assert response.status_code == 403
    assert "KI in der Wartung" not in html(response)


@pytest.mark.parametrize("name", ["meeting_topics", "meeting_stations"])
def test_anonymous_visitors_are_sent_to_the_login(client, name, topics_meeting):
    url = reverse(name, args=[topics_meeting.pk])

    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("as_role", FORBIDDEN, indirect=True)
@pytest.mark.parametrize("name", ["meeting_topics", "meeting_stations"])
def test_a_draft_meeting_is_not_found_for_non_organisers(as_role, name, draft_meeting):
    assert as_role.get(reverse(name, args=[draft_meeting.pk])).status_code == 404


@pytest.mark.parametrize("as_role", ["outsider", "guest", "member", "moderator"], indirect=True)
def test_non_organisers_cannot_change_anything(as_role, topics_meeting, ki_station):
    meeting = topics_meeting
    station_pk = ki_station.pk
    posts = [
        (topics_url(meeting), {"action": "regroup", "k": "1"}),
        (topics_url(meeting), {"action": "create"}),
        (stations_url(meeting), {}),
        (reverse("station_add", args=[meeting.pk]), {"title": "Neu", "capacity": "5"}),
        (reverse("station_delete", args=[meeting.pk, station_pk]), {"confirm": "yes"}),
    ]

    statuses = [as_role.post(url, data).status_code for url, data in posts]

    assert statuses == [403] * 5
    assert list(Station.objects.values_list("title", flat=True)) == ["KI"]


def test_anonymous_visitors_cannot_delete_or_add(client, ki_station):
    meeting = ki_station.meeting
    client.post(reverse("station_delete", args=[meeting.pk, ki_station.pk]), {"confirm": "yes"})
    client.post(reverse("station_add", args=[meeting.pk]), {"title": "Neu", "capacity": "5"})

    assert list(Station.objects.values_list("title", flat=True)) == ["KI"]


def test_a_station_of_another_meeting_is_not_found(organiser_client, ki_station, draft_meeting):
    url = reverse("station_delete", args=[draft_meeting.pk, ki_station.pk])

    response = organiser_client.post(url, {"confirm": "yes"})

    assert response.status_code == 404
    assert Station.objects.filter(pk=ki_station.pk).exists()


# --- The topics page ---------------------------------------------------------------------------


def test_organiser_sees_the_topics_grouped_by_meaning(organiser_client, topics_meeting):
    response = organiser_client.get(topics_url(topics_meeting))
    board = response.context["board"]
    page = html(response)

    ki = group_of(board, "Karl0")
    assert response.status_code == 200
    assert sorted(r.person.first_name for r in ki.registrations) == ["Karl0", "Karl1"]
    assert ki.name.startswith("Künstliche Intelligenz")
    assert sorted(r.person.first_name for r in group_of(board, "Erna0").registrations) == [
        "Erna0",
        "Erna1",
        "Warte",
    ]
    assert [r.person.first_name for r in board.without_topics] == ["Ohne"]
    assert "Themen und Stationen" in page
    assert "Tiefseebergbau" not in page  # cancelled registrations never count
    assert "Warteliste" in page
    # The inputs beside the topics belong to their forms by the form attribute (+1: the button).
    assert page.count('form="create-form"') == 3 * len(board.groups) + 1
    assert page.count('form="move-form"') == 5 + 1


def test_regrouping_into_one_group_keeps_a_draft_in_the_session(organiser_client, topics_meeting):
    response = organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "1"})
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]

    assert response.status_code == 302
    assert [len(group.registrations) for group in board.groups] == [5]
    assert f"topic-groups-{topics_meeting.pk}" in organiser_client.session


@pytest.mark.parametrize("k", ["0", "6", "-1", "zwei", ""])
def test_a_number_of_groups_out_of_range_is_refused(organiser_client, topics_meeting, k):
    response = organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": k})

    assert response.status_code == 400
    assert response.context["count_form"].errors["k"] == [
        "Wählen Sie zwischen 1 und 5 Gruppen."
        if k not in ("zwei", "")
        else "Geben Sie die Zahl der Gruppen als ganze Zahl ein."
    ]
    assert f"topic-groups-{topics_meeting.pk}" not in organiser_client.session


def test_merging_two_groups_makes_one(organiser_client, topics_meeting):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]
    source, target = board.groups[0].label, board.groups[1].label

    response = organiser_client.post(
        topics_url(topics_meeting), {"action": "merge", "source": source, "target": target}
    )
    merged = organiser_client.get(topics_url(topics_meeting)).context["board"]

    assert response.status_code == 302
    assert [(g.label, len(g.registrations)) for g in merged.groups] == [(target, 5)]


def test_merging_a_group_into_itself_is_refused(organiser_client, topics_meeting):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    draft = organiser_client.session[f"topic-groups-{topics_meeting.pk}"]
    label = draft["labels"][next(iter(draft["labels"]))]

    response = organiser_client.post(
        topics_url(topics_meeting), {"action": "merge", "source": label, "target": label}
    )

    assert response.status_code == 400
    assert "Wählen Sie zwei verschiedene Gruppen zum Zusammenlegen." in html(response)
    assert organiser_client.session[f"topic-groups-{topics_meeting.pk}"] == draft


def test_moving_a_topic_to_a_new_group_splits_its_group(organiser_client, topics_meeting):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]
    karl1 = Registration.objects.get(person__first_name="Karl1")
    data = {"action": "move"}
    for group in board.groups:
        for registration in group.registrations:
            data[f"topic-{registration.pk}"] = str(group.label)
    data[f"topic-{karl1.pk}"] = "new"

    response = organiser_client.post(topics_url(topics_meeting), data)
    after = organiser_client.get(topics_url(topics_meeting)).context["board"]

    assert response.status_code == 302
    assert [r.person.first_name for r in group_of(after, "Karl1").registrations] == ["Karl1"]
    assert len(after.groups) == 3


def test_moving_to_a_group_that_does_not_exist_is_refused(organiser_client, topics_meeting):
    karl1 = Registration.objects.get(person__first_name="Karl1")

    response = organiser_client.post(
        topics_url(topics_meeting), {"action": "move", f"topic-{karl1.pk}": "99"}
    )

    assert response.status_code == 400
    assert "Diese Gruppe gibt es nicht mehr; bitte versuchen Sie es noch einmal." in html(response)


def test_a_new_registration_joins_the_most_similar_group_of_the_draft(
    organiser_client, topics_meeting
):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    register(topics_meeting, "Neu", "Maschinelles Lernen und KI für die Wartung")

    board = organiser_client.get(topics_url(topics_meeting)).context["board"]

    assert sorted(r.person.first_name for r in group_of(board, "Neu").registrations) == [
        "Karl0",
        "Karl1",
        "Neu",
    ]


def proposal_data(board, **overrides):
    data = {"action": "create"}
    for group in board.groups:
        prefix = f"group-{group.label}"
        data[f"{prefix}-create"] = "on"
        data[f"{prefix}-title"] = group.name
        data[f"{prefix}-capacity"] = "10"
    data.update(overrides)
    return data


def test_organiser_creates_stations_from_the_groups(organiser_client, topics_meeting):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]
    ki, energy = group_of(board, "Karl0"), group_of(board, "Erna0")
    data = proposal_data(board, **{f"group-{ki.label}-title": "  KI im Betrieb  "})

    response = organiser_client.post(topics_url(topics_meeting), data)

    stations = list(topics_meeting.stations.order_by("position"))
    assert response.status_code == 302
    assert response.url == stations_url(topics_meeting)
    assert {(s.title, s.capacity) for s in stations} == {("KI im Betrieb", 10), (energy.name, 10)}
    assert [s.position for s in stations] == [1, 2]
    assert stations[0].description.startswith("Themen: ")
    assert f"topic-groups-{topics_meeting.pk}" not in organiser_client.session


def test_only_the_chosen_groups_become_stations(organiser_client, topics_meeting):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]
    energy = group_of(board, "Erna0")
    data = proposal_data(board)
    del data[f"group-{energy.label}-create"]

    organiser_client.post(topics_url(topics_meeting), data)

    assert topics_meeting.stations.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("title", "   ", "Eine Station braucht einen Titel."),
        ("capacity", "0", "Die Kapazität muss mindestens 1 sein."),
        ("capacity", "", "Geben Sie eine Kapazität an."),
    ],
)
def test_a_bad_station_proposal_creates_nothing(
    organiser_client, topics_meeting, field, value, message
):
    organiser_client.post(topics_url(topics_meeting), {"action": "regroup", "k": "2"})
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]
    label = board.groups[1].label

    response = organiser_client.post(
        topics_url(topics_meeting), proposal_data(board, **{f"group-{label}-{field}": value})
    )

    assert response.status_code == 400
    assert message in html(response)
    assert topics_meeting.stations.count() == 0


def test_creating_no_station_at_all_says_so(organiser_client, topics_meeting):
    board = organiser_client.get(topics_url(topics_meeting)).context["board"]
    data = {key: value for key, value in proposal_data(board).items() if "-create" not in key}

    response = organiser_client.post(topics_url(topics_meeting), data)

    assert response.status_code == 400
    assert "Wählen Sie mindestens eine Gruppe, die eine Station werden soll." in html(response)


def test_an_unknown_action_changes_nothing(organiser_client, topics_meeting):
    response = organiser_client.post(topics_url(topics_meeting), {"action": "explode"}, follow=True)

    assert "Unbekannte Aktion; bitte nutzen Sie die Schaltflächen der Seite." in html(response)
    assert topics_meeting.stations.count() == 0


def test_a_meeting_without_topics_says_so(organiser_client, upcoming_meeting):
    response = organiser_client.get(topics_url(upcoming_meeting))

    assert response.status_code == 200
    assert "Noch hat niemand ein Thema eingereicht." in html(response)


@pytest.mark.parametrize("count", [1, 3])
def test_topics_page_query_count_does_not_grow(
    organiser_client, upcoming_meeting, django_assert_num_queries, count
):
    for i in range(count):
        register(upcoming_meeting, f"P{i}", KI_TOPICS[i % 2])
    organiser_client.get(topics_url(upcoming_meeting))  # the session exists from here on

    # session, user, meeting, registrations, station count, the network's name
    with django_assert_num_queries(6):
        organiser_client.get(topics_url(upcoming_meeting))


# --- The stations page -------------------------------------------------------------------------


@pytest.fixture
def two_stations(topics_meeting):
    ki = Station.objects.create(meeting=topics_meeting, title="KI", capacity=2, position=1)
    energy = Station.objects.create(meeting=topics_meeting, title="Energie", capacity=2, position=2)
    return ki, energy


def station_data(stations, changes=None):
    """The stations page's form as the browser posts it, with ``changes`` {index: {field: v}}."""
    changes = changes or {}
    data = {
        "form-TOTAL_FORMS": str(len(stations)),
        "form-INITIAL_FORMS": str(len(stations)),
    }
    for i, station in enumerate(stations):
        values = {
            "station": station.pk,
            "title": station.title,
            "description": station.description,
            "moderator": station.moderator_id or "",
            "capacity": station.capacity,
            "position": station.position,
        }
        values.update(changes.get(i, {}))
        for name, value in values.items():
            data[f"form-{i}-{name}"] = value
    return data


def test_stations_page_lists_stations_with_wishes_and_warns_about_capacity(
    organiser_client, two_stations
):
    ki, energy = two_stations
    karl = Registration.objects.get(person__first_name="Karl0")
    karl.wishes.set([ki])
    Registration.objects.get(person__first_name="Storno").wishes.set([ki, energy])

    response = organiser_client.get(stations_url(ki.meeting))
    page = html(response)

    rows = [(s.title, s.wish_count) for s, _form in response.context["rows"]]
    assert rows == [("KI", 1), ("Energie", 0)]
    assert response.context["capacity"].shortfall == 1  # 5 confirmed, 4 seats
    assert "Die Stationen fassen 4 Personen gleichzeitig; 5 Teilnehmende sind bestätigt." in page
    assert "1 Platz zu wenig" in page


def test_no_capacity_warning_when_the_stations_hold_everybody(organiser_client, two_stations):
    ki, _energy = two_stations
    ki.capacity = 3
    ki.save(update_fields=["capacity"])

    response = organiser_client.get(stations_url(ki.meeting))

    assert response.context["capacity"].shortfall == 0
    assert "zu wenig" not in html(response)


def test_organiser_edits_title_moderator_capacity_and_order(organiser_client, two_stations):
    ki, energy = two_stations
    karl = Registration.objects.get(person__first_name="Karl0").person
    data = station_data(
        [ki, energy],
        {
            0: {"title": "KI in der Praxis", "moderator": karl.pk, "capacity": 4, "position": 3},
            1: {"description": "Strom und Wärme"},
        },
    )

    response = organiser_client.post(stations_url(ki.meeting), data)

    ki.refresh_from_db()
    energy.refresh_from_db()
    assert response.status_code == 302
    assert (ki.title, ki.moderator, ki.capacity, ki.position) == ("KI in der Praxis", karl, 4, 3)
    assert energy.description == "Strom und Wärme"
    assert [s.title for s in ki.meeting.stations.order_by("position")] == [
        "Energie",
        "KI in der Praxis",
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"capacity": "0"}, "Die Kapazität muss mindestens 1 sein."),
        ({"title": "  "}, "Eine Station braucht einen Titel."),
        ({"moderator": "OUTSIDER"}, "Die Moderation muss für dieses Treffen angemeldet sein."),
        ({"moderator": "CANCELLED"}, "Die Moderation muss für dieses Treffen angemeldet sein."),
        ({"station": "OTHER"}, "Die Stationen haben sich inzwischen geändert;"),
    ],
)
def test_bad_station_edits_are_refused_and_change_nothing(
    organiser_client, two_stations, member, ki_station, change, message
):
    ki, energy = two_stations
    value = next(iter(change.values()))
    if value == "OUTSIDER":
        change = {"moderator": member.person.pk}
    elif value == "CANCELLED":
        change = {"moderator": Registration.objects.get(person__first_name="Storno").person_id}
    elif value == "OTHER":
        change = {"station": ki_station.pk}
    data = station_data([ki, energy], {0: {**change, "position": 9}})

    response = organiser_client.post(stations_url(ki.meeting), data)

    ki.refresh_from_db()
    assert response.status_code == 400
    assert message in html(response)
    assert (ki.title, ki.capacity, ki.moderator, ki.position) == ("KI", 2, None, 1)


def test_a_moderator_who_is_not_registered_shows_but_cannot_be_saved(organiser_client, ki_station):
    response = organiser_client.get(stations_url(ki_station.meeting))

    assert "Max Moderator – nicht angemeldet" in html(response)
    data = station_data([ki_station])
    assert organiser_client.post(stations_url(ki_station.meeting), data).status_code == 400


def test_organiser_adds_a_station_at_the_end(organiser_client, two_stations):
    meeting = two_stations[0].meeting

    response = organiser_client.post(
        reverse("station_add", args=[meeting.pk]), {"title": "Nachfolge", "capacity": "8"}
    )

    added = meeting.stations.get(title="Nachfolge")
    assert response.status_code == 302
    assert (added.capacity, added.position) == (8, 3)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"title": "", "capacity": "8"}, "Eine Station braucht einen Titel."),
        ({"title": "Neu", "capacity": "0"}, "Die Kapazität muss mindestens 1 sein."),
    ],
)
def test_adding_a_bad_station_changes_nothing(organiser_client, upcoming_meeting, data, message):
    response = organiser_client.post(reverse("station_add", args=[upcoming_meeting.pk]), data)

    assert response.status_code == 400
    assert message in html(response)
    assert upcoming_meeting.stations.count() == 0


def test_deleting_a_station_without_plan_places_asks_once_and_deletes(
    organiser_client, two_stations
):
    ki, _energy = two_stations
    url = reverse("station_delete", args=[ki.meeting.pk, ki.pk])

    question = organiser_client.get(url)
    response = organiser_client.post(url)

    assert "Station „KI“ löschen?" in html(question)
    assert response.status_code == 302
    assert not Station.objects.filter(pk=ki.pk).exists()


def test_deleting_a_station_with_assignments_needs_a_confirmation(organiser_client, two_stations):
    ki, _energy = two_stations
    karl = Registration.objects.get(person__first_name="Karl0").person
    Assignment.objects.create(meeting=ki.meeting, round=0, station=ki, person=karl)
    StationNote.objects.create(station=ki, kind="idea", text="Pilot")
    url = reverse("station_delete", args=[ki.meeting.pk, ki.pk])

    unconfirmed = organiser_client.post(url)
    assert unconfirmed.status_code == 409
    assert "1 Platz im Rotationsplan" in html(unconfirmed)
    assert "1 Notiz" in html(unconfirmed)
    assert Station.objects.filter(pk=ki.pk).exists()

    confirmed = organiser_client.post(url, {"confirm": "yes"})
    assert confirmed.status_code == 302
    assert not Station.objects.filter(pk=ki.pk).exists()
    assert Assignment.objects.count() == 0


@pytest.mark.parametrize("count", [1, 3])
def test_stations_page_query_count_does_not_grow(
    organiser_client, topics_meeting, django_assert_num_queries, count
):
    karl = Registration.objects.get(person__first_name="Karl0").person
    for i in range(count):
        Station.objects.create(
            meeting=topics_meeting, title=f"S{i}", capacity=5, position=i, moderator=karl
        )
    organiser_client.get(stations_url(topics_meeting))

    # session, user, meeting, stations with counts, moderator candidates, seated count,
    # the network's name
    with django_assert_num_queries(7):
        organiser_client.get(stations_url(topics_meeting))


# --- Wishes ----------------------------------------------------------------------------------


def wishes_url(registration):
    return reverse("registration_wishes", args=[registration.token])


@pytest.fixture
def karl(topics_meeting):
    return Registration.objects.get(person__first_name="Karl0")


def test_the_wish_page_waits_for_stations(client, karl):
    response = client.get(wishes_url(karl))

    assert response.status_code == 200
    assert "Die Dialogstationen stehen noch nicht fest." in html(response)
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_a_participant_states_wishes_through_the_personal_link(client, karl, two_stations):
    ki, energy = two_stations

    page = client.get(wishes_url(karl))
    response = client.post(wishes_url(karl), {"stations": [ki.pk, energy.pk]})

    assert "Wählen Sie bis zu 2 Stationen" in html(page)
    assert response.status_code == 302
    assert set(karl.wishes.all()) == {ki, energy}


def test_more_wishes_than_rounds_are_refused(client, karl, two_stations):
    ki, energy = two_stations
    karl.meeting.rounds = 1
    karl.meeting.save(update_fields=["rounds"])
    karl.wishes.set([ki])

    response = client.post(wishes_url(karl), {"stations": [ki.pk, energy.pk]})

    assert response.status_code == 400
    assert "Wählen Sie höchstens 1 Station." in html(response)
    assert list(karl.wishes.all()) == [ki]


def test_a_station_of_another_meeting_cannot_be_wished_for(
    client, karl, two_stations, draft_meeting
):
    other = Station.objects.create(meeting=draft_meeting, title="Fremd", capacity=3)

    response = client.post(wishes_url(karl), {"stations": [other.pk]})

    assert response.status_code == 400
    assert list(karl.wishes.all()) == []


@pytest.mark.parametrize("station_id", [2**63, -(2**64), "abc"])
def test_an_id_no_database_can_hold_is_refused_with_a_message(
    client, karl, two_stations, station_id
):
    response = client.post(wishes_url(karl), {"stations": [station_id]})

    assert response.status_code == 400
    assert f"„{station_id}“ ist kein gültiger Wert." in html(response)
    assert list(karl.wishes.all()) == []


def test_a_wrong_token_is_not_found(client, two_stations):
    assert client.get(reverse("registration_wishes", args=["falsch"])).status_code == 404
    assert client.post(reverse("registration_wishes", args=["x" * 65])).status_code == 404


def test_a_cancelled_registration_cannot_wish(client, two_stations):
    cancelled = Registration.objects.get(person__first_name="Storno")

    page = client.get(wishes_url(cancelled))
    response = client.post(wishes_url(cancelled), {"stations": [two_stations[0].pk]})

    assert "Ihre Anmeldung ist abgesagt" in html(page)
    assert response.status_code == 302
    assert list(cancelled.wishes.all()) == []


def test_wishes_close_when_the_first_round_is_held(client, karl, two_stations):
    meeting = karl.meeting
    meeting.rounds_held = 1
    meeting.save(update_fields=["rounds_held"])
    karl.wishes.set([two_stations[0]])

    response = client.post(wishes_url(karl), {"stations": [two_stations[1].pk]}, follow=True)

    assert "Stationswünsche können nicht mehr geändert werden." in html(response)
    assert list(karl.wishes.all()) == [two_stations[0]]


def test_a_past_meeting_takes_no_wishes(client, karl, two_stations):
    Meeting.objects.filter(pk=karl.meeting_id).update(
        starts_at=timezone.now() - timedelta(days=2), ends_at=timezone.now() - timedelta(days=1)
    )

    client.post(wishes_url(karl), {"stations": [two_stations[0].pk]})

    assert list(karl.wishes.all()) == []


@pytest.mark.parametrize("as_role", ["member", "organiser"], indirect=True)
def test_a_login_is_no_key_to_somebody_elses_wishes(as_role, karl, two_stations):
    response = as_role.post(reverse("registration_wishes", args=["nicht-" + karl.token[:20]]))

    assert response.status_code == 404
    assert list(karl.wishes.all()) == []
