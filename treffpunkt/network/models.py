"""The network's directory: organisations, the people in them, their profiles and consents."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Length, Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Network(models.Model):
    """The one network this instance serves (one row); its name heads every page."""

    name = models.CharField(_("name"), max_length=200, default="Treffpunkt")
    office_email = models.EmailField(_("office e-mail"), blank=True)
    privacy_contact = models.TextField(
        _("privacy contact"),
        blank=True,
        help_text=_("Who is responsible for the data and how to reach them (shown on forms)."),
    )

    class Meta:
        verbose_name = _("network")
        verbose_name_plural = _("network")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def current(cls) -> "Network":
        network, _created = cls.objects.get_or_create(pk=1)
        return network


class OrganisationKind(models.TextChoices):
    COMPANY = "company", _("Company")
    MUNICIPALITY = "municipality", _("Municipality")
    POLITICS = "politics", _("Politics and administration")
    ASSOCIATION = "association", _("Association or chamber")
    RESEARCH = "research", _("Research and education")
    OTHER = "other", _("Other")


def tidy_name(name: str) -> str:
    """One space between words and none around them: how organisation names are kept."""
    return " ".join(name.split())


class OrganisationQuerySet(models.QuerySet):
    def named(self, name: str) -> "Organisation | None":
        """The organisation of this name, any case and spacing: compared in Python, because
        SQLite's LOWER() folds ASCII only ("Ü"/"ü"), so the unique index on Lower(name)
        misses such pairs there; only the few names of the same length are fetched."""
        name = tidy_name(name)
        same_length = self.annotate(length=Length("name")).filter(length=len(name))
        return next((o for o in same_length if o.name.lower() == name.lower()), None)


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    sector = models.CharField(_("sector"), max_length=120, blank=True)
    town = models.CharField(_("town"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    listed = models.BooleanField(
        _("listed in the public directory"),
        default=True,
        help_text=_("Unlisted organisations are seen by organisers only."),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="organisation_name_unique",
                violation_error_message=_("An organisation with this name exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("organisation", args=[self.pk])

    def clean(self) -> None:
        self.name = tidy_name(self.name)
        if Organisation.objects.exclude(pk=self.pk).named(self.name) is not None:
            raise ValidationError(
                {"name": _("An organisation with this name exists already.")}, code="unique"
            )


class PersonQuerySet(models.QuerySet):
    def with_consent(self, purpose: str) -> "PersonQuerySet":
        """People who gave consent for ``purpose`` and have not withdrawn it."""
        return self.filter(
            consents__text__purpose=purpose, consents__withdrawn_at__isnull=True
        ).distinct()


class Person(models.Model):
    class Status(models.TextChoices):
        MEMBER = "member", _("Member")
        GUEST = "guest", _("Guest")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"))
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
        null=True,
        blank=True,
    )
    function = models.CharField(_("function"), max_length=150, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.MEMBER
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        on_delete=models.SET_NULL,
        related_name="person",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="person_email_unique",
                violation_error_message=_("A person with this e-mail address exists already."),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def clean(self) -> None:
        self.email = self.email.strip().lower()

    def active_consent_purposes(self) -> set[str]:
        """Purposes with a standing consent; uses prefetched consents when there are any."""
        return {c.text.purpose for c in self.consents.all() if c.withdrawn_at is None}

    def has_consent(self, purpose: str) -> bool:
        return purpose in self.active_consent_purposes()


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("interest")
        verbose_name_plural = _("interests")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Profile(models.Model):
    """What a person brings to the network and looks for; the matcher reads these texts."""

    person = models.OneToOneField(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="profile"
    )
    challenges = models.TextField(_("challenges"), blank=True)
    offers = models.TextField(_("offers"), blank=True)
    needs = models.TextField(_("needs"), blank=True)
    interests = models.ManyToManyField(
        Tag, verbose_name=_("interests"), blank=True, related_name="profiles"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return str(self.person)


class ConsentPurpose(models.TextChoices):
    DIRECTORY = "directory", _("Listing in the member directory")
    PHOTOS = "photos", _("Photos of me in reports")
    CONTACT_SHARING = "contact_sharing", _("Sharing my contact details with members")
    MATCHING = "matching", _("Contact suggestions from my profile")
    QUOTES = "quotes", _("Being quoted in the meeting's press release")


class ConsentText(models.Model):
    """The wording a person agreed to; a changed wording is a new version, never an edit."""

    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    version = models.CharField(_("version"), max_length=20)
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("consent text")
        verbose_name_plural = _("consent texts")
        ordering = ["purpose", "-published_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["purpose", "version"],
                name="consent_text_version_unique",
                violation_error_message=_("This purpose has a text of this version already."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.version})"


class Consent(models.Model):
    """One consent as given: to which text, when, and when it was withdrawn."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="consents"
    )
    text = models.ForeignKey(ConsentText, verbose_name=_("consent text"), on_delete=models.PROTECT)
    given_at = models.DateTimeField(_("given"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(withdrawn_at__isnull=True)
                | models.Q(withdrawn_at__gte=models.F("given_at")),
                name="consent_withdrawn_after_given",
                violation_error_message=_("A consent cannot be withdrawn before it was given."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.text}"

    @property
    def purpose(self) -> str:
        return self.text.purpose

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None
