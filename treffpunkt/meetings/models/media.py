"""What a meeting leaves for its report: photos with the people on them, and quotes."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Person

from .meeting import Meeting


class Photo(models.Model):
    """A photo of a meeting; the report shows it only if everybody tagged on it consented."""

    class Kind(models.TextChoices):
        GROUP = "group", _("Group picture")
        EXCHANGE = "exchange", _("The exchange")
        OTHER = "other", _("Other")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.ImageField(_("image"), upload_to="photos/%Y/")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    people = models.ManyToManyField(
        Person, verbose_name=_("people on the photo"), blank=True, related_name="photos"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["meeting", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()


class Quote(models.Model):
    """Something a participant said, for the press release (used only with their consent)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="quotes"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="quotes"
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        ordering = ["meeting", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.person}: {self.text[:60]}"
