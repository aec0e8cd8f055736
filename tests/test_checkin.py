"""The check-in at the door: search, scan, walk-ins and undo, for organisers only."""

import re
import threading
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.urls import reverse

from treffpunkt.meetings import checkin
from treffpunkt.meetings.models import Registration
from treffpunkt.network.models import Organisation, Person

from .conftest import make_person
from .test_pages import client_for

BERLIN = ZoneInfo("Europe/Berlin")
NOT_ORGANISERS = ["outsider", "guest", "member", "moderator"]


@pytest.fixture
def as_role(request, client):
    """A client logged in as the persona named by the test's ``role`` parameter."""
    role = request.param
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return client_for(client, user)


@pytest.fixture
def desk(client, organiser):
    """The organiser at the door."""
    return client_for(client, organiser)


@pytest.fixture
def mia(upcoming_meeting, member):
    return Registration.objects.create(meeting=upcoming_meeting, person=member.person)


@pytest.fixture
def juergen(upcoming_meeting, town):
    person = make_person("Jürgen", "Größer", town)
    return Registration.objects.create(meeting=upcoming_meeting, person=person)


@pytest.fixture
def wanda(upcoming_meeting, glassworks):
    person = make_person("Wanda", "Warteliste", glassworks)
    return Registration.objects.create(
        meeting=upcoming_meeting, person=person, status=Registration.Status.WAITLISTED
    )


@pytest.fixture
def arrived(upcoming_meeting, town):
    """Somebody checked in at 17:02."""
    person = make_person("Anton", "Angekommen", town)
    return Registration.objects.create(
        meeting=upcoming_meeting,
        person=person,
        status=Registration.Status.ATTENDED,
        checked_in_at=datetime(2030, 5, 14, 17, 2, tzinfo=BERLIN),
    )


def code_url(registration, name="checkin_code"):
    return reverse(name, args=[registration.meeting_id, registration.checkin_code])


def status_of(registration):
    registration.refresh_from_db()
    return registration.status, registration.checked_in_at is not None


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


# ---------------------------------------------------------------------------------------------
# Who may do what


@pytest.mark.parametrize("as_role", NOT_ORGANISERS, indirect=True)
def test_only_organisers_see_the_check_in_page(as_role, upcoming_meeting, mia):
    response = as_role.get(reverse("checkin", args=[upcoming_meeting.pk]), {"q": "Mia"})

    assert response.status_code == 403
    assert "Mia Mitglied" not in response.content.decode()


@pytest.mark.parametrize("as_role", NOT_ORGANISERS, indirect=True)
def test_a_badge_code_tells_non_organisers_nothing(as_role, mia):
    response = as_role.get(code_url(mia))

    assert response.status_code == 403
    assert "Mia Mitglied" not in response.content.decode()


@pytest.mark.parametrize("as_role", NOT_ORGANISERS, indirect=True)
def test_non_organisers_cannot_check_in_undo_or_add_walk_ins(
    as_role, upcoming_meeting, mia, arrived
):
    walk_in = reverse("checkin_walk_in", args=[upcoming_meeting.pk])
    people = Person.objects.count()

    responses = [
        as_role.post(code_url(mia)),
        as_role.post(code_url(arrived, "checkin_undo")),
        as_role.get(walk_in),
        as_role.post(walk_in, {"first_name": "Eva", "last_name": "Eindringling"}),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert (status_of(mia), status_of(arrived)) == (("confirmed", False), ("attended", True))
    assert Person.objects.count() == people


def test_anonymous_visitors_are_sent_to_the_login_and_learn_nothing(
    client, upcoming_meeting, mia, arrived
):
    urls = [
        reverse("checkin", args=[upcoming_meeting.pk]),
        code_url(mia),
        reverse("checkin_walk_in", args=[upcoming_meeting.pk]),
    ]

    gets = [client.get(url) for url in urls]
    posts = [client.post(code_url(mia)), client.post(code_url(arrived, "checkin_undo"))]

    assert [r.url for r in gets] == [f"/login/?next={url}" for url in urls]
    assert [r.status_code for r in posts] == [302, 302]
    assert ["Mia Mitglied" in r.content.decode() for r in gets] == [False, False, False]
    assert (status_of(mia), status_of(arrived)) == (("confirmed", False), ("attended", True))


def test_a_wrong_code_is_not_found(desk, upcoming_meeting, mia):
    wrong = reverse("checkin_code", args=[upcoming_meeting.pk, "x" * 16])
    too_long = reverse("checkin_code", args=[upcoming_meeting.pk, "x" * 500])

    assert [desk.get(wrong).status_code, desk.post(wrong).status_code] == [404, 404]
    assert desk.get(too_long).status_code == 404


def test_another_meetings_code_is_not_found(desk, upcoming_meeting, draft_meeting, member):
    elsewhere = Registration.objects.create(meeting=draft_meeting, person=member.person)
    url = reverse("checkin_code", args=[upcoming_meeting.pk, elsewhere.checkin_code])

    assert [desk.get(url).status_code, desk.post(url).status_code] == [404, 404]
    assert status_of(elsewhere) == ("confirmed", False)


def test_a_draft_meetings_check_in_is_not_found_for_members(client, member, draft_meeting):
    response = client_for(client, member).get(reverse("checkin", args=[draft_meeting.pk]))

    assert response.status_code == 404


# ---------------------------------------------------------------------------------------------
# The check-in page: counts, search, the missing


def test_the_page_counts_expected_checked_in_and_missing(
    desk, upcoming_meeting, mia, juergen, wanda, arrived
):
    response = desk.get(reverse("checkin", args=[upcoming_meeting.pk]))
    html = response.content.decode()

    counts = response.context["counts"]
    assert (counts.expected, counts.checked_in, counts.missing) == (3, 1, 2)
    assert [r.person.full_name for r in response.context["missing"]] == [
        "Jürgen Größer",
        "Mia Mitglied",
    ]
    assert "<div><dt>Fehlen noch</dt><dd>2</dd></div>" in html
    assert [r.person.full_name for r in response.context["recent"]] == ["Anton Angekommen"]


def test_search_finds_by_name_and_organisation_with_every_word(
    desk, upcoming_meeting, mia, juergen, wanda
):
    url = reverse("checkin", args=[upcoming_meeting.pk])

    by_name = desk.get(url, {"q": "mitg"}).context["results"]
    by_organisation = desk.get(url, {"q": "glashütte"}).context["results"]
    by_both = desk.get(url, {"q": "wanda glas"}).context["results"]

    assert by_name == [mia]
    assert by_organisation == [mia, wanda]
    assert by_both == [wanda]


def test_search_shows_the_status_of_people_without_a_seat(desk, upcoming_meeting, wanda):
    html = desk.get(reverse("checkin", args=[upcoming_meeting.pk]), {"q": "Wanda"}).content
    html = html.decode()

    assert "Eine Anmeldung gefunden" in html
    assert '<span class="badge warning">Warteliste</span>' in html


def test_an_empty_search_asks_for_a_name(desk, upcoming_meeting, mia):
    response = desk.get(reverse("checkin", args=[upcoming_meeting.pk]), {"q": "   "})

    assert response.context["results"] is None
    assert (
        "Bitte geben Sie einen Namen oder eine Organisation zum Suchen ein."
        in response.content.decode()
    )


def test_a_search_that_is_too_long_says_so(desk, upcoming_meeting, mia):
    response = desk.get(reverse("checkin", args=[upcoming_meeting.pk]), {"q": "x" * 101})

    assert response.context["results"] is None
    assert "Bitte geben Sie zum Suchen höchstens 100 Zeichen ein." in response.content.decode()


def test_a_search_without_a_match_offers_the_walk_in(desk, upcoming_meeting, mia):
    response = desk.get(reverse("checkin", args=[upcoming_meeting.pk]), {"q": "Niemand"})

    assert response.context["results"] == []
    assert "Keine Anmeldung passt" in response.content.decode()


@pytest.mark.parametrize("count", [1, 3])
def test_the_check_in_page_query_count_does_not_grow_with_the_list(
    desk, upcoming_meeting, glassworks, django_assert_num_queries, count
):
    for i in range(count):
        person = make_person(f"Person{i}", f"Suchbar{i}", glassworks)
        status = Registration.Status.ATTENDED if i == 0 else Registration.Status.CONFIRMED
        Registration.objects.create(meeting=upcoming_meeting, person=person, status=status)
    url = reverse("checkin", args=[upcoming_meeting.pk])

    # session, user, meeting, network, counts, missing, recent, search results
    with django_assert_num_queries(8):
        response = desk.get(url, {"q": "suchbar"})

    assert len(response.context["results"]) == count


# ---------------------------------------------------------------------------------------------
# Checking in: by the badge's QR code or from the list


def test_scanning_a_badge_shows_the_person_and_a_button_but_changes_nothing(desk, mia):
    response = desk.get(code_url(mia))
    html = response.content.decode()

    assert "<h1>Mia Mitglied</h1>" in html
    assert '<form class="checkin-confirm" method="post">' in html
    assert status_of(mia) == ("confirmed", False)


def test_confirming_checks_the_person_in(desk, mia):
    response = desk.post(code_url(mia), follow=True)

    mia.refresh_from_db()
    assert mia.status == Registration.Status.ATTENDED
    assert mia.checked_in_at is not None
    assert response.redirect_chain == [(code_url(mia), 302)]
    assert messages_of(response)[0].startswith("Mia Mitglied ist eingecheckt (")


def test_a_second_scan_says_when_the_person_was_checked_in(desk, arrived):
    shown = desk.get(code_url(arrived)).content.decode()
    posted = desk.post(code_url(arrived), follow=True)

    arrived.refresh_from_db()
    assert "Schon um 17:02 eingecheckt." in shown
    assert messages_of(posted) == ["Anton Angekommen war schon um 17:02 eingecheckt."]
    assert arrived.checked_in_at == datetime(2030, 5, 14, 17, 2, tzinfo=BERLIN)


def test_checking_in_from_the_search_goes_back_to_the_results(desk, upcoming_meeting, mia):
    results = reverse("checkin", args=[upcoming_meeting.pk]) + "?q=Mia"

    response = desk.post(code_url(mia), {"next": results})

    assert response.url == results
    assert status_of(mia) == ("attended", True)


def test_a_foreign_next_address_is_ignored(desk, mia):
    response = desk.post(code_url(mia), {"next": "https://evil.example/"})

    assert response.url == code_url(mia)


def test_a_waitlisted_person_who_turns_up_can_be_checked_in(desk, upcoming_meeting, mia, wanda):
    upcoming_meeting.capacity = 1
    upcoming_meeting.save(update_fields=["capacity"])

    page = desk.get(code_url(wanda)).content.decode()
    response = desk.post(code_url(wanda), follow=True)

    assert "Anmeldung: Warteliste. Mit dem Check-in bekommt die Person einen Platz." in page
    assert status_of(wanda) == ("attended", True)
    assert messages_of(response)[1] == (
        "Jetzt haben 2 Personen einen Platz: mehr als die Kapazität von 1."
    )


def test_undo_takes_a_check_in_back(desk, upcoming_meeting, arrived):
    response = desk.post(code_url(arrived, "checkin_undo"), follow=True)

    assert status_of(arrived) == ("confirmed", False)
    assert messages_of(response) == ["Der Check-in von Anton Angekommen ist rückgängig gemacht."]


def test_undo_of_somebody_not_checked_in_changes_nothing(desk, mia):
    response = desk.post(code_url(mia, "checkin_undo"), follow=True)

    assert status_of(mia) == ("confirmed", False)
    assert messages_of(response) == ["Mia Mitglied war nicht eingecheckt."]


def test_undo_needs_a_post(desk, arrived):
    response = desk.get(code_url(arrived, "checkin_undo"))

    assert response.status_code == 405
    assert status_of(arrived) == ("attended", True)


def test_the_service_checks_in_once_and_reports_the_seats(upcoming_meeting, mia, juergen):
    first = checkin.check_in(registration=mia)
    second = checkin.check_in(registration=mia)

    assert (first.already, first.seated, first.over_capacity) == (False, 2, False)
    assert (second.already, second.registration.checked_in_at) == (
        True,
        first.registration.checked_in_at,
    )


def test_a_no_show_who_arrives_late_is_checked_in(upcoming_meeting, mia):
    mia.status = Registration.Status.NO_SHOW
    mia.save(update_fields=["status"])

    result = checkin.check_in(registration=mia)

    assert (result.already, status_of(mia)) == (False, ("attended", True))


@pytest.mark.django_db(transaction=True)
def test_two_desks_scanning_one_badge_at_once_check_in_once(upcoming_meeting, member):
    registration = Registration.objects.create(meeting=upcoming_meeting, person=member.person)
    first_checked_in, already = threading.Event(), {}

    def scan(desk: str) -> None:
        fresh = Registration.objects.select_related("meeting").get(pk=registration.pk)
        already[desk] = checkin.check_in(registration=fresh).already

    def first_desk():
        try:
            with transaction.atomic():  # the first desk's check-in, not committed yet
                scan("first")
                first_checked_in.set()
                time.sleep(0.3)  # the second desk scans meanwhile: it must wait for the lock
        finally:
            connection.close()

    def second_desk():
        try:
            first_checked_in.wait()
            scan("second")
        finally:
            connection.close()

    desks = [threading.Thread(target=first_desk), threading.Thread(target=second_desk)]
    for thread in desks:
        thread.start()
    for thread in desks:
        thread.join()

    assert already == {"first": False, "second": True}


# ---------------------------------------------------------------------------------------------
# Walk-ins


def walk_in_url(meeting):
    return reverse("checkin_walk_in", args=[meeting.pk])


def test_a_walk_in_with_a_new_organisation_is_added_and_checked_in(desk, upcoming_meeting):
    response = desk.post(
        walk_in_url(upcoming_meeting),
        {
            "first_name": "Nele",
            "last_name": "Neu",
            "email": "Nele.Neu@Example.org",
            "organisation": "  Neue   Werkstatt GmbH ",
            "organisation_kind": "company",
        },
        follow=True,
    )

    registration = Registration.objects.get(person__last_name="Neu")
    organisation = registration.person.organisation
    assert (registration.status, registration.checked_in_at is not None) == ("attended", True)
    assert registration.person.email == "nele.neu@example.org"
    assert (organisation.name, organisation.kind, organisation.listed) == (
        "Neue Werkstatt GmbH",
        "company",
        False,
    )
    assert response.redirect_chain == [(reverse("checkin", args=[upcoming_meeting.pk]), 302)]
    assert messages_of(response)[0].startswith("Nele Neu ist eingecheckt (")


def test_a_walk_in_joins_an_existing_organisation_whatever_its_case(
    desk, upcoming_meeting, glassworks
):
    desk.post(
        walk_in_url(upcoming_meeting),
        {"first_name": "Otto", "last_name": "Ohnemail", "organisation": "GLASHÜTTE beispieltal"},
    )

    person = Person.objects.get(last_name="Ohnemail")
    assert person.organisation == glassworks
    assert person.email.endswith("@walk-in.invalid")
    assert Organisation.objects.filter(name__icontains="beispieltal").count() == 1


def test_two_walk_ins_without_e_mail_both_fit(desk, upcoming_meeting):
    for name in ["Erna", "Emil"]:
        desk.post(walk_in_url(upcoming_meeting), {"first_name": name, "last_name": "Ohne"})

    assert upcoming_meeting.registrations.filter(status="attended").count() == 2


def test_a_walk_in_form_sent_twice_adds_one_person(desk, upcoming_meeting, glassworks):
    # The desk pressed twice, or two desks took the same person: one person, checked in once.
    otto = {"first_name": "Otto", "last_name": "Ohnemail", "organisation": "Glashütte Beispieltal"}
    first = desk.post(walk_in_url(upcoming_meeting), otto, follow=True)
    again = desk.post(walk_in_url(upcoming_meeting), {**otto, "first_name": "otto "}, follow=True)

    assert Person.objects.filter(last_name="Ohnemail").count() == 1
    assert upcoming_meeting.registrations.filter(person__last_name="Ohnemail").count() == 1
    assert messages_of(first)[0].startswith("Otto Ohnemail ist eingecheckt (")
    assert re.fullmatch(
        r"Otto Ohnemail war schon um \d\d:\d\d eingecheckt\.", messages_of(again)[0]
    )


def test_a_namesake_from_another_organisation_is_another_person(desk, upcoming_meeting, glassworks):
    otto = {"first_name": "Otto", "last_name": "Ohnemail", "organisation": "Glashütte Beispieltal"}
    desk.post(walk_in_url(upcoming_meeting), otto)
    desk.post(
        walk_in_url(upcoming_meeting),
        {**otto, "organisation": "Neue Werkstatt GmbH", "organisation_kind": "company"},
    )

    assert Person.objects.filter(last_name="Ohnemail").count() == 2


def test_a_walk_in_with_a_known_address_checks_in_that_person(desk, upcoming_meeting, wanda):
    desk.post(
        walk_in_url(upcoming_meeting),
        {"first_name": "W.", "last_name": "W.", "email": "WANDA.warteliste@example.org"},
    )

    assert status_of(wanda) == ("attended", True)
    assert Person.objects.filter(last_name="W.").count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {
                "first_name": "Eva",
                "last_name": "E",
                "organisation": "Neu AG",
                "organisation_kind": "raumschiff",
            },
            "organisation_kind",
            "Bitte eine gültige Auswahl treffen. raumschiff ist keine gültige Auswahl.",
        ),
        (
            {"first_name": "Eva", "last_name": "E", "organisation": "Neu AG"},
            "organisation_kind",
            "„Neu AG“ steht noch nicht im Verzeichnis: Wählen Sie die Art, um sie anzulegen.",
        ),
        (
            {"first_name": "Eva", "last_name": "E", "email": "keine-adresse"},
            "email",
            "Bitte gültige E-Mail-Adresse eingeben.",
        ),
        (
            {"first_name": "", "last_name": "E"},
            "first_name",
            "Dieses Feld ist zwingend erforderlich.",
        ),
    ],
)
def test_bad_walk_in_input_says_what_is_wrong_and_changes_nothing(
    desk, upcoming_meeting, data, field, message
):
    before = (Person.objects.count(), Organisation.objects.count(), Registration.objects.count())

    response = desk.post(walk_in_url(upcoming_meeting), data)

    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    after = (Person.objects.count(), Organisation.objects.count(), Registration.objects.count())
    assert after == before


def test_a_full_meeting_asks_before_adding_a_walk_in(desk, upcoming_meeting, mia):
    upcoming_meeting.capacity = 1
    upcoming_meeting.save(update_fields=["capacity"])
    data = {"first_name": "Vera", "last_name": "Voll"}

    page = desk.get(walk_in_url(upcoming_meeting)).content.decode()
    refused = desk.post(walk_in_url(upcoming_meeting), data)
    accepted = desk.post(
        walk_in_url(upcoming_meeting), {**data, "allow_over_capacity": "on"}, follow=True
    )

    assert "Das Treffen ist voll: 1 von 1 Plätzen sind belegt." in page
    assert refused.context["form"].errors["allow_over_capacity"] == [
        "Das Treffen ist voll: 1 von 1 Plätzen sind belegt. "
        "Kreuzen Sie das Kästchen an, um die Person trotzdem hinzuzufügen."
    ]
    assert messages_of(accepted)[1] == (
        "Jetzt haben 2 Personen einen Platz: mehr als die Kapazität von 1."
    )
    assert Person.objects.filter(last_name="Voll").count() == 1


def test_the_walk_in_form_offers_the_directorys_organisations(
    desk, upcoming_meeting, glassworks, town
):
    html = desk.get(walk_in_url(upcoming_meeting)).content.decode()

    assert '<option value="Glashütte Beispieltal"><option value="Stadt Musterbach">' in html
    assert 'list="organisations"' in html
    assert "allow_over_capacity" not in html
