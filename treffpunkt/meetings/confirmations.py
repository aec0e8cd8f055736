"""The e-mails of a registration: confirmed (with an iCal file), waitlisted, promoted,
cancelled. They go out after the transaction that changed the registration has committed."""

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from treffpunkt.network.models import Network

from . import ical
from .emails import Attachment, send_email
from .models import Registration

logger = logging.getLogger(__name__)

Status = Registration.Status


def personal_link(registration: Registration) -> str:
    """The absolute personal link ``SITE_URL/r/<token>/``: sent by e-mail, never printed."""
    return settings.SITE_URL + reverse("registration_personal", args=[registration.token])


def status_mail(registration: Registration) -> str:
    if registration.status == Status.WAITLISTED:
        return "registration-waitlisted"
    return "registration-confirmed"


def calendar_attachment(registration: Registration, *, network: Network, now=None) -> Attachment:
    """The meeting as an iCal file for this registration (UID stable per registration)."""
    meeting = registration.meeting
    host = urlsplit(settings.SITE_URL).hostname or "treffpunkt"
    event = ical.Event(
        uid=f"registration-{registration.pk}@{host}",
        summary=meeting.title,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        location=meeting.venue or (meeting.host.name if meeting.host_id else ""),
        description=meeting.description,
        # The public meeting page, not the personal link: calendars get synced and shared.
        url=settings.SITE_URL + reverse("meeting", args=[meeting.pk]),
        organiser_name=network.name,
        organiser_email=network.office_email,
    )
    return Attachment(
        "treffpunkt.ics", ical.calendar(event, now=now or timezone.now()), ical.MIMETYPE
    )


def send_registration_mail(name: str, registration: Registration, *, again: bool = False) -> None:
    """Send one of the registration e-mails to the registered person.

    Side effects: one SMTP delivery. Confirmations and promotions carry the iCal file.
    """
    network = Network.current()
    attachments = []
    if name in ("registration-confirmed", "registration-promoted"):
        attachments.append(calendar_attachment(registration, network=network))
    send_email(
        name,
        to=registration.person.email,
        context={
            "registration": registration,
            "meeting": registration.meeting,
            "person": registration.person,
            "link": personal_link(registration),
            "position": registration.waitlist_position(),
            "again": again,
            "network": network,
            "consents_to_confirm": registration.requested_consents.exists(),
        },
        attachments=attachments,
    )


def mail_after_commit(name: str, registration: Registration, *, again: bool = False) -> None:
    language = translation.get_language()

    def send() -> None:
        with translation.override(language):
            send_registration_mail(name, registration, again=again)

    # robust: the registration stands even when the mail server is down; the error is logged.
    transaction.on_commit(send, robust=True)
