"""The registration e-mails as they arrive at a real SMTP server, and the iCal attachment
read back with an independent parser (icalendar)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest

from treffpunkt.meetings import ical
from treffpunkt.meetings.models import Registration
from treffpunkt.network.models import Network

from .test_registration import fill_seats, post_registration, real_smtp  # noqa: F401


def calendar_of(message) -> icalendar.Calendar:
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert part.get_param("method") == "PUBLISH"
    return icalendar.Calendar.from_ical(part.get_content())


def subject(message) -> str:
    # A long encoded subject is folded onto the next line; the parser keeps the fold's space.
    return message["Subject"].strip()


def plain(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_the_confirmation_carries_the_personal_link_and_a_calendar_file(
    client, consent_texts, upcoming_meeting, mailbox, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://treffpunkt.example"
    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    registration = Registration.objects.get()
    link = f"https://treffpunkt.example/r/{registration.token}/"
    (message,) = mailbox
    calendar = calendar_of(message)
    (event,) = calendar.walk("VEVENT")
    assert subject(message) == "Anmeldung bestätigt: 3. Netzwerktreffen"
    assert message["To"] == "rita.rahmen@example.org"
    assert message["Auto-Submitted"] == "auto-generated"
    assert "Guten Tag Rita," in plain(message)
    assert link in plain(message)
    assert f'href="{link}"' in message.get_body(("html",)).get_content()
    assert calendar["METHOD"] == "PUBLISH"
    assert event["UID"] == f"registration-{registration.pk}@treffpunkt.example"
    assert event.decoded("DTSTART") == upcoming_meeting.starts_at.replace(microsecond=0)
    assert event["DTSTART"].to_ical().endswith(b"Z")
    assert event.decoded("DTEND") == upcoming_meeting.ends_at.replace(microsecond=0)
    # The calendar entry points to the public page: calendars get synced and shared.
    assert str(event["URL"]) == f"https://treffpunkt.example/meetings/{upcoming_meeting.pk}/"
    assert registration.token not in calendar.to_ical().decode()
    assert str(event["LOCATION"]) == "Werkhalle 2"
    assert str(event["SUMMARY"]) == "3. Netzwerktreffen"


def test_the_link_sent_again_keeps_the_calendar_uid(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)
    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    first, second = (calendar_of(m).walk("VEVENT")[0]["UID"] for m in mailbox)
    assert first == second
    assert "Sie haben Ihren persönlichen Link noch einmal angefordert" in plain(mailbox[1])


def test_the_public_form_sends_the_link_again_at_most_once_in_ten_minutes(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    # Anybody may submit anybody's address: a script must not turn the form into a mailer.
    for _ in range(5):
        post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)
    assert len(mailbox) == 2  # the confirmation, and the link once again
    assert "Sie haben Ihren persönlichen Link noch einmal angefordert" in plain(mailbox[1])

    registration = Registration.objects.get()
    earlier = registration.link_resent_at - Registration.RESEND_INTERVAL
    Registration.objects.update(link_resent_at=earlier)
    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    assert len(mailbox) == 3
    registration.refresh_from_db()
    assert registration.link_resent_at > earlier + Registration.RESEND_INTERVAL


def test_a_waitlist_e_mail_says_so_and_has_no_calendar_file(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    upcoming_meeting.capacity = 1
    upcoming_meeting.save()
    fill_seats(upcoming_meeting, 1)

    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    (message,) = mailbox
    assert subject(message) == "Auf der Warteliste: 3. Netzwerktreffen"
    assert "stehen Sie auf der Warteliste, auf Platz 1." in " ".join(plain(message).split())
    assert list(message.iter_attachments()) == []


def test_names_with_markup_characters_arrive_unescaped_in_the_text_part(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    upcoming_meeting.title = "Treffen für Glas & Präzision"
    upcoming_meeting.save()

    post_registration(
        client, upcoming_meeting, django_capture_on_commit_callbacks, first_name="Anna <B>"
    )

    (message,) = mailbox
    assert subject(message) == "Anmeldung bestätigt: Treffen für Glas & Präzision"
    assert "Guten Tag Anna <B>," in plain(message)
    assert "Anna &lt;B&gt;" in message.get_body(("html",)).get_content()


def test_an_e_mail_in_english_when_the_registrant_uses_english(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    assert subject(mailbox[0]) == "Registration confirmed: 3. Netzwerktreffen"


def test_a_mail_server_that_is_down_does_not_undo_the_registration(
    client, consent_texts, upcoming_meeting, django_capture_on_commit_callbacks, caplog
):
    # No mailbox fixture: the SMTP port is closed.
    response = post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    assert response.status_code == 302
    assert Registration.objects.count() == 1
    assert "on_commit" in caplog.text


# --- the iCal writer on its own ----------------------------------------------------------


def event(**overrides) -> ical.Event:
    values = {
        "uid": "registration-7@example.org",
        "summary": "Netzwerktreffen; Glas, Präzision",
        "starts_at": datetime(2025, 6, 11, 8, 0, tzinfo=UTC),
        "ends_at": datetime(2025, 6, 11, 12, 0, tzinfo=UTC),
    }
    values.update(overrides)
    return ical.Event(**values)


NOW = datetime(2025, 5, 1, 9, 30, tzinfo=UTC)


def test_text_values_are_escaped_and_read_back_unchanged():
    text = ical.calendar(event(description="Zeile 1\nZeile 2 \\ Ende"), now=NOW)
    (parsed,) = icalendar.Calendar.from_ical(text).walk("VEVENT")

    assert "SUMMARY:Netzwerktreffen\\; Glas\\, Präzision\r\n" in text
    assert str(parsed["SUMMARY"]) == "Netzwerktreffen; Glas, Präzision"
    assert str(parsed["DESCRIPTION"]) == "Zeile 1\nZeile 2 \\ Ende"


def test_long_lines_are_folded_at_75_octets_without_splitting_a_character():
    summary = "Ä" * 100
    text = ical.calendar(event(summary=summary), now=NOW)
    (parsed,) = icalendar.Calendar.from_ical(text).walk("VEVENT")

    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    assert str(parsed["SUMMARY"]) == summary
    assert text.endswith("END:VCALENDAR\r\n")


def test_times_are_written_in_utc():
    berlin_summer = datetime(2025, 6, 11, 12, 0, tzinfo=ZoneInfo("Europe/Berlin"))

    text = ical.calendar(event(starts_at=berlin_summer), now=NOW)

    assert "DTSTART:20250611T100000Z\r\n" in text
    assert "DTSTAMP:20250501T093000Z\r\n" in text


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError):
        ical.calendar(event(starts_at=datetime(2025, 6, 11, 8, 0)), now=NOW)


def test_the_organiser_is_the_network_office_when_it_has_an_address(
    client, consent_texts, upcoming_meeting, mailbox, django_capture_on_commit_callbacks
):
    network = Network.current()
    network.name, network.office_email = "KAG Musterregion", "buero@kag.example"
    network.save()

    post_registration(client, upcoming_meeting, django_capture_on_commit_callbacks)

    (parsed,) = calendar_of(mailbox[0]).walk("VEVENT")
    assert str(parsed["ORGANIZER"]) == "mailto:buero@kag.example"
    assert parsed["ORGANIZER"].params["CN"] == "KAG Musterregion"
