"""The press release draft: facts, stations, figures; quotes and names only with consent."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from treffpunkt.meetings.models import Meeting, Quote, StationNote
from treffpunkt.meetings.press import NotQuotable, add_quote, draft_press_release
from treffpunkt.network.models import ConsentPurpose
from treffpunkt.network.services import withdraw_consent

from .test_pages import client_for
from .test_report import build_held, make_photo

BERLIN = ZoneInfo("Europe/Berlin")
NO_CONSENT = (
    "Zitiert werden können nur Teilnehmende, die eingewilligt haben, zitiert zu werden. "
    "Fragen Sie die Person zuerst nach ihrer Einwilligung."
)


@pytest.fixture
def held(db, consent_texts, glassworks, town, moderator):
    """The report's meeting on a fixed date, with notes and the quotes of Anna and Ben.

    Anna consented to be quoted; Ben did not (his quote was entered past the form).
    """
    held_meeting = build_held(glassworks, town, moderator)
    Meeting.objects.filter(pk=held_meeting.meeting.pk).update(
        starts_at=datetime(2026, 6, 4, 17, tzinfo=BERLIN),
        ends_at=datetime(2026, 6, 4, 21, tzinfo=BERLIN),
    )
    held_meeting.meeting.refresh_from_db()
    notes = [
        (held_meeting.ki, "key_point", "Erste Betriebe nutzen KI bei der Wartung", None),
        (held_meeting.ki, "concern", "Sorgen um Datenschutz.", None),
        (held_meeting.ki, "follow_up", "Ben Brandt lädt zum Praxistag ein.", held_meeting.ben),
        (held_meeting.energy, "idea", "Abwärme an die Stadtwerke geben.", None),
    ]
    for station, kind, text, owner in notes:
        StationNote.objects.create(station=station, kind=kind, text=text, owner=owner)
    Quote.objects.create(
        meeting=held_meeting.meeting, person=held_meeting.anna, text="Viele neue Kontakte!"
    )
    Quote.objects.create(
        meeting=held_meeting.meeting, person=held_meeting.ben, text="Geheime Meinung von Ben."
    )
    return held_meeting


EXPECTED = """2. Netzwerktreffen

5 Teilnehmende trafen sich am 4. Juni 2026 zum „2. Netzwerktreffen“ bei Glashütte Beispieltal \
in Beispieltal. Sie kamen aus Unternehmen (2), Kommunen (1), Politik und Verwaltung (1) und \
Verbänden und Kammern (1). Veranstaltungsort: Gemengehaus.

„Viele neue Kontakte!“, so Anna Acker (Glashütte Beispieltal).

Das Netzwerk lebt vom konkreten Austausch: Zwei Dialogstationen griffen die Themen der \
Teilnehmenden auf.

Die Station „KI“ zeigte: Erste Betriebe nutzen KI bei der Wartung. Geäußerte Sorgen: Sorgen \
um Datenschutz. Verabredet wurde: [Name] lädt zum Praxistag ein.

Die Station „Energie“ tauschte Erfahrungen aus. Ideen: Abwärme an die Stadtwerke geben.

Bei dem Treffen sind 6 neue Kontakte entstanden: So viele Paare von Teilnehmenden kamen in den \
Gesprächsrunden zum ersten Mal zusammen. 6 der 7 Begegnungen brachten Menschen aus \
unterschiedlichen Bereichen zusammen – aus Unternehmen, Kommunen und Politik. 2 Teilnehmende \
waren schon bei einem früheren Treffen dabei, 3 kamen zum ersten Mal.

Bildunterschriften:
Gruppenbild: Alle vor dem Ofen
"""


def test_the_draft_tells_facts_quotes_stations_figures_and_captions(held):
    make_photo(held.meeting, [held.anna, held.ben], caption="Alle vor dem Ofen")
    make_photo(held.meeting, [held.anna, held.cem], caption="Cem am Stand", kind="exchange")
    make_photo(held.meeting, [], caption="Niemand markiert", kind="other")

    assert draft_press_release(held.meeting) == EXPECTED


def test_the_draft_names_nobody_who_did_not_consent_to_be_quoted(held):
    text = draft_press_release(held.meeting)

    assert "Geheime Meinung" not in text
    for person in (held.ben, held.cem, held.dora, held.max, held.emil):
        assert person.full_name not in text
        assert person.last_name not in text
    assert "Anna Acker" in text


def test_a_withdrawn_consent_takes_the_quote_and_the_name_out(held):
    withdraw_consent(person=held.anna, purpose=ConsentPurpose.QUOTES)

    text = draft_press_release(held.meeting)

    assert "Viele neue Kontakte" not in text
    assert "Acker" not in text


def test_the_service_refuses_a_quote_without_consent(held):
    with pytest.raises(NotQuotable):
        add_quote(meeting=held.meeting, person=held.ben, text="Doch zitiert?")

    assert Quote.objects.filter(person=held.ben).count() == 1


def url(meeting, name="press_release"):
    return reverse(name, args=[meeting.pk])


def test_the_organiser_sees_a_fresh_draft_and_saves_the_edited_text(client, organiser, held):
    client_for(client, organiser)

    fresh = client.get(url(held.meeting))
    saved = client.post(url(held.meeting), {"action": "save", "text": "Mein Text"})
    again = client.get(url(held.meeting))

    held.meeting.refresh_from_db()
    assert fresh.context["text_form"].initial["text"] == draft_press_release(held.meeting)
    assert "Noch nicht gespeichert" in fresh.content.decode()
    assert saved.url == url(held.meeting)
    assert held.meeting.press_release == "Mein Text"
    assert again.context["text_form"].initial["text"] == "Mein Text"
    assert "Noch nicht gespeichert" not in again.content.decode()


def test_draft_again_asks_first_then_replaces_the_edits(client, organiser, held):
    Meeting.objects.filter(pk=held.meeting.pk).update(press_release="Bearbeitet")
    client_for(client, organiser)

    question = client.get(url(held.meeting, "press_release_redraft"))
    held.meeting.refresh_from_db()
    assert held.meeting.press_release == "Bearbeitet"
    assert "Ihre Änderungen gehen verloren" in question.content.decode()

    response = client.post(url(held.meeting, "press_release_redraft"))
    held.meeting.refresh_from_db()
    assert response.url == url(held.meeting)
    assert held.meeting.press_release == draft_press_release(held.meeting)


def test_a_text_too_long_is_refused_and_the_saved_one_kept(client, organiser, held):
    Meeting.objects.filter(pk=held.meeting.pk).update(press_release="Bleibt")

    response = client_for(client, organiser).post(
        url(held.meeting), {"action": "save", "text": "x" * 20001}
    )

    held.meeting.refresh_from_db()
    assert response.context["text_form"].errors == {
        "text": [
            "Bitte sicherstellen, dass der Wert aus höchstens 20000 Zeichen besteht. "
            "(Er besteht aus 20001 Zeichen.)"
        ]
    }
    assert held.meeting.press_release == "Bleibt"


def test_the_organiser_adds_a_quote_of_somebody_who_consented(client, organiser, held):
    response = client_for(client, organiser).post(
        url(held.meeting), {"action": "quote", "person": held.anna.pk, "text": " Toll. "}
    )

    assert response.url == url(held.meeting)
    assert list(Quote.objects.filter(person=held.anna).values_list("text", flat=True)) == [
        "Viele neue Kontakte!",
        "Toll.",
    ]


@pytest.mark.parametrize("who", ["ben", "cem", "emil"])
def test_a_quote_of_somebody_who_did_not_consent_is_refused(client, organiser, held, who):
    response = client_for(client, organiser).post(
        url(held.meeting),
        {"action": "quote", "person": getattr(held, who).pk, "text": "Gesagt"},
    )

    assert response.status_code == 200
    assert response.context["quote_form"].errors == {"person": [NO_CONSENT]}
    assert NO_CONSENT in response.content.decode()
    assert Quote.objects.filter(text="Gesagt").count() == 0


def test_the_page_marks_a_quote_whose_consent_was_withdrawn(client, organiser, held):
    withdraw_consent(person=held.anna, purpose=ConsentPurpose.QUOTES)

    response = client_for(client, organiser).get(url(held.meeting))

    assert [(q.person.first_name, usable) for q, usable in response.context["quotes"]] == [
        ("Anna", False),
        ("Ben", False),
    ]
    assert "Einwilligung widerrufen: wird nicht verwendet" in response.content.decode()


def test_a_saved_text_with_a_withdrawn_quote_is_flagged_and_cannot_be_saved_again(
    client, organiser, held
):
    saved = draft_press_release(held.meeting)
    Meeting.objects.filter(pk=held.meeting.pk).update(press_release=saved)
    withdraw_consent(person=held.anna, purpose=ConsentPurpose.QUOTES)
    client_for(client, organiser)

    page = client.get(url(held.meeting)).content.decode()
    response = client.post(url(held.meeting), {"action": "save", "text": saved + "\nNeu."})

    assert "Viele neue Kontakte!" in saved
    assert "zitiert oder nennt noch Anna Acker" in page
    assert response.status_code == 200
    assert response.context["text_form"].errors["text"] == [
        "Der Text zitiert oder nennt noch Anna Acker, die nicht mehr zitiert werden möchten: "
        "Nehmen Sie sie zuerst heraus. Es wurde nichts gespeichert."
    ]
    assert Meeting.objects.get(pk=held.meeting.pk).press_release == saved


def test_the_organiser_deletes_a_quote(client, organiser, held):
    quote = Quote.objects.get(person=held.anna)

    response = client_for(client, organiser).post(reverse("quote_delete", args=[quote.pk]))

    assert response.url == url(held.meeting)
    assert list(Quote.objects.values_list("person__first_name", flat=True)) == ["Ben"]


@pytest.mark.parametrize("role", ["member", "moderator", "guest", "outsider"])
def test_only_organisers_draft_save_and_quote(client, request, role, held):
    quote = Quote.objects.get(person=held.anna)
    client_for(client, request.getfixturevalue(role))

    responses = [
        client.get(url(held.meeting)),
        client.post(url(held.meeting), {"action": "save", "text": "Fremd"}),
        client.post(
            url(held.meeting), {"action": "quote", "person": held.anna.pk, "text": "Fremd"}
        ),
        client.get(url(held.meeting, "press_release_redraft")),
        client.post(url(held.meeting, "press_release_redraft")),
        client.post(reverse("quote_delete", args=[quote.pk])),
    ]

    held.meeting.refresh_from_db()
    assert [r.status_code for r in responses] == [403] * 6
    assert (held.meeting.press_release, Quote.objects.count()) == ("", 2)


def test_anonymous_is_sent_to_the_login_for_the_press_release(client, held):
    response = client.post(url(held.meeting), {"action": "save", "text": "Fremd"})

    assert response.url.startswith(reverse("login"))
    assert Meeting.objects.get(pk=held.meeting.pk).press_release == ""


@pytest.mark.parametrize("items", [1, 3])
def test_the_press_release_page_query_count_does_not_grow(
    client, organiser, held, django_assert_num_queries, items
):
    for i in range(items):
        Quote.objects.create(meeting=held.meeting, person=held.anna, text=f"Zitat {i}")
    Meeting.objects.filter(pk=held.meeting.pk).update(press_release="Gespeichert")
    client_for(client, organiser)

    # Session, user, meeting; quotes with consents (3) and with people (1); the people who
    # may be quoted (2: any at all, then the choices); the network's name.
    with django_assert_num_queries(10):
        response = client.get(url(held.meeting))
    assert len(response.context["quotes"]) == items + 2
