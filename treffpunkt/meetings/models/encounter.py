"""Who met whom: recorded from held rounds."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Person

from .meeting import Meeting


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


class ContactConfirmation(models.Model):
    """A participant confirms they made a contact at a meeting (for the report)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="contacts"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="+"
    )
    contact = models.ForeignKey(
        Person, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("confirmed contact")
        verbose_name_plural = _("confirmed contacts")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person", "contact"], name="contact_confirmed_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(person=models.F("contact")), name="contact_not_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} → {self.contact} ({self.meeting})"
