"""Every page for every role: who gets it, and what it shows them."""

import pytest
from django.http import HttpRequest
from django.urls import reverse

from treffpunkt.network.models import Organisation

from .conftest import PASSWORD


def client_for(client, user):
    if user is not None:
        client.login(request=HttpRequest(), username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def as_role(request, client):
    """A client logged in as the persona named by the test's ``role`` parameter."""
    role = request.param
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return client_for(client, user)


ALL_ROLES = ["anonymous", "outsider", "guest", "member", "moderator", "organiser"]


@pytest.mark.parametrize("as_role", ALL_ROLES, indirect=True)
def test_home_shows_the_upcoming_meeting_in_german_to_everybody(as_role, upcoming_meeting):
    response = as_role.get("/")

    assert response.status_code == 200
    assert response.context["meetings"][0] == upcoming_meeting
    assert "Anstehende Treffen" in response.content.decode()
    assert "0 von 50 Plätzen belegt" in response.content.decode()


@pytest.mark.parametrize("as_role", ALL_ROLES, indirect=True)
def test_home_never_lists_a_draft(as_role, draft_meeting):
    response = as_role.get("/")

    assert list(response.context["meetings"]) == []
    assert "Geheimer Entwurf" not in response.content.decode()


@pytest.mark.parametrize("as_role", ALL_ROLES, indirect=True)
def test_meeting_page_is_public(as_role, upcoming_meeting, hidden_participant):
    response = as_role.get(reverse("meeting", args=[upcoming_meeting.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "3. Netzwerktreffen" in html
    assert "Werkhalle 2" in html
    assert "Glashütte Beispieltal" in html
    assert "1 von 50 Plätzen belegt" in html


@pytest.mark.parametrize("as_role", ["anonymous", "outsider", "guest", "member"], indirect=True)
def test_only_organisers_see_registrations(as_role, upcoming_meeting, hidden_participant):
    response = as_role.get(reverse("meeting", args=[upcoming_meeting.pk]))

    assert "registrations" not in response.context
    assert "Hanna Verborgen" not in response.content.decode()
    assert "Wärmeplanung im Quartier" not in response.content.decode()


def test_organiser_sees_registrations_with_topics(
    client, organiser, upcoming_meeting, hidden_participant
):
    response = client_for(client, organiser).get(reverse("meeting", args=[upcoming_meeting.pk]))
    html = response.content.decode()

    assert [r.person for r in response.context["registrations"]] == [hidden_participant]
    assert "Hanna Verborgen" in html
    assert "Wärmeplanung im Quartier" in html


@pytest.mark.parametrize("as_role", ["anonymous", "outsider", "guest", "member"], indirect=True)
def test_a_draft_meeting_is_not_found_for_non_organisers(as_role, draft_meeting):
    response = as_role.get(reverse("meeting", args=[draft_meeting.pk]))

    assert response.status_code == 404


def test_organiser_sees_a_draft_meeting_marked_as_draft(client, organiser, draft_meeting):
    response = client_for(client, organiser).get(reverse("meeting", args=[draft_meeting.pk]))

    assert response.status_code == 200
    assert "Entwurf: nur Organisatoren sehen dieses Treffen." in response.content.decode()


@pytest.mark.parametrize(
    ("as_role", "sees_moderator"),
    [("anonymous", False), ("guest", False), ("member", True), ("organiser", True)],
    indirect=["as_role"],
)
def test_moderator_name_follows_the_directory_consent(as_role, sees_moderator, ki_station):
    html = as_role.get(reverse("meeting", args=[ki_station.meeting.pk])).content.decode()

    assert "KI" in html
    assert ("Moderiert von Max Moderator" in html) is sees_moderator


@pytest.mark.parametrize("as_role", ALL_ROLES, indirect=True)
def test_directory_lists_listed_organisations(as_role, glassworks, town):
    Organisation.objects.create(name="Stille Firma GmbH", kind="company", listed=False)

    response = as_role.get(reverse("organisations"))

    names = [o.name for o in response.context["organisations"]]
    is_organiser = response.wsgi_request.user.is_staff
    if is_organiser:
        assert names == ["Glashütte Beispieltal", "Stadt Musterbach", "Stille Firma GmbH"]
    else:
        assert names == ["Glashütte Beispieltal", "Stadt Musterbach"]


def test_directory_filters_by_kind_and_search(client, glassworks, town):
    by_kind = client.get(reverse("organisations"), {"kind": "municipality"})
    by_text = client.get(reverse("organisations"), {"q": "glas"})
    by_nonsense = client.get(reverse("organisations"), {"kind": "<script>", "q": "x" * 500})

    assert [o.name for o in by_kind.context["organisations"]] == ["Stadt Musterbach"]
    assert [o.name for o in by_text.context["organisations"]] == ["Glashütte Beispieltal"]
    with_nul = client.get(reverse("organisations"), {"q": "gl\x00as"})

    assert by_nonsense.status_code == 200
    assert by_nonsense.context["query"] == "x" * 100
    # PostgreSQL refuses a NUL byte in a query: it is dropped before the search.
    assert [o.name for o in with_nul.context["organisations"]] == ["Glashütte Beispieltal"]


@pytest.mark.parametrize(("item_count", "queries"), [(1, 3), (3, 3)])
def test_directory_query_count_does_not_grow_with_the_list(
    client, django_assert_num_queries, db, item_count, queries
):
    for i in range(item_count):
        Organisation.objects.create(name=f"Firma {i}", kind="company")

    # Organisations, the network's name, and the session-less user: a fixed number.
    with django_assert_num_queries(queries - 1):
        client.get(reverse("organisations"))


@pytest.mark.parametrize(("item_count"), [1, 3])
def test_home_query_count_does_not_grow_with_the_list(
    client, django_assert_num_queries, glassworks, item_count
):
    from datetime import timedelta

    from django.utils import timezone

    from treffpunkt.meetings.models import Meeting

    for i in range(item_count):
        starts = timezone.now() + timedelta(days=10 + i)
        Meeting.objects.create(
            title=f"Treffen {i}",
            host=glassworks,
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=10,
            status="published",
        )

    # Upcoming meetings, past meetings, the network's name.
    with django_assert_num_queries(3):
        client.get("/")


@pytest.mark.parametrize(
    ("as_role", "sees_people", "sees_email"),
    [
        ("anonymous", [], False),
        ("outsider", [], False),
        ("guest", [], False),
        ("member", ["Mia Mitglied", "Max Moderator"], True),
        ("organiser", ["Mia Mitglied", "Max Moderator", "Hanna Verborgen"], True),
    ],
    indirect=["as_role"],
)
def test_organisation_page_shows_people_only_as_their_consent_allows(
    as_role, sees_people, sees_email, glassworks, member, moderator, hidden_participant
):
    response = as_role.get(reverse("organisation", args=[glassworks.pk]))
    html = response.content.decode()

    assert [p.full_name for p in response.context["people"]] == sees_people
    assert "Glashütte Beispieltal" in html
    assert ("mia.mitglied@example.org" in html) is sees_email
    # Max shares no contact details, so his address shows to organisers only.
    assert ("max.moderator@example.org" in html) is (len(sees_people) == 3)


def test_member_sees_own_entry_even_without_directory_consent(client, consent_texts, glassworks):
    from .conftest import make_login, make_person

    user = make_login("scheu")
    make_person("Sina", "Scheu", glassworks, user=user)

    response = client_for(client, user).get(reverse("organisation", args=[glassworks.pk]))

    assert [p.full_name for p in response.context["people"]] == ["Sina Scheu"]
    assert "sina.scheu@example.org" in response.content.decode()


@pytest.mark.parametrize("as_role", ["anonymous", "member"], indirect=True)
def test_unlisted_organisation_is_not_found(as_role, db):
    hidden = Organisation.objects.create(name="Stille Firma GmbH", kind="company", listed=False)

    assert as_role.get(reverse("organisation", args=[hidden.pk])).status_code == 404


def test_missing_pages_are_404(client, db):
    assert client.get(reverse("organisation", args=[99999])).status_code == 404
    assert client.get(reverse("meeting", args=[99999])).status_code == 404
