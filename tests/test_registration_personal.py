"""The personal page behind /r/<token>/: only the token holder gets in, sees only their own
registration, and changes topics, consents and the registration itself."""

import pytest
from django.urls import reverse
from django.utils import timezone

from treffpunkt.meetings.models import Assignment, Meeting, Registration, Station
from treffpunkt.network.models import Consent, ConsentPurpose, ConsentText

from .conftest import make_person
from .test_pages import ALL_ROLES, client_for
from .test_registration import consent_text, fill_seats, real_smtp  # noqa: F401

Status = Registration.Status


@pytest.fixture
def as_role(request, client):
    """A client logged in as the persona named by the test's ``role`` parameter."""
    role = request.param
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return client_for(client, user)


@pytest.fixture
def registration(consent_texts, glassworks, upcoming_meeting):
    person = make_person("Paula", "Person", glassworks, consents=[ConsentPurpose.PHOTOS])
    return Registration.objects.create(
        meeting=upcoming_meeting, person=person, topics="Wasserstoff im Mittelstand"
    )


def page(client, registration):
    return client.get(reverse("registration_personal", args=[registration.token]))


# --- who gets in -------------------------------------------------------------------------


@pytest.mark.parametrize("as_role", ALL_ROLES, indirect=True)
def test_the_token_holder_sees_their_registration_whoever_is_logged_in(
    as_role, registration, hidden_participant
):
    response = page(as_role, registration)
    html = response.content.decode()

    assert response.status_code == 200
    assert "Paula Person" in html
    assert "Wasserstoff im Mittelstand" in html
    assert ">Bestätigt<" in html
    assert "Hanna Verborgen" not in html
    assert "Wärmeplanung im Quartier" not in html


@pytest.mark.parametrize(
    "name",
    [
        "registration_personal",
        "registration_topics",
        "registration_consent_give",
        "registration_consent_withdraw",
        "registration_cancel",
    ],
)
@pytest.mark.parametrize("token", ["falsch", "x" * 65, "a\x00b", "ä-ö"])
def test_a_wrong_token_finds_nothing_and_changes_nothing(client, registration, name, token):
    url = reverse(name, args=[token])

    response = client.post(url, {"topics": "x", "purpose": "photos", "text": "1"})

    assert response.status_code == 404
    registration.refresh_from_db()
    assert (registration.status, registration.topics) == (
        Status.CONFIRMED,
        "Wasserstoff im Mittelstand",
    )
    assert registration.person.has_consent(ConsentPurpose.PHOTOS)


@pytest.mark.parametrize("name", ["registration_personal", "registration_cancel"])
def test_a_wrong_token_gets_no_page(client, registration, name):
    assert client.get(reverse(name, args=["falsch"])).status_code == 404


def test_the_page_keeps_its_link_to_itself(client, registration):
    response = page(client, registration)

    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_even_a_redirect_after_a_change_keeps_the_link_to_itself(client, registration):
    response = client.post(
        reverse("registration_topics", args=[registration.token]), {"topics": "Neu"}
    )

    assert response.status_code == 302
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"


def test_the_waitlist_position_is_shown(client, consent_texts, upcoming_meeting):
    upcoming_meeting.capacity = 1
    upcoming_meeting.save()
    fill_seats(upcoming_meeting, 1)
    _first, second = fill_seats(upcoming_meeting, 2, status=Status.WAITLISTED)

    html = page(client, second).content.decode()

    assert "Auf der Warteliste, auf Platz 2" in html


# --- topics ------------------------------------------------------------------------------


def test_the_token_holder_changes_their_topics(client, registration):
    response = client.post(
        reverse("registration_topics", args=[registration.token]),
        {"topics": "  KI und Datenschutz "},
    )

    registration.refresh_from_db()
    assert response.url == reverse("registration_personal", args=[registration.token])
    assert registration.topics == "KI und Datenschutz"


def test_topics_that_are_too_long_are_refused_and_change_nothing(client, registration):
    response = client.post(
        reverse("registration_topics", args=[registration.token]), {"topics": "x" * 2001}
    )

    registration.refresh_from_db()
    assert response.status_code == 400
    assert response.context["topics_form"].errors["topics"] == [
        "Bitte sicherstellen, dass der Wert aus höchstens 2000 Zeichen besteht. "
        "(Er besteht aus 2001 Zeichen.)"
    ]
    assert registration.topics == "Wasserstoff im Mittelstand"


def test_a_cancelled_registration_keeps_its_topics(client, registration):
    Registration.objects.filter(pk=registration.pk).update(status=Status.CANCELLED)

    client.post(reverse("registration_topics", args=[registration.token]), {"topics": "Neu"})

    registration.refresh_from_db()
    assert registration.topics == "Wasserstoff im Mittelstand"


# --- consents ----------------------------------------------------------------------------


def test_withdrawing_a_consent_takes_one_click(client, registration):
    html = page(client, registration).content.decode()

    response = client.post(
        reverse("registration_consent_withdraw", args=[registration.token]), {"purpose": "photos"}
    )

    consent = Consent.objects.get(person=registration.person)
    assert html.count("Widerrufen</button>") == 1
    assert html.count("Ich willige ein</button>") == 4
    assert response.status_code == 302
    assert consent.withdrawn_at is not None
    assert not registration.person.has_consent(ConsentPurpose.PHOTOS)


def test_giving_a_consent_takes_one_click_and_records_the_wording_shown(client, registration):
    directory = consent_text(ConsentPurpose.DIRECTORY)

    client.post(
        reverse("registration_consent_give", args=[registration.token]), {"text": directory.pk}
    )

    assert Consent.objects.filter(person=registration.person, text=directory).count() == 1
    assert registration.person.has_consent(ConsentPurpose.DIRECTORY)


def test_a_consent_ticked_when_registering_counts_once_its_owner_confirms_it(client, registration):
    directory = consent_text(ConsentPurpose.DIRECTORY)
    registration.requested_consents.set([directory])

    before = page(client, registration).content.decode()
    client.post(
        reverse("registration_consent_give", args=[registration.token]), {"text": directory.pk}
    )

    assert "Bei der Anmeldung angekreuzt" in before
    assert registration.person.has_consent(ConsentPurpose.DIRECTORY)
    assert list(registration.requested_consents.all()) == []
    assert "Bei der Anmeldung angekreuzt" not in page(client, registration).content.decode()


def test_giving_consent_to_an_outdated_or_missing_text_changes_nothing(client, registration):
    old = consent_text(ConsentPurpose.DIRECTORY)
    ConsentText.objects.create(purpose=ConsentPurpose.DIRECTORY, version="2", text="neu")
    url = reverse("registration_consent_give", args=[registration.token])

    outdated = client.post(url, {"text": old.pk}, follow=True)
    missing = client.post(url, {"text": 999999}, follow=True)

    assert Consent.objects.filter(person=registration.person).count() == 1
    assert [str(m) for m in outdated.context["messages"]] == [
        "Diese Einwilligung kann nicht erteilt werden: Die Organisatoren haben dafür keinen "
        "oder einen neueren Text veröffentlicht. Es wurde nichts gespeichert; bitte lesen Sie "
        "die Einwilligungen noch einmal und kreuzen Sie sie neu an."
    ]
    assert len(missing.context["messages"]) == 1


def test_a_purpose_without_text_is_shown_as_not_asked_for(client, registration):
    ConsentText.objects.filter(purpose=ConsentPurpose.QUOTES).delete()

    html = page(client, registration).content.decode()

    assert "Nicht erfragt: Das Netzwerk hat dafür keinen Text veröffentlicht." in html
    assert html.count("Ich willige ein</button>") == 3


def test_a_withdrawal_for_an_unknown_purpose_changes_nothing(client, registration):
    client.post(
        reverse("registration_consent_withdraw", args=[registration.token]), {"purpose": "alles"}
    )

    assert registration.person.has_consent(ConsentPurpose.PHOTOS)


# --- cancelling --------------------------------------------------------------------------


def test_cancelling_asks_first_and_a_get_changes_nothing(client, registration):
    response = client.get(reverse("registration_cancel", args=[registration.token]))

    registration.refresh_from_db()
    assert "Ja, meine Anmeldung stornieren" in response.content.decode()
    assert registration.status == Status.CONFIRMED


def test_cancelling_frees_the_seat_for_the_head_of_the_waitlist_who_is_told(
    client, registration, mailbox, django_capture_on_commit_callbacks
):
    meeting = registration.meeting
    Meeting.objects.filter(pk=meeting.pk).update(capacity=1)
    head, second = fill_seats(meeting, 2, status=Status.WAITLISTED)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registration_cancel", args=[registration.token]))

    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert response.url == reverse("registration_personal", args=[registration.token])
    assert statuses == {
        registration.pk: Status.CANCELLED,
        head.pk: Status.CONFIRMED,
        second.pk: Status.WAITLISTED,
    }
    assert sorted((m["To"], m["Subject"].strip()) for m in mailbox) == [
        ("paula.person@example.org", "Anmeldung storniert: 3. Netzwerktreffen"),
        (head.person.email, "Ein Platz ist für Sie frei: 3. Netzwerktreffen"),
    ]


def test_cancelling_twice_promotes_only_once(
    client, registration, mailbox, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=registration.meeting.pk).update(capacity=1)
    head, second = fill_seats(registration.meeting, 2, status=Status.WAITLISTED)
    url = reverse("registration_cancel", args=[registration.token])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
        client.post(url)

    second.refresh_from_db()
    assert second.status == Status.WAITLISTED
    assert len(mailbox) == 2


def test_a_cancelled_registration_offers_no_cancel_but_still_the_consents(client, registration):
    Registration.objects.filter(pk=registration.pk).update(status=Status.CANCELLED)

    html = page(client, registration).content.decode()

    assert ">Abgesagt<" in html
    assert "Meine Anmeldung stornieren" not in html
    assert "Widerrufen</button>" in html


def test_a_checked_in_person_cannot_cancel(client, registration):
    Registration.objects.filter(pk=registration.pk).update(status=Status.ATTENDED)

    response = client.post(reverse("registration_cancel", args=[registration.token]))

    registration.refresh_from_db()
    assert "Diese Anmeldung kann nicht mehr storniert werden." in response.content.decode()
    assert registration.status == Status.ATTENDED


# --- the schedule ------------------------------------------------------------------------


def test_the_schedule_shows_the_station_of_each_round_once_planned(client, registration):
    meeting = registration.meeting
    ki = Station.objects.create(meeting=meeting, title="KI in der Wartung", capacity=10)
    energy = Station.objects.create(meeting=meeting, title="Energie", capacity=10)
    other = make_person("Otto", "Anders", registration.person.organisation)
    Assignment.objects.create(meeting=meeting, round=1, station=ki, person=registration.person)
    Assignment.objects.create(meeting=meeting, round=0, station=energy, person=registration.person)
    Assignment.objects.create(meeting=meeting, round=0, station=energy, person=other)

    response = page(client, registration)
    html = response.content.decode()

    assert [(a.round, a.station.title) for a in response.context["schedule"]] == [
        (0, "Energie"),
        (1, "KI in der Wartung"),
    ]
    assert "Ihr Ablauf" in html
    assert "Otto Anders" not in html


def test_no_schedule_before_a_plan_or_on_the_waitlist(client, registration):
    station = Station.objects.create(meeting=registration.meeting, title="KI", capacity=10)
    Assignment.objects.create(
        meeting=registration.meeting, round=0, station=station, person=registration.person
    )
    Registration.objects.filter(pk=registration.pk).update(status=Status.WAITLISTED)

    response = page(client, registration)

    assert response.context["schedule"] == []
    assert "Ihr Ablauf" not in response.content.decode()


def test_a_past_meeting_can_no_longer_be_changed(client, registration):
    Meeting.objects.filter(pk=registration.meeting.pk).update(
        starts_at=timezone.now() - timezone.timedelta(days=2),
        ends_at=timezone.now() - timezone.timedelta(days=1),
    )

    response = page(client, registration)

    assert response.context["can_change"] is False
    assert 'name="topics"' not in response.content.decode()


def test_a_member_logged_in_cannot_reach_someone_elses_page_without_the_token(
    client, member, registration
):
    client = client_for(client, member)

    response = client.get(reverse("registration_personal", args=[registration.token[:-1] + "x"]))

    assert response.status_code == 404
