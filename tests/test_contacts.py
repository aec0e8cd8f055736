"""Participants confirm the contacts they made, through their personal link only."""

import pytest
from django.urls import reverse

from treffpunkt.meetings.models import ContactConfirmation, Meeting, Registration
from treffpunkt.network.models import ConsentPurpose
from treffpunkt.network.services import withdraw_consent

from .test_pages import client_for
from .test_report import build_held

NOT_YET = (
    "Sie können Ihre Kontakte bestätigen, sobald Sie am Treffen teilgenommen haben und die "
    "erste Runde stattgefunden hat."
)


@pytest.fixture
def held(db, consent_texts, glassworks, town, moderator):
    """The hand-built held meeting of ``test_report``."""
    return build_held(glassworks, town, moderator)


def url(registration):
    return reverse("registration_contacts", args=[registration.token])


def confirmed(meeting, person):
    return sorted(
        ContactConfirmation.objects.filter(meeting=meeting, person=person).values_list(
            "contact__first_name", flat=True
        )
    )


def test_a_participant_sees_the_listed_people_they_shared_a_group_with(client, held):
    response = client.get(url(held.registrations["Anna"]))
    html = response.content.decode()

    assert response.status_code == 200
    assert [p.full_name for p in response.context["mates"]] == [
        "Ben Brandt",
        "Dora Dietz",
        "Max Moderator",
    ]
    assert "Ben Brandt (Stadt Musterbach)" in html
    assert "Cem Celik" not in html  # never in Anna's group
    assert "@example.org" not in html  # names and organisations only


def test_the_page_keeps_its_secret_link_to_itself(client, held):
    response = client.get(url(held.registrations["Anna"]))

    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_group_mates_without_consent_to_be_listed_are_left_out(client, held):
    response = client.get(url(held.registrations["Dora"]))

    # Cem shared a group with Dora but agreed to nothing.
    assert [p.full_name for p in response.context["mates"]] == ["Anna Acker", "Ben Brandt"]
    assert "Cem Celik" not in response.content.decode()


def test_ticking_confirms_and_unticking_withdraws(client, held):
    anna = held.registrations["Anna"]

    saved = client.post(url(anna), {"contacts": [held.ben.pk, held.max.pk]})
    assert saved.url == url(anna)
    assert confirmed(held.meeting, held.anna) == ["Ben", "Max"]

    client.post(url(anna), {"contacts": [held.dora.pk]})
    page = client.get(url(anna))
    assert confirmed(held.meeting, held.anna) == ["Dora"]
    assert page.context["form"].initial == {"contacts": [held.dora.pk]}
    assert "Danke: Ihre Kontakte sind gespeichert." in page.content.decode()


@pytest.mark.parametrize("who", ["cem", "emil"])
def test_somebody_who_was_not_a_listed_group_mate_cannot_be_confirmed(client, held, who):
    dora = held.registrations["Dora"]
    client.post(url(dora), {"contacts": [held.anna.pk]})

    response = client.post(url(dora), {"contacts": [held.ben.pk, getattr(held, who).pk]})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "contacts": ["Sie können nur Menschen bestätigen, mit denen Sie in einer Gruppe waren."]
    }
    assert confirmed(held.meeting, held.dora) == ["Anna"]


def test_a_confirmation_of_somebody_now_hidden_is_kept(client, held):
    anna = held.registrations["Anna"]
    client.post(url(anna), {"contacts": [held.ben.pk, held.dora.pk]})
    withdraw_consent(person=held.dora, purpose=ConsentPurpose.DIRECTORY)

    client.post(url(anna), {"contacts": []})

    assert confirmed(held.meeting, held.anna) == ["Dora"]


@pytest.mark.parametrize("status", ["no_show", "cancelled", "confirmed", "waitlisted"])
def test_only_somebody_who_attended_can_confirm(client, held, status):
    registration = held.registrations["Ben"]
    registration.status = status
    registration.save(update_fields=["status"])

    page = client.get(url(registration))
    post = client.post(url(registration), {"contacts": [held.anna.pk]})

    assert (page.status_code, post.status_code) == (200, 403)
    assert NOT_YET in page.content.decode()
    assert "Anna Acker" not in page.content.decode()
    assert confirmed(held.meeting, held.ben) == []


def test_nothing_to_confirm_before_the_first_round(client, held, upcoming_meeting, member):
    registration = Registration.objects.create(
        meeting=upcoming_meeting, person=member.person, status=Registration.Status.ATTENDED
    )

    page = client.get(url(registration))

    assert NOT_YET in page.content.decode()
    assert "mates" not in page.context


def test_a_wrong_or_overlong_token_is_not_found(client, held):
    assert client.get(reverse("registration_contacts", args=["x" * 43])).status_code == 404
    assert client.get(reverse("registration_contacts", args=["x" * 65])).status_code == 404
    assert client.post(reverse("registration_contacts", args=["nope"])).status_code == 404


@pytest.mark.parametrize("role", ["organiser", "member", "moderator", "guest", "outsider"])
def test_a_login_is_no_key_only_the_token_is(client, request, role, held):
    client_for(client, request.getfixturevalue(role))

    response = client.get(reverse("registration_contacts", args=["falsch" * 8]))

    assert response.status_code == 404


def test_the_page_is_not_cached(client, held):
    response = client.get(url(held.registrations["Anna"]))

    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("items", [1, 3])
def test_the_contacts_page_query_count_does_not_grow(
    client, held, django_assert_num_queries, items
):
    anna = held.registrations["Anna"]
    mates = [held.ben, held.dora, held.max][:items]
    for mate in mates:
        ContactConfirmation.objects.create(meeting=held.meeting, person=held.anna, contact=mate)

    # Registration, encounters, people, confirmations, the form's choices, the network's
    # name (rounds_held says a round was held, so no query asks).
    with django_assert_num_queries(6):
        response = client.get(url(anna))
    assert sorted(response.context["form"].initial["contacts"]) == sorted(m.pk for m in mates)


def test_recorded_encounters_count_as_a_held_round_without_rounds_held(client, held):
    Meeting.objects.filter(pk=held.meeting.pk).update(rounds_held=0)

    response = client.get(url(held.registrations["Anna"]))

    assert len(response.context["mates"]) == 3
