"""The demo network: loaded by one command, complete, and unchanged by a second run."""

import pytest
from django.apps import apps
from django.core.management import call_command
from django.http import HttpRequest
from django.test import override_settings
from django.urls import reverse

from treffpunkt.demo import DEMO_PASSWORD, load_demo
from treffpunkt.meetings.models import Assignment, Encounter, Meeting, Registration
from treffpunkt.network.models import Organisation, Person


def row_counts():
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label in ("network", "meetings", "auth")
    }


@pytest.fixture(scope="module")
def demo_network(django_db_setup, django_db_blocker):
    """The demo loaded once for this module (it takes a planner run); emptied afterwards."""
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast:
        load_demo()
    yield
    with django_db_blocker.unblock():
        call_command("flush", "--no-input", verbosity=0)


@pytest.fixture
def demo(demo_network, db):
    """The demo network, with each test's own changes rolled back."""


def test_loading_twice_changes_nothing(demo):
    before = row_counts()

    created = load_demo()

    assert set(created.values()) == {0}
    assert row_counts() == before


def test_the_network_is_modelled_on_the_press_release(demo):
    kinds = {kind: Organisation.objects.filter(kind=kind).count() for kind in ("municipality",)}

    assert Organisation.objects.count() >= 40
    assert kinds["municipality"] == 8
    assert Organisation.objects.filter(name__startswith="Landratsamt").count() == 1
    assert Organisation.objects.filter(kind="research", name__startswith="Hochschule").count() == 1
    assert Person.objects.count() >= 80
    assert Person.objects.filter(profile__challenges="").count() == 0


def test_the_held_meeting_has_three_stations_three_rounds_notes_and_encounters(demo):
    held = Meeting.objects.get(host__name__startswith="Glashütte")
    attended = held.registrations.filter(status=Registration.Status.ATTENDED).count()

    assert [s.title for s in held.stations.all()] == [
        "Regionale Kooperationen",
        "Künstliche Intelligenz",
        "Nachhaltigkeit",
    ]
    assert sorted(set(Assignment.objects.filter(meeting=held).values_list("round", flat=True))) == [
        0,
        1,
        2,
    ]
    assert Assignment.objects.filter(meeting=held).count() == 3 * attended
    assert all(s.notes.count() >= 4 for s in held.stations.all())
    assert Encounter.objects.filter(meeting=held).exists()
    assert held.registrations.exclude(topics="").count() == held.registrations.count()


def test_a_no_show_is_in_no_round_and_met_nobody(demo):
    no_show = Registration.objects.filter(status=Registration.Status.NO_SHOW).first()

    assert no_show is not None
    assert Assignment.objects.filter(person=no_show.person).count() == 0
    assert Encounter.objects.filter(person_a=no_show.person).count() == 0
    assert Encounter.objects.filter(person_b=no_show.person).count() == 0


def test_the_upcoming_meeting_is_open_and_on_the_home_page(demo, client):
    upcoming = Meeting.objects.upcoming().get()

    response = client.get("/")

    assert upcoming.registration_is_open() is True
    assert list(response.context["meetings"]) == [upcoming]


@pytest.mark.parametrize("username", ["organisator", "moderatorin", "mitglied", "gast"])
def test_the_demo_logins_work(demo, client, username):
    assert client.login(request=HttpRequest(), username=username, password=DEMO_PASSWORD) is True


def test_the_demo_organiser_reaches_the_admin(demo, client):
    client.login(request=HttpRequest(), username="organisator", password=DEMO_PASSWORD)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "Das Netzwerk führen" in response.content.decode()
