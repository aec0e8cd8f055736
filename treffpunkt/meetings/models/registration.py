"""Who registered for a meeting, with which topics, and where they stand."""

import secrets
from datetime import datetime, timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Person

from .meeting import Meeting, new_token


def new_checkin_code() -> str:
    """A short secret for the badge's QR code (it can check in, nothing else)."""
    return secrets.token_urlsafe(12)


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("No-show")

    #: Statuses that hold a seat.
    SEATED = (Status.CONFIRMED, Status.ATTENDED)

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="registrations"
    )
    topics = models.TextField(
        _("topics"), blank=True, help_text=_("What the person would like to talk about.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    token = models.CharField(
        max_length=64,
        unique=True,
        default=new_token,
        editable=False,
        help_text=_("Secret of the personal link that changes or cancels the registration."),
    )
    checkin_code = models.CharField(
        max_length=32,
        unique=True,
        default=new_checkin_code,
        editable=False,
        help_text=_("Printed on the badge as a QR code; it only checks the person in."),
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    link_resent_at = models.DateTimeField(
        _("personal link last sent again"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Sent again at most once in ten minutes: the public form is not a mailer."),
    )
    wishes = models.ManyToManyField(
        "meetings.Station",
        verbose_name=_("station wishes"),
        blank=True,
        related_name="wished_by",
    )
    requested_consents = models.ManyToManyField(
        "network.ConsentText",
        verbose_name=_("consents ticked, not yet confirmed"),
        blank=True,
        related_name="+",
        help_text=_(
            "Ticked on the public form for an address nobody had proven: they count only once "
            "the person confirms them through their personal link."
        ),
    )

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"],
                name="registration_once_per_meeting",
                violation_error_message=_("This person is registered for this meeting already."),
            ),
        ]

    #: Anybody can submit the public form with anybody's address; each submission for a
    #: registered person would send the personal link again, so a script could flood an
    #: inbox. One such e-mail per registration in this time is enough for a lost link.
    RESEND_INTERVAL = timedelta(minutes=10)

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"

    def may_resend_link(self, now: datetime) -> bool:
        """Whether the personal link may be sent again at ``now`` (``RESEND_INTERVAL``)."""
        return self.link_resent_at is None or now - self.link_resent_at >= self.RESEND_INTERVAL

    def waitlist_position(self) -> int | None:
        """1 for the head of the waitlist; None when the registration is not waitlisted."""
        if self.status != self.Status.WAITLISTED:
            return None
        ahead = Registration.objects.filter(
            meeting_id=self.meeting_id, status=self.Status.WAITLISTED
        ).filter(
            models.Q(created_at__lt=self.created_at)
            | models.Q(created_at=self.created_at, pk__lt=self.pk)
        )
        return ahead.count() + 1
