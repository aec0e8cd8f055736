"""The admin is the organisers', in German, and refuses bad input without saving it."""

import pytest
from django.urls import reverse

from treffpunkt.meetings.models import Meeting
from treffpunkt.network.models import Organisation

from .test_pages import client_for

ADMIN_PAGES = [
    "network_organisation",
    "network_person",
    "network_consent",
    "network_consenttext",
    "network_tag",
    "network_network",
    "meetings_meeting",
    "meetings_registration",
    "meetings_station",
    "meetings_assignment",
    "meetings_stationnote",
    "meetings_encounter",
    "meetings_invitation",
    "meetings_photo",
    "meetings_quote",
    "meetings_contactconfirmation",
    "meetings_job",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_organiser_reaches_every_admin_list_in_german(client, organiser, page, upcoming_meeting):
    response = client_for(client, organiser).get(reverse(f"admin:{page}_changelist"))

    assert response.status_code == 200
    assert "Treffpunkt-Verwaltung" in response.content.decode()


@pytest.mark.parametrize("role", ["member", "moderator", "guest", "outsider"])
def test_nobody_else_reaches_the_admin(client, request, role):
    response = client_for(client, request.getfixturevalue(role)).get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_organiser_cannot_manage_login_accounts(client, organiser):
    response = client_for(client, organiser).get(reverse("admin:auth_user_add"))

    assert response.status_code == 403


def test_admin_lists_have_filters_and_search(client, organiser):
    response = client_for(client, organiser).get(
        reverse("admin:network_person_changelist"), {"q": "Olga", "status__exact": "member"}
    )

    assert [p.full_name for p in response.context["cl"].result_list] == ["Olga Organisatorin"]


def test_a_meeting_that_ends_before_it_starts_is_refused_with_a_clear_message(
    client, organiser, glassworks
):
    form = {
        "title": "Falsch herum",
        "format": "stations",
        "host": glassworks.pk,
        "starts_at_0": "01.06.2027",
        "starts_at_1": "18:00:00",
        "ends_at_0": "01.06.2027",
        "ends_at_1": "17:00:00",
        "capacity": "40",
        "status": "draft",
        "stations-TOTAL_FORMS": "0",
        "stations-INITIAL_FORMS": "0",
    }

    response = client_for(client, organiser).post(reverse("admin:meetings_meeting_add"), form)

    assert response.status_code == 200
    assert "Das Treffen muss enden, nachdem es begonnen hat." in response.content.decode()
    assert Meeting.objects.filter(title="Falsch herum").exists() is False


def test_a_duplicate_organisation_name_is_refused_whatever_its_case(client, organiser, glassworks):
    form = {
        "name": "GLASHÜTTE BEISPIELTAL",
        "kind": "company",
        "people-TOTAL_FORMS": "0",
        "people-INITIAL_FORMS": "0",
    }

    response = client_for(client, organiser).post(reverse("admin:network_organisation_add"), form)

    assert "Eine Organisation mit diesem Namen gibt es bereits." in response.content.decode()
    assert Organisation.objects.count() == 2


def test_two_people_with_one_e_mail_are_refused_before_anything_is_saved(client, organiser, db):
    person = {"first_name": "Rita", "last_name": "Rahmen", "function": "", "status": "member"}
    form = {
        "name": "Rahmenbau",
        "kind": "company",
        "people-TOTAL_FORMS": "2",
        "people-INITIAL_FORMS": "0",
        "people-0-email": "rita@example.org",
        "people-1-email": "RITA@example.org",
        **{f"people-{i}-{key}": value for i in (0, 1) for key, value in person.items()},
    }

    response = client_for(client, organiser).post(reverse("admin:network_organisation_add"), form)

    assert response.status_code == 200
    assert "Diese E-Mail-Adresse steht oben zweimal." in response.content.decode()
    assert Organisation.objects.filter(name="Rahmenbau").exists() is False


def test_the_seats_of_a_meeting_change_only_on_its_registrations_page(
    client, organiser, upcoming_meeting
):
    response = client_for(client, organiser).get(
        reverse("admin:meetings_meeting_change", args=[upcoming_meeting.pk])
    )

    assert 'name="capacity"' not in response.content.decode()
