"""A network meeting and the invitations to it."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Organisation, Person


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None) -> "MeetingQuerySet":
        now = now or timezone.now()
        return self.filter(status=Meeting.Status.PUBLISHED, ends_at__gte=now).order_by("starts_at")

    def past(self, now=None) -> "MeetingQuerySet":
        now = now or timezone.now()
        return self.filter(status=Meeting.Status.PUBLISHED, ends_at__lt=now).order_by("-starts_at")

    def visible_to(self, user) -> "MeetingQuerySet":
        """Organisers see every meeting; everybody else the published and cancelled ones."""
        from treffpunkt.permissions import is_organiser

        if is_organiser(user):
            return self
        return self.exclude(status=Meeting.Status.DRAFT)


class Meeting(models.Model):
    class Format(models.TextChoices):
        STATIONS = "stations", _("Dialogue stations")
        TABLES = "tables", _("Tables")
        SPEED_DATING = "speed_dating", _("Speed dating")
        COMPANY_VISIT = "company_visit", _("Company visit")

    class Rotation(models.TextChoices):
        PLANNED = "planned", _("Planned rotation")
        FREE_CHOICE = "free_choice", _("Free choice of station per round")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    format = models.CharField(
        _("format"), max_length=20, choices=Format.choices, default=Format.STATIONS
    )
    host = models.ForeignKey(
        Organisation,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_meetings",
        null=True,
        blank=True,
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    capacity = models.PositiveIntegerField(_("capacity"))
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    rounds = models.PositiveSmallIntegerField(
        _("rounds"), default=3, help_text=_("How many rounds the participants rotate through.")
    )
    rotation = models.CharField(
        _("rotation"), max_length=20, choices=Rotation.choices, default=Rotation.PLANNED
    )
    rounds_held = models.PositiveSmallIntegerField(
        _("rounds held"),
        default=0,
        help_text=_("Rounds already held: a re-plan keeps them as they were."),
    )
    press_release = models.TextField(
        _("press release"), blank=True, help_text=_("The organisers' edited press release.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
                violation_error_message=_("The meeting must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="meeting_capacity_positive",
                violation_error_message=_("The capacity must be at least 1."),
            ),
            models.CheckConstraint(
                condition=models.Q(rounds__gte=1, rounds__lte=20),
                name="meeting_rounds_in_range",
                violation_error_message=_("A meeting has between 1 and 20 rounds."),
            ),
            models.CheckConstraint(
                condition=models.Q(rounds_held__lte=models.F("rounds")),
                name="meeting_rounds_held_at_most_rounds",
                violation_error_message=_("More rounds held than the meeting has."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meeting", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        opens, closes = self.registration_opens_at, self.registration_closes_at
        if opens and closes and closes <= opens:
            errors["registration_closes_at"] = _("Registration must close after it opens.")
        if closes and self.ends_at and closes > self.ends_at:
            errors["registration_closes_at"] = _("Registration must close before the meeting ends.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED or self.ends_at < now:
            return False
        if self.registration_opens_at and now < self.registration_opens_at:
            return False
        return not (self.registration_closes_at and now >= self.registration_closes_at)


def new_token() -> str:
    """A secret for a personal link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """A personal invitation to a meeting, sent by e-mail with a link to register."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="invitations",
        null=True,
        blank=True,
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "email"]
        constraints = [
            models.UniqueConstraint(
                "meeting",
                Lower("email"),
                name="invitation_once_per_address",
                violation_error_message=_("This address is invited to this meeting already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.email} – {self.meeting}"
