"""The public registration form: who sees it, what it creates, and bad input that changes
nothing. Helpers here are shared by the other registration test modules."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from treffpunkt.meetings.models import Meeting, Registration
from treffpunkt.network.models import (
    Consent,
    ConsentPurpose,
    ConsentText,
    Organisation,
    Person,
)

from .conftest import make_person
from .test_pages import ALL_ROLES, client_for


@pytest.fixture(autouse=True)
def real_smtp(settings):
    """Django's test set-up swaps in the in-memory mail backend; our e-mails go through SMTP
    (the ``mailbox`` fixture's server, or nowhere)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


def consent_text(purpose: str) -> ConsentText:
    return ConsentText.objects.get(purpose=purpose, version="1")


def form_data(**overrides) -> dict:
    data = {
        "first_name": "Rita",
        "last_name": "Rahmen",
        "email": "rita.rahmen@example.org",
        "organisation": "",
        "new_organisation_name": "Rahmenbau Rita GmbH",
        "new_organisation_kind": "company",
        "topics": "Fachkräfte und Energie",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def post_registration(client, meeting, django_capture_on_commit_callbacks, url=None, **fields):
    """POST the form and run the after-commit work (the e-mail) as a real request would."""
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url or reverse("register", args=[meeting.pk]), form_data(**fields))


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def fill_seats(meeting, count: int, *, status=Registration.Status.CONFIRMED) -> list[Registration]:
    town = Organisation.objects.get_or_create(name="Sitzfüller AG", kind="company")[0]
    registrations = []
    start = Person.objects.count()
    for i in range(count):
        person = make_person(f"Sitz{start + i}", f"Füller{meeting.pk}", town)
        registrations.append(
            Registration.objects.create(
                meeting=meeting,
                person=person,
                status=status,
                created_at=timezone.now() - timedelta(hours=count - i),
            )
        )
    return registrations


@pytest.fixture
def as_role(request, client):
    """A client logged in as the persona named by the test's ``role`` parameter."""
    role = request.param
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return client_for(client, user)


# --- who sees the form -------------------------------------------------------------------


@pytest.mark.parametrize("as_role", ALL_ROLES, indirect=True)
def test_everybody_gets_the_form_with_every_consent_unticked_and_no_participant(
    as_role, consent_texts, upcoming_meeting, hidden_participant
):
    response = as_role.get(reverse("register", args=[upcoming_meeting.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert "Anmeldung zu 3. Netzwerktreffen" in html
    assert html.count('name="consents"') == 5
    assert " checked" not in html
    assert "Text photos" in html
    assert "Hanna Verborgen" not in html
    assert "Wärmeplanung im Quartier" not in html


def test_the_form_carries_a_privacy_notice_naming_the_network(
    client, consent_texts, upcoming_meeting
):
    from treffpunkt.network.models import Network

    network = Network.current()
    network.name = "KAG Musterregion"
    network.office_email = "buero@kag.example"
    network.save()

    html = client.get(reverse("register", args=[upcoming_meeting.pk])).content.decode()

    assert "Datenschutzhinweis" in html
    assert "Verantwortlich für Ihre Daten ist KAG Musterregion." in html
    assert "mailto:buero@kag.example" in html
    assert "Art. 6 Abs. 1 lit. b DSGVO" in html


@pytest.mark.parametrize("as_role", ["anonymous", "outsider", "guest", "member"], indirect=True)
def test_a_draft_meeting_has_no_registration_page(as_role, draft_meeting):
    response = as_role.get(reverse("register", args=[draft_meeting.pk]))

    assert response.status_code == 404


def test_a_purpose_without_published_text_is_not_asked_for(client, upcoming_meeting):
    ConsentText.objects.create(
        purpose=ConsentPurpose.DIRECTORY, version="1", text="Ins Verzeichnis"
    )

    html = client.get(reverse("register", args=[upcoming_meeting.pk])).content.decode()

    assert html.count('name="consents"') == 1
    assert "Ins Verzeichnis" in html


def test_the_form_shows_the_newest_text_of_a_purpose(client, consent_texts, upcoming_meeting):
    ConsentText.objects.create(
        purpose=ConsentPurpose.PHOTOS,
        version="2",
        text="Fotos, neue Fassung",
    )

    html = client.get(reverse("register", args=[upcoming_meeting.pk])).content.decode()

    assert "Fotos, neue Fassung" in html
    assert "Text photos" not in html


# --- a successful registration -----------------------------------------------------------


def test_a_new_person_registers_with_a_new_organisation_that_stays_unlisted(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    photos = consent_text(ConsentPurpose.PHOTOS)

    response = post_registration(
        client, upcoming_meeting, django_capture_on_commit_callbacks, consents=[str(photos.pk)]
    )

    person = Person.objects.get(email="rita.rahmen@example.org")
    registration = Registration.objects.get(person=person)
    assert response.url == reverse("register_thanks", args=[upcoming_meeting.pk])
    assert (person.full_name, person.organisation.name) == ("Rita Rahmen", "Rahmenbau Rita GmbH")
    assert (person.organisation.kind, person.organisation.listed) == ("company", False)
    assert (registration.status, registration.topics) == ("confirmed", "Fachkräfte und Energie")
    # Anybody could have typed this address: the consent waits for its owner's confirmation.
    assert list(Consent.objects.filter(person=person)) == []
    assert list(registration.requested_consents.all()) == [photos]
    assert person.profile.challenges == ""
    assert [m["To"] for m in mailbox] == ["rita.rahmen@example.org"]
    assert "Bitte bestätigen Sie dort die Einwilligungen" in mailbox[0].get_body().get_content()


NEUTRAL = (
    "Vielen Dank. Wir haben eine E-Mail an rita.rahmen@example.org geschickt: Sie sagt, ob "
    "Sie einen Platz haben oder auf der Warteliste stehen, und enthält Ihren persönlichen Link."
)


def test_the_thanks_page_tells_the_outcome_and_points_to_the_e_mail(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    response = client.get(reverse("register_thanks", args=[upcoming_meeting.pk]))

    # Whoever typed the address learns nothing about it here: the outcome is in the e-mail.
    assert messages_of(response) == [NEUTRAL]
    assert "Bitte sehen Sie in Ihr Postfach" in response.content.decode()
    assert Registration.objects.get().token not in response.content.decode()


def test_a_listed_organisation_can_be_chosen(
    client, consent_texts, upcoming_meeting, glassworks, mailbox, django_capture_on_commit_callbacks
):
    post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        organisation=str(glassworks.pk),
        new_organisation_name="",
        new_organisation_kind="",
    )

    assert Person.objects.get(email="rita.rahmen@example.org").organisation == glassworks
    assert Organisation.objects.count() == 1


def test_a_new_organisation_with_a_known_name_joins_the_existing_one(
    client, consent_texts, upcoming_meeting, glassworks, mailbox, django_capture_on_commit_callbacks
):
    post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        new_organisation_name="  GLASHÜTTE   beispieltal ",
    )

    assert Person.objects.get(email="rita.rahmen@example.org").organisation == glassworks
    assert Organisation.objects.count() == 1


def test_an_unlisted_organisation_cannot_be_picked_from_the_list(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    hidden = Organisation.objects.create(name="Stille Firma GmbH", kind="company", listed=False)

    form_html = client.get(reverse("register", args=[upcoming_meeting.pk])).content.decode()
    response = post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        organisation=str(hidden.pk),
        new_organisation_name="",
    )

    assert "Stille Firma GmbH" not in form_html
    assert response.status_code == 200
    assert Registration.objects.count() == 0


def test_a_full_meeting_puts_the_registration_on_the_waitlist(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    upcoming_meeting.capacity = 2
    upcoming_meeting.save()
    fill_seats(upcoming_meeting, 2)
    fill_seats(upcoming_meeting, 1, status=Registration.Status.WAITLISTED)

    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)
    thanks = client.get(reverse("register_thanks", args=[upcoming_meeting.pk]))

    registration = Registration.objects.get(person__email="rita.rahmen@example.org")
    assert registration.status == Registration.Status.WAITLISTED
    assert messages_of(thanks) == [NEUTRAL]
    assert "Warteliste" in mailbox[0]["Subject"]


def test_a_free_seat_goes_to_the_waitlist_before_a_newcomer(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    """A seat freed outside the services (e.g. in the admin) must not let anyone jump the
    queue: the head of the waitlist gets it first."""
    upcoming_meeting.capacity = 1
    upcoming_meeting.save()
    (waiting,) = fill_seats(upcoming_meeting, 1, status=Registration.Status.WAITLISTED)

    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    waiting.refresh_from_db()
    newcomer = Registration.objects.get(person__email="rita.rahmen@example.org")
    assert (waiting.status, newcomer.status) == ("confirmed", "waitlisted")
    assert sorted(m["To"] for m in mailbox) == ["rita.rahmen@example.org", waiting.person.email]


# --- the same person again ---------------------------------------------------------------


def test_a_double_submission_creates_one_registration_and_sends_the_link_again(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    first = post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)
    client.get(first.url)  # shows (and so clears) the first message
    again = post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        email="Rita.Rahmen@Example.org",
        topics="Etwas anderes",
    )
    thanks = client.get(again.url)

    registration = Registration.objects.get()
    assert Person.objects.count() == 1
    assert registration.topics == "Fachkräfte und Energie"
    assert messages_of(thanks) == [NEUTRAL]  # "already registered" only in the e-mail
    assert len(mailbox) == 2
    assert registration.token in mailbox[1].get_body(("plain",)).get_content()


def test_a_known_person_is_reused_and_their_directory_data_left_alone(
    client, member, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    person = member.person
    photos = consent_text(ConsentPurpose.PHOTOS)

    post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        first_name="Falscher",
        last_name="Name",
        email="MIA.Mitglied@example.org",
        consents=[str(photos.pk)],
    )
    thanks = client.get(reverse("register_thanks", args=[upcoming_meeting.pk]))

    person.refresh_from_db()
    assert Person.objects.count() == 1
    assert (person.full_name, person.organisation.name) == ("Mia Mitglied", "Glashütte Beispieltal")
    assert Registration.objects.get().person == person
    assert not person.has_consent(ConsentPurpose.PHOTOS)
    assert Organisation.objects.filter(name="Rahmenbau Rita GmbH").exists() is False
    assert messages_of(thanks)[1] == (
        "Bitte bestätigen Sie die angekreuzten Einwilligungen über den persönlichen Link in der "
        "E-Mail: Erst dann gelten sie, damit niemand in Ihrem Namen einwilligen kann."
    )


def test_a_logged_in_member_gets_the_form_filled_and_their_consents_count(
    client, member, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(client, member)
    photos = consent_text(ConsentPurpose.PHOTOS)

    form = client.get(reverse("register", args=[upcoming_meeting.pk])).context["form"]
    post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        first_name="Mia",
        last_name="Mitglied",
        email="mia.mitglied@example.org",
        consents=[str(photos.pk)],
    )

    assert form.initial["email"] == "mia.mitglied@example.org"
    assert form.initial["organisation"] == member.person.organisation
    member.person.refresh_from_db()
    assert member.person.has_consent(ConsentPurpose.PHOTOS)


@pytest.mark.parametrize(("taken", "says"), [
    (0, "Sie sind für 3. Netzwerktreffen angemeldet. Wir haben eine Bestätigung mit Ihrem "
        "persönlichen Link an mia.mitglied@example.org geschickt."),
    (1, "Das Treffen ist ausgebucht: Sie stehen auf der Warteliste, auf Platz 1. Wir schreiben "
        "an mia.mitglied@example.org, sobald ein Platz für Sie frei wird."),
])  # fmt: skip
def test_a_member_registering_their_own_address_sees_the_outcome_at_once(
    client, member, upcoming_meeting, mailbox, django_capture_on_commit_callbacks, taken, says
):
    upcoming_meeting.capacity = 1
    upcoming_meeting.save()
    fill_seats(upcoming_meeting, taken)
    client = client_for(client, member)

    post_registration(
        client, upcoming_meeting, django_capture_on_commit_callbacks,
        first_name="Mia", last_name="Mitglied", email="mia.mitglied@example.org",
    )  # fmt: skip
    thanks = client.get(reverse("register_thanks", args=[upcoming_meeting.pk]))

    assert messages_of(thanks) == [says]


def test_a_member_registering_again_is_told_where_the_link_went(
    client, member, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    client = client_for(client, member)
    mia = {"first_name": "Mia", "last_name": "Mitglied", "email": "mia.mitglied@example.org"}
    said = []
    for _ in range(3):
        post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks, **mia)
        said += messages_of(client.get(reverse("register_thanks", args=[upcoming_meeting.pk])))

    assert said[1:] == [
        "Sie sind zu diesem Treffen bereits angemeldet. Wir haben Ihren persönlichen Link noch "
        "einmal an mia.mitglied@example.org geschickt.",
        "Sie sind zu diesem Treffen bereits angemeldet. Ihr persönlicher Link ging vor wenigen "
        "Minuten an mia.mitglied@example.org: Bitte sehen Sie nach dieser E-Mail (auch im "
        "Spam-Ordner).",
    ]
    assert len(mailbox) == 2


def test_registering_again_after_cancelling_queues_at_the_end(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    upcoming_meeting.capacity = 1
    upcoming_meeting.save()
    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)
    first = Registration.objects.get()
    first.status = Registration.Status.CANCELLED
    first.save()
    (other,) = fill_seats(upcoming_meeting, 1)

    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    again = Registration.objects.get(pk=first.pk)
    assert again.status == Registration.Status.WAITLISTED
    assert again.created_at > other.created_at
    assert Registration.objects.count() == 2


# --- bad input changes nothing -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"email": "keine-adresse"}, "email", "Bitte gültige E-Mail-Adresse eingeben."),
        ({"first_name": ""}, "first_name", "Dieses Feld ist zwingend erforderlich."),
        ({"last_name": "  "}, "last_name", "Dieses Feld ist zwingend erforderlich."),
        (
            {"new_organisation_kind": ""},
            "new_organisation_kind",
            "Bitte wählen Sie, welche Art von Organisation „Rahmenbau Rita GmbH“ ist.",
        ),
        (
            {"new_organisation_name": ""},
            "organisation",
            "Wählen Sie Ihre Organisation aus der Liste oder tragen Sie unten eine neue ein.",
        ),
        ({"new_organisation_kind": "sekte"}, "new_organisation_kind", None),
        ({"topics": "x" * 2001}, "topics", None),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(
    client,
    consent_texts,
    upcoming_meeting,
    mailbox,
    django_capture_on_commit_callbacks,
    fields,
    field,
    message,
):
    response = post_registration(
        client, upcoming_meeting, django_capture_on_commit_callbacks, **fields
    )

    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert errors == [message] if message else len(errors) == 1, errors
    assert "Bitte prüfen Sie die markierten Felder" in response.content.decode()
    assert (Person.objects.count(), Registration.objects.count(), len(mailbox)) == (0, 0, 0)
    assert Organisation.objects.filter(name="Rahmenbau Rita GmbH").exists() is False


def test_choosing_a_listed_organisation_and_a_new_one_is_refused(
    client, consent_texts, upcoming_meeting, glassworks, django_capture_on_commit_callbacks
):
    response = post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        organisation=str(glassworks.pk),
    )

    assert response.context["form"].errors["new_organisation_name"] == [
        "Wählen Sie Ihre Organisation entweder aus der Liste oder tragen Sie eine neue ein, "
        "nicht beides."
    ]
    assert Person.objects.count() == 0


def test_a_consent_without_published_text_is_refused_and_changes_nothing(
    client, upcoming_meeting, django_capture_on_commit_callbacks
):
    """'A registration without consent text': the purpose has no text, so the form offers
    no box for it; a forged or outdated value gets a message and nothing is saved."""
    listed = ConsentText.objects.create(purpose=ConsentPurpose.DIRECTORY, version="1", text="x")

    response = post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        consents=[str(listed.pk), "999999"],
    )

    assert response.context["form"].errors["consents"] == [
        "Diese Einwilligung kann nicht erteilt werden: Die Organisatoren haben dafür keinen "
        "oder einen neueren Text veröffentlicht. Es wurde nichts gespeichert; bitte lesen Sie "
        "die Einwilligungen noch einmal und kreuzen Sie sie neu an."
    ]
    assert (Person.objects.count(), Registration.objects.count(), Consent.objects.count()) == (
        0,
        0,
        0,
    )


def test_consent_to_an_outdated_wording_is_refused(
    client, consent_texts, upcoming_meeting, django_capture_on_commit_callbacks
):
    old = consent_text(ConsentPurpose.PHOTOS)
    ConsentText.objects.create(purpose=ConsentPurpose.PHOTOS, version="2", text="neu")

    response = post_registration(
        client, upcoming_meeting, django_capture_on_commit_callbacks, consents=[str(old.pk)]
    )

    assert list(response.context["form"].errors) == ["consents"]
    assert Registration.objects.count() == 0


@pytest.mark.parametrize(
    "change",
    [
        {"registration_opens_at": timezone.now() + timedelta(days=3)},
        {"registration_closes_at": timezone.now() - timedelta(minutes=1)},
        {"status": Meeting.Status.CANCELLED},
    ],
    ids=["not-yet-open", "closed", "meeting-cancelled"],
)
def test_a_closed_registration_says_so_and_a_post_changes_nothing(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks, change
):
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(**change)

    page = client.get(reverse("register", args=[upcoming_meeting.pk]))
    posted = post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    assert "Die Anmeldung zu diesem Treffen ist geschlossen." in page.content.decode()
    assert 'name="first_name"' not in page.content.decode()
    assert posted.status_code == 200
    assert (Person.objects.count(), Registration.objects.count(), len(mailbox)) == (0, 0, 0)


def test_a_not_yet_open_registration_says_when_it_opens(client, consent_texts, upcoming_meeting):
    opens = timezone.now() + timedelta(days=3)
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(registration_opens_at=opens)

    response = client.get(reverse("register", args=[upcoming_meeting.pk]))

    assert response.context["opens_at"] == opens


def test_a_registration_closing_in_between_is_refused_by_the_service(
    consent_texts, upcoming_meeting
):
    from treffpunkt.meetings.registration import Registrant, RegistrationClosed, register

    Meeting.objects.filter(pk=upcoming_meeting.pk).update(
        registration_closes_at=timezone.now() - timedelta(seconds=1)
    )

    with pytest.raises(RegistrationClosed) as refused:
        register(
            meeting=upcoming_meeting,
            registrant=Registrant(
                "A",
                "B",
                "a@example.org",
                new_organisation_name="X",
                new_organisation_kind="company",
            ),
        )

    assert refused.value.message == "Die Anmeldung zu diesem Treffen ist geschlossen."
    assert Person.objects.count() == 0


def test_markup_in_a_registration_is_shown_as_text(
    client, organiser, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    post_registration(
        client,
        upcoming_meeting,
        django_capture_on_commit_callbacks,
        topics="<script>alert(1)</script>",
    )

    html = client_for(client, organiser).get(reverse("registrations", args=[upcoming_meeting.pk]))

    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html.content.decode()
    assert "<script>alert(1)" not in html.content.decode()


# --- the meeting page --------------------------------------------------------------------


def test_the_meeting_page_has_a_register_button_only_while_registration_is_open(
    client, upcoming_meeting
):
    url = reverse("meeting", args=[upcoming_meeting.pk])
    register_link = f'href="{reverse("register", args=[upcoming_meeting.pk])}"'

    open_html = client.get(url).content.decode()
    Meeting.objects.filter(pk=upcoming_meeting.pk).update(
        registration_closes_at=timezone.now() - timedelta(minutes=1)
    )
    closed_html = client.get(url).content.decode()

    assert register_link in open_html
    assert register_link not in closed_html


def test_a_registration_that_cannot_get_the_lock_in_time_asks_to_try_again(
    client, consent_texts, upcoming_meeting, monkeypatch, django_capture_on_commit_callbacks
):
    from treffpunkt.meetings.registration import RegistrationBusy
    from treffpunkt.meetings.views import registration as views

    def busy(**kwargs):
        raise RegistrationBusy("Gerade melden sich sehr viele Menschen an.")

    monkeypatch.setattr(views, "register", busy)

    response = post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Gerade melden sich sehr viele Menschen an."
    ]
    assert Person.objects.count() == 0
