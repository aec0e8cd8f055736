"""Invitations to a meeting: whom to invite, one Invitation per address, and the e-mails.

Sending runs as a background job (``tasks.send_invitations``) with progress: hundreds of
e-mails must not hold up the organiser's request.
"""

import logging
import smtplib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import get_connection
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from treffpunkt.network.models import Network, Person

from .emails import make_email
from .jobs import Progress
from .models import Invitation, Meeting, Registration
from .registration import LockedMeeting

logger = logging.getLogger(__name__)

Status = Registration.Status


def invitation_link(invitation: Invitation) -> str:
    return settings.SITE_URL + reverse("invitation", args=[invitation.token])


class Audience:
    LOGINS = "logins"
    DIRECTORY = "directory"
    PAST = "past"


@dataclass
class InvitationBatch:
    """What ``create_invitations`` did: the ids to send, and what it left out and why."""

    to_send: list[int]
    created: int
    already_registered: int
    already_sent: int


def invitation_recipients(
    *, meeting: Meeting, audiences: Iterable[str], addresses: Iterable[str]
) -> dict[str, Person | None]:
    """Lower-cased address → person (or None for a pasted unknown address), deduplicated."""
    audiences = set(audiences)
    people = Person.objects.none()
    if Audience.DIRECTORY in audiences:
        people = Person.objects.all()
    elif Audience.LOGINS in audiences:
        people = Person.objects.filter(
            status=Person.Status.MEMBER, user__isnull=False, user__is_active=True
        )
    if Audience.PAST in audiences:
        past = (
            Registration.objects.filter(
                meeting__starts_at__lt=meeting.starts_at,
            )
            .exclude(status=Status.CANCELLED)
            .exclude(meeting=meeting)
        )
        people = people | Person.objects.filter(pk__in=past.values("person_id"))
    recipients: dict[str, Person | None] = {p.email.lower(): p for p in people.distinct()}
    pasted = [a.lower() for a in addresses]
    known = Person.objects.alias(email_lower=Lower("email")).filter(email_lower__in=pasted)
    known_by_email = {p.email.lower(): p for p in known}
    for address in pasted:
        recipients.setdefault(address, known_by_email.get(address))
    return recipients


def create_invitations(
    *, meeting: Meeting, recipients: dict[str, Person | None], resend: bool = False
) -> InvitationBatch:
    """One Invitation per address (never a second one for the same address and meeting).

    Leaves out people registered already; leaves out addresses invited before unless
    ``resend``. Side effects: new Invitation rows (under the meeting's lock, so two
    organisers at once cannot invite an address twice).
    """
    with LockedMeeting(meeting.pk) as meeting:
        registered = set(
            Person.objects.filter(
                registrations__meeting=meeting,
                registrations__status__in=[*Registration.SEATED, Status.WAITLISTED],
            ).values_list(Lower("email"), flat=True)
        )
        existing = {i.email.lower(): i for i in meeting.invitations.all()}
        new, to_send, sent_before = [], [], 0
        for address, person in sorted(recipients.items()):
            if address in registered:
                continue
            invitation = existing.get(address)
            if invitation is None:
                new.append(Invitation(meeting=meeting, email=address, person=person))
            elif invitation.sent_at is None or resend:
                to_send.append(invitation.pk)
            else:
                sent_before += 1
        Invitation.objects.bulk_create(new)
        to_send += [i.pk for i in meeting.invitations.filter(email__in=[i.email for i in new])]
    return InvitationBatch(
        to_send=sorted(to_send),
        created=len(new),
        already_registered=len(registered & recipients.keys()),
        already_sent=sent_before,
    )


def send_invitations(*, invitation_ids: Sequence[int], progress: Progress, language: str) -> None:
    """Send the invitation e-mails over one SMTP connection, reporting progress.

    Side effects: one e-mail per invitation; ``sent_at`` set on each one sent. An address the
    server refuses is reported at the end and does not stop the others.
    """
    invitations = list(
        Invitation.objects.filter(pk__in=invitation_ids)
        .select_related("meeting", "meeting__host", "person")
        .order_by("email")
    )
    progress.start(total=len(invitations))
    failed: list[str] = []
    network = Network.current()
    with get_connection() as smtp:
        for invitation in invitations:
            message = make_email(
                "invitation",
                to=invitation.email,
                context={
                    "meeting": invitation.meeting,
                    "person": invitation.person,
                    "link": invitation_link(invitation),
                    "network": network,
                },
                language=language,
                connection=smtp,
            )
            try:
                message.send()
            except smtplib.SMTPException:
                logger.warning("Invitation %s could not be sent", invitation.pk, exc_info=True)
                failed.append(invitation.email)
                smtp.close()  # the next mail opens a fresh connection
            else:
                Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now())
            progress.step()
    with translation.override(language):
        sent = len(invitations) - len(failed)
        message = ngettext("%(sent)s invitation sent.", "%(sent)s invitations sent.", sent) % {
            "sent": sent
        }
        if failed:
            message += " " + _("These addresses were refused: %(addresses)s") % {
                "addresses": ", ".join(failed)
            }
    progress.finish(message=message)
