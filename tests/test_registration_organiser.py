"""The organisers' registrations page: who sees it, the counts, the capacity, cancelling."""

import pytest
from django.urls import reverse

from treffpunkt.meetings.models import Meeting, Registration
from treffpunkt.network.models import ConsentPurpose, ConsentText

from .test_pages import client_for
from .test_registration import fill_seats, real_smtp  # noqa: F401

Status = Registration.Status
NOT_ORGANISERS = ["outsider", "guest", "member", "moderator"]


def registrations_url(meeting) -> str:
    return reverse("registrations", args=[meeting.pk])


def statuses(meeting) -> list[str]:
    return list(meeting.registrations.order_by("created_at", "pk").values_list("status", flat=True))


# --- who sees it -------------------------------------------------------------------------


def test_the_organiser_sees_every_registration_with_kind_status_and_topics(
    client, organiser, upcoming_meeting, hidden_participant
):
    (waiting,) = fill_seats(upcoming_meeting, 1, status=Status.WAITLISTED)
    (cancelled,) = fill_seats(upcoming_meeting, 1, status=Status.CANCELLED)

    response = client_for(client, organiser).get(registrations_url(upcoming_meeting))
    html = response.content.decode()

    assert response.status_code == 200
    assert [r.person.full_name for r in response.context["registrations"]] == [
        waiting.person.full_name,
        cancelled.person.full_name,
        "Hanna Verborgen",
    ]
    assert "Wärmeplanung im Quartier" in html
    assert "<td>Unternehmen</td>" in html
    assert "Warteliste (Platz 1)" in html
    assert response.context["counts"] == {
        "confirmed": 1,
        "waitlisted": 1,
        "cancelled": 1,
        "attended": 0,
        "no_show": 0,
    }
    assert "1 von 50 Plätzen belegt" in html


@pytest.mark.parametrize("role", NOT_ORGANISERS)
def test_nobody_else_sees_the_registrations(
    client, request, role, upcoming_meeting, hidden_participant
):
    response = client_for(client, request.getfixturevalue(role)).get(
        registrations_url(upcoming_meeting)
    )

    assert response.status_code == 403
    assert "Hanna Verborgen" not in response.content.decode()


def test_the_anonymous_public_is_sent_to_the_login(client, upcoming_meeting, hidden_participant):
    response = client.get(registrations_url(upcoming_meeting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_missing_meeting_is_not_found(client, organiser):
    assert client_for(client, organiser).get("/meetings/999999/registrations/").status_code == 404


def test_the_organiser_is_warned_about_purposes_without_consent_text(
    client, organiser, upcoming_meeting
):
    ConsentText.objects.filter(purpose__in=[ConsentPurpose.PHOTOS, ConsentPurpose.QUOTES]).delete()

    response = client_for(client, organiser).get(registrations_url(upcoming_meeting))

    assert [str(label) for label in response.context["missing_consent_texts"]] == [
        "Fotos von mir in Berichten",
        "Zitiert werden in der Pressemitteilung des Treffens",
    ]
    assert (
        "Für diese Zwecke ist kein Einwilligungstext veröffentlicht:" in response.content.decode()
    )


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_number_of_queries_however_long(
    client, organiser, upcoming_meeting, django_assert_num_queries, count
):
    fill_seats(upcoming_meeting, count)
    client = client_for(client, organiser)

    # session, user, meeting, registrations, consent texts, the network's name
    with django_assert_num_queries(6):
        client.get(registrations_url(upcoming_meeting))


# --- the capacity ------------------------------------------------------------------------


def capacity(client, meeting, value, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(
            reverse("registrations_capacity", args=[meeting.pk]), {"capacity": value}
        )


def test_a_capacity_below_the_confirmed_count_is_refused_and_changes_nothing(
    client, organiser, upcoming_meeting, django_capture_on_commit_callbacks
):
    fill_seats(upcoming_meeting, 3)

    response = capacity(
        client_for(client, organiser), upcoming_meeting, 2, django_capture_on_commit_callbacks
    )

    assert response.status_code == 400
    assert response.context["capacity_form"].errors["capacity"] == [
        "3 Personen haben bereits einen Platz: Die Kapazität kann nicht kleiner sein. "
        "Es wurde nichts geändert."
    ]
    assert "Die Kapazität wurde nicht geändert." in response.content.decode()
    assert Meeting.objects.get(pk=upcoming_meeting.pk).capacity == 50


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("0", "Dieser Wert muss größer oder gleich 1 sein."),
        ("viele", "Bitte eine ganze Zahl eingeben."),
        ("", "Dieses Feld ist zwingend erforderlich."),
    ],
)
def test_a_capacity_that_is_no_positive_number_is_refused(
    client, organiser, upcoming_meeting, django_capture_on_commit_callbacks, value, message
):
    response = capacity(
        client_for(client, organiser), upcoming_meeting, value, django_capture_on_commit_callbacks
    )

    assert response.context["capacity_form"].errors["capacity"] == [message]
    assert Meeting.objects.get(pk=upcoming_meeting.pk).capacity == 50


def test_more_seats_move_the_waitlist_up_in_order_and_tell_them(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(capacity=1)
    fill_seats(upcoming_meeting, 1)
    first, second, third = fill_seats(upcoming_meeting, 3, status=Status.WAITLISTED)
    client = client_for(client, organiser)

    response = capacity(client, upcoming_meeting, 3, django_capture_on_commit_callbacks)
    shown = client.get(response.url)

    assert Meeting.objects.get(pk=upcoming_meeting.pk).capacity == 3
    assert statuses(upcoming_meeting) == ["confirmed", "confirmed", "confirmed", "waitlisted"]
    assert sorted(m["To"] for m in mailbox) == sorted([first.person.email, second.person.email])
    assert [str(m) for m in shown.context["messages"]] == [
        "Das Treffen hat jetzt 3 Plätze.",
        f"Von der Warteliste nachgerückt und per E-Mail benachrichtigt: "
        f"{first.person.full_name}, {second.person.full_name}",
    ]


def test_a_capacity_equal_to_the_confirmed_count_is_fine(
    client, organiser, upcoming_meeting, django_capture_on_commit_callbacks
):
    fill_seats(upcoming_meeting, 2)

    capacity(client_for(client, organiser), upcoming_meeting, 2, django_capture_on_commit_callbacks)

    assert Meeting.objects.get(pk=upcoming_meeting.pk).capacity == 2


@pytest.mark.parametrize("role", NOT_ORGANISERS)
def test_nobody_else_changes_the_capacity(
    client, request, role, upcoming_meeting, django_capture_on_commit_callbacks
):
    response = capacity(
        client_for(client, request.getfixturevalue(role)),
        upcoming_meeting,
        99,
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 403
    assert Meeting.objects.get(pk=upcoming_meeting.pk).capacity == 50


def test_the_anonymous_public_cannot_change_the_capacity(
    client, upcoming_meeting, django_capture_on_commit_callbacks
):
    response = capacity(client, upcoming_meeting, 99, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Meeting.objects.get(pk=upcoming_meeting.pk).capacity == 50


# --- cancelling for someone --------------------------------------------------------------


def test_the_organiser_cancels_a_registration_and_the_waitlist_moves_up(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(capacity=1)
    (seated,) = fill_seats(upcoming_meeting, 1)
    (waiting,) = fill_seats(upcoming_meeting, 1, status=Status.WAITLISTED)
    client = client_for(client, organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations_cancel", args=[upcoming_meeting.pk, seated.pk]), follow=True
        )

    assert statuses(upcoming_meeting) == ["cancelled", "confirmed"]
    assert next(str(m) for m in response.context["messages"]) == (
        f"Die Anmeldung von {seated.person.full_name} ist storniert."
    )
    assert sorted(m["To"] for m in mailbox) == sorted([seated.person.email, waiting.person.email])


@pytest.mark.parametrize("role", NOT_ORGANISERS)
def test_nobody_else_cancels_a_registration(
    client, request, role, upcoming_meeting, hidden_participant
):
    registration = Registration.objects.get()

    response = client_for(client, request.getfixturevalue(role)).post(
        reverse("registrations_cancel", args=[upcoming_meeting.pk, registration.pk])
    )

    assert response.status_code == 403
    assert Registration.objects.get().status == Status.CONFIRMED


def test_a_registration_of_another_meeting_is_not_found(
    client, organiser, upcoming_meeting, draft_meeting, hidden_participant
):
    registration = Registration.objects.get()

    response = client_for(client, organiser).post(
        reverse("registrations_cancel", args=[draft_meeting.pk, registration.pk])
    )

    assert response.status_code == 404
    assert Registration.objects.get().status == Status.CONFIRMED


def test_a_cancel_button_only_for_registrations_that_can_be_cancelled(
    client, organiser, upcoming_meeting
):
    fill_seats(upcoming_meeting, 1)
    fill_seats(upcoming_meeting, 1, status=Status.ATTENDED)
    fill_seats(upcoming_meeting, 1, status=Status.CANCELLED)

    html = client_for(client, organiser).get(registrations_url(upcoming_meeting)).content.decode()

    assert html.count("Anmeldung stornieren<span") == 1
