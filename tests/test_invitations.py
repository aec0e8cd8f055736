"""Invitations: the organiser picks whom to invite, a background job sends the e-mails with
progress, and each invitation link opens the registration form filled in."""

from datetime import timedelta

import pytest
from django.urls import reverse

from treffpunkt.meetings.models import Invitation, Job, Meeting, Registration
from treffpunkt.network.models import ConsentPurpose, Person

from .conftest import make_login, make_person
from .test_pages import client_for
from .test_registration import consent_text, form_data, real_smtp  # noqa: F401

NOT_ORGANISERS = ["outsider", "guest", "member", "moderator"]


def invitations_url(meeting) -> str:
    return reverse("invitations", args=[meeting.pk])


def invite(client, meeting, django_capture_on_commit_callbacks, **data):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(invitations_url(meeting), data)


def emails(meeting) -> list[str]:
    return list(meeting.invitations.order_by("email").values_list("email", flat=True))


@pytest.fixture
def earlier_meeting(glassworks, upcoming_meeting):
    starts = upcoming_meeting.starts_at - timedelta(days=365)
    return Meeting.objects.create(
        title="1. Netzwerktreffen",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=30,
        status=Meeting.Status.PUBLISHED,
    )


@pytest.fixture
def cast(organiser, member, moderator, guest, glassworks):
    """Everybody in the directory: the personas plus one person without a login."""
    return make_person("Ohne", "Login", glassworks)


# --- who may invite ----------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_ORGANISERS)
def test_nobody_but_organisers_sees_or_sends_invitations(
    client, request, role, upcoming_meeting, django_capture_on_commit_callbacks
):
    client = client_for(client, request.getfixturevalue(role))

    page = client.get(invitations_url(upcoming_meeting))
    sent = invite(client, upcoming_meeting, django_capture_on_commit_callbacks, addresses="a@b.de")

    assert (page.status_code, sent.status_code) == (403, 403)
    assert Invitation.objects.count() == 0


def test_the_anonymous_public_is_sent_to_the_login(client, upcoming_meeting):
    response = client.get(invitations_url(upcoming_meeting))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- whom --------------------------------------------------------------------------------


def test_members_with_a_login_are_invited_and_the_e_mails_sent_in_the_background(
    client, cast, upcoming_meeting, organiser, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(client, organiser)

    response = invite(
        client, upcoming_meeting, django_capture_on_commit_callbacks, audiences="logins"
    )

    job = Job.objects.get()
    assert response.url == reverse("job", args=[upcoming_meeting.pk, job.pk])
    # Members with a login: the organiser (a member too), Mia and Max; not the guest.
    assert emails(upcoming_meeting) == [
        "max.moderator@example.org",
        "mia.mitglied@example.org",
        "olga.organisatorin@example.org",
    ]
    assert (job.kind, job.status, job.done, job.total) == ("Einladungen", "done", 3, 3)
    assert job.message == "3 Einladungen versendet."
    assert sorted(m["To"] for m in mailbox) == emails(upcoming_meeting)
    assert Invitation.objects.filter(sent_at__isnull=True).count() == 0


def test_the_whole_directory_is_invited_but_not_who_is_registered(
    client,
    cast,
    upcoming_meeting,
    organiser,
    hidden_participant,
    mailbox,
    django_capture_on_commit_callbacks,
):
    invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        audiences="directory",
    )

    assert emails(upcoming_meeting) == [
        "gerd.gast@example.org",
        "max.moderator@example.org",
        "mia.mitglied@example.org",
        "ohne.login@example.org",
        "olga.organisatorin@example.org",
    ]


def test_past_participants_of_earlier_meetings_are_invited(
    client,
    cast,
    upcoming_meeting,
    earlier_meeting,
    organiser,
    mailbox,
    django_capture_on_commit_callbacks,
):
    came = Person.objects.get(email="ohne.login@example.org")
    cancelled = Person.objects.get(email="gerd.gast@example.org")
    Registration.objects.create(meeting=earlier_meeting, person=came, status="attended")
    Registration.objects.create(meeting=earlier_meeting, person=cancelled, status="cancelled")

    invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        audiences="past",
    )

    assert emails(upcoming_meeting) == ["ohne.login@example.org"]
    assert Invitation.objects.get().person == came


def test_pasted_addresses_are_invited_and_known_ones_linked_to_their_person(
    client, cast, upcoming_meeting, organiser, mailbox, django_capture_on_commit_callbacks
):
    invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        addresses=(
            "neu@firma.example, Mia.Mitglied@example.org;\n"
            "<zweite@firma.example>  neu@firma.example"
        ),
    )

    invitations = list(upcoming_meeting.invitations.order_by("email"))
    assert [(i.email, i.person_id) for i in invitations] == [
        ("mia.mitglied@example.org", Person.objects.get(email="mia.mitglied@example.org").pk),
        ("neu@firma.example", None),
        ("zweite@firma.example", None),
    ]
    assert len(mailbox) == 3


def test_the_invitation_e_mail_carries_the_personal_invitation_link(
    client, organiser, upcoming_meeting, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://treffpunkt.example"

    invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        addresses="neu@firma.example",
    )

    (message,) = mailbox
    invitation = Invitation.objects.get()
    assert message["Subject"].strip() == "Einladung: 3. Netzwerktreffen"
    assert (
        f"https://treffpunkt.example/invitation/{invitation.token}/"
        in message.get_body(("plain",)).get_content()
    )


def test_inviting_an_address_again_creates_no_second_invitation_and_sends_nothing(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(client, organiser)
    first = invite(
        client, upcoming_meeting, django_capture_on_commit_callbacks, addresses="neu@firma.example"
    )
    client.get(first.url)  # shows (and so clears) the first message
    first_sent = Invitation.objects.get().sent_at

    again = invite(
        client, upcoming_meeting, django_capture_on_commit_callbacks, addresses="NEU@firma.example"
    )
    shown = client.get(again.url)

    assert Invitation.objects.count() == 1
    assert Invitation.objects.get().sent_at == first_sent
    assert len(mailbox) == 1
    assert [str(m) for m in shown.context["messages"]] == [
        "Es gab niemanden einzuladen. Ausgelassen: 0 bereits angemeldet, 1 schon früher eingeladen."
    ]


def test_asking_to_send_again_reuses_the_invitation(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(client, organiser)
    invite(
        client, upcoming_meeting, django_capture_on_commit_callbacks, addresses="neu@firma.example"
    )

    invite(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        addresses="neu@firma.example",
        resend="on",
    )

    assert Invitation.objects.count() == 1
    assert [m["To"] for m in mailbox] == ["neu@firma.example", "neu@firma.example"]


def test_a_refused_address_is_reported_and_the_others_still_sent(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    from aiosmtpd.smtp import SMTP

    original = SMTP.smtp_RCPT

    async def refuse_some(self, arg):
        if "abgelehnt" in arg:
            await self.push("550 No such user")
            return None
        return await original(self, arg)

    SMTP.smtp_RCPT = refuse_some
    try:
        invite(
            client_for(client, organiser),
            upcoming_meeting,
            django_capture_on_commit_callbacks,
            addresses="abgelehnt@firma.example gut@firma.example",
        )
    finally:
        SMTP.smtp_RCPT = original

    job = Job.objects.get()
    assert job.message == (
        "1 Einladung versendet. Diese Adressen wurden abgewiesen: abgelehnt@firma.example"
    )
    assert [m["To"] for m in mailbox] == ["gut@firma.example"]
    assert list(
        Invitation.objects.filter(sent_at__isnull=True).values_list("email", flat=True)
    ) == ["abgelehnt@firma.example"]


# --- bad input ---------------------------------------------------------------------------


def test_an_address_that_is_not_one_is_refused_and_nothing_is_created(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    response = invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        audiences="logins",
        addresses="gut@firma.example kein-at-zeichen also@kaputt",
    )

    assert response.status_code == 400
    assert response.context["form"].errors["addresses"] == [
        "Das sind keine E-Mail-Adressen: kein-at-zeichen, also@kaputt. Es wurde nichts versendet."
    ]
    assert (Invitation.objects.count(), Job.objects.count(), len(mailbox)) == (0, 0, 0)


def test_a_long_list_of_wrong_addresses_is_quoted_back_only_in_part(
    client, organiser, upcoming_meeting, django_capture_on_commit_callbacks
):
    response = invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        audiences="logins",
        addresses=" ".join(f"falsch{i}" for i in range(25)),
    )

    assert response.context["form"].errors["addresses"] == [
        "Das sind keine E-Mail-Adressen: "
        + ", ".join(f"falsch{i}" for i in range(10))
        + " und 15 weitere. Es wurde nichts versendet."
    ]


def test_choosing_nobody_is_refused(
    client, organiser, upcoming_meeting, django_capture_on_commit_callbacks
):
    response = invite(
        client_for(client, organiser), upcoming_meeting, django_capture_on_commit_callbacks
    )

    assert response.context["form"].non_field_errors() == [
        "Wählen Sie, wen Sie einladen möchten, oder tragen Sie E-Mail-Adressen ein."
    ]
    assert Invitation.objects.count() == 0


def test_an_unknown_audience_is_refused(
    client, organiser, upcoming_meeting, django_capture_on_commit_callbacks
):
    response = invite(
        client_for(client, organiser),
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        audiences="alle",
    )

    assert list(response.context["form"].errors) == ["audiences"]
    assert Invitation.objects.count() == 0


# --- the page ----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 3])
def test_the_invitations_page_costs_the_same_queries_however_many(
    client, organiser, upcoming_meeting, django_assert_num_queries, count
):
    for i in range(count):
        Invitation.objects.create(meeting=upcoming_meeting, email=f"p{i}@example.org")
    client = client_for(client, organiser)

    # session, user, meeting, registered addresses, invitations, jobs, the network's name
    with django_assert_num_queries(7):
        response = client.get(invitations_url(upcoming_meeting))

    assert len(response.context["invitations"]) == count


def test_the_page_shows_who_was_invited_sent_and_registered(
    client, organiser, upcoming_meeting, hidden_participant
):
    Invitation.objects.create(meeting=upcoming_meeting, email="hanna.verborgen@example.org")
    Invitation.objects.create(meeting=upcoming_meeting, email="offen@example.org")

    html = client_for(client, organiser).get(invitations_url(upcoming_meeting)).content.decode()

    assert "2 Einladungen" in html
    assert "0 versendet, 1 der Eingeladenen haben sich angemeldet." in html


# --- the invitation link -----------------------------------------------------------------


def test_the_invitation_link_opens_the_form_filled_in_for_a_known_person(
    client, member, upcoming_meeting
):
    invitation = Invitation.objects.create(
        meeting=upcoming_meeting, email="mia.mitglied@example.org", person=member.person
    )

    response = client.get(reverse("invitation", args=[invitation.token]))

    assert response.context["form"].initial == {
        "email": "mia.mitglied@example.org",
        "first_name": "Mia",
        "last_name": "Mitglied",
        "organisation": member.person.organisation,
    }
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cache-Control"] == "private, no-store"


def test_registering_through_the_invitation_counts_the_consents_of_a_known_person(
    client, member, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        meeting=upcoming_meeting, email="mia.mitglied@example.org", person=member.person
    )
    photos = consent_text(ConsentPurpose.PHOTOS)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("invitation", args=[invitation.token]),
            form_data(email="mia.mitglied@example.org", consents=[str(photos.pk)]),
        )

    assert response.url == reverse("register_thanks", args=[upcoming_meeting.pk])
    assert Registration.objects.get().person == member.person
    assert member.person.has_consent(ConsentPurpose.PHOTOS)


def test_a_forwarded_invitation_used_for_another_known_address_proves_nothing(
    client, member, moderator, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    invitation = Invitation.objects.create(
        meeting=upcoming_meeting, email="mia.mitglied@example.org"
    )
    photos = consent_text(ConsentPurpose.PHOTOS)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("invitation", args=[invitation.token]),
            form_data(email="max.moderator@example.org", consents=[str(photos.pk)]),
        )

    assert Registration.objects.get().person == moderator.person
    assert not moderator.person.has_consent(ConsentPurpose.PHOTOS)


def test_a_wrong_invitation_token_finds_nothing(client, upcoming_meeting):
    assert client.get(reverse("invitation", args=["falsch"])).status_code == 404


def test_an_invitation_to_a_closed_registration_says_so(client, upcoming_meeting):
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(status=Meeting.Status.CANCELLED)
    invitation = Invitation.objects.create(meeting=upcoming_meeting, email="neu@firma.example")

    response = client.get(reverse("invitation", args=[invitation.token]))

    assert "Die Anmeldung zu diesem Treffen ist geschlossen." in response.content.decode()


def test_a_guest_login_is_not_a_member_with_a_login(db, consent_texts, town, upcoming_meeting):
    from treffpunkt.meetings.invitations import invitation_recipients

    make_person("Presse", "Person", town, status="guest", user=make_login("presse"))

    assert invitation_recipients(meeting=upcoming_meeting, audiences=["logins"], addresses=[]) == {}
