"""Network meetings: registrations, dialogue stations, who sits where, and who met whom."""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Organisation, Person


class MeetingQuerySet(models.QuerySet):
    def upcoming(self, now=None) -> "MeetingQuerySet":
        now = now or timezone.now()
        return self.filter(status=Meeting.Status.PUBLISHED, ends_at__gte=now).order_by("starts_at")

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

    def __str__(self) -> str:
        return f"{self.person} – {self.meeting}"


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


class Encounter(models.Model):
    """Two people who were in the same group in one held round of a meeting.

    Recorded from the groups as they were held (only people who were there), never from a
    plan; ``person_a`` has the smaller id, so each pair is stored once per round and the
    (person_a, person_b) index answers "which of these people have met before" in one query.
    """

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="encounters"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    person_a = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    person_b = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("encounter")
        verbose_name_plural = _("encounters")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")),
                name="encounter_pair_ordered",
            ),
            models.UniqueConstraint(
                fields=["person_a", "person_b", "meeting", "round"], name="encounter_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_a_id}–{self.person_b_id} ({self.meeting_id}/{self.round})"
