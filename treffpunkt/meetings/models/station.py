"""Dialogue stations (or tables), who is where in which round, and what was said."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Person

from .meeting import Meeting


class Station(models.Model):
    """A dialogue station (or table) of a meeting, with its moderator."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="stations"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    moderator = models.ForeignKey(
        Person,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        related_name="moderated_stations",
        null=True,
        blank=True,
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("station")
        verbose_name_plural = _("stations")
        ordering = ["meeting", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(capacity__gte=1),
                name="station_capacity_positive",
                violation_error_message=_("The capacity must be at least 1."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Assignment(models.Model):
    """Where a person is in one round of a meeting (the plan; rounds are 0-based)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="assignments"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="assignments"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="assignments"
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["meeting", "round", "station", "person"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "round", "person"],
                name="assignment_one_station_per_round",
                violation_error_message=_("This person has a station in this round already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} – {_('round')} {self.round + 1}: {self.station}"

    def clean(self) -> None:
        if self.station_id and self.meeting_id and self.station.meeting_id != self.meeting_id:
            raise ValidationError({"station": _("The station belongs to another meeting.")})


class StationNote(models.Model):
    """What a station talked about, as its moderator recorded it."""

    class Kind(models.TextChoices):
        KEY_POINT = "key_point", _("Key point")
        CONCERN = "concern", _("Concern")
        IDEA = "idea", _("Idea")
        FOLLOW_UP = "follow_up", _("Follow-up")

    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.CASCADE, related_name="notes"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    text = models.TextField(_("text"))
    author = models.ForeignKey(
        Person,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
    )
    owner = models.ForeignKey(
        Person,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        related_name="+",
        null=True,
        blank=True,
        help_text=_("Who takes care of a follow-up."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("station note")
        verbose_name_plural = _("station notes")
        ordering = ["station", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"
