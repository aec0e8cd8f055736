"""Participants confirm the contacts they really made at a meeting (for its report).

A participant sees only the people they shared a group with at that meeting (from the
Encounter rows of its held rounds), and of those only the ones who agreed to be listed in the
directory or to share their contact details: name and organisation, nothing else.
"""

from django.db import transaction
from django.db.models import Q

from treffpunkt.network.models import Consent, ConsentPurpose, Person

from .models import ContactConfirmation, Encounter, Registration

#: A participant may see a group mate who agreed to either of these.
VISIBLE_PURPOSES = (ConsentPurpose.DIRECTORY, ConsentPurpose.CONTACT_SHARING)


def may_confirm_contacts(registration: Registration) -> bool:
    """Only a participant who came, and only once a round of the meeting was held."""
    if registration.status != Registration.Status.ATTENDED:
        return False
    meeting = registration.meeting
    # The demo and older data record encounters without counting rounds_held: either says
    # that a round took place.
    return meeting.rounds_held > 0 or Encounter.objects.filter(meeting=meeting).exists()


def group_mates(registration: Registration) -> list[Person]:
    """The people ``registration``'s person shared a group with and may see; two queries.

    Ordered by name; each with ``organisation`` loaded. People without a standing consent to
    the directory or to contact sharing are left out.
    """
    own = registration.person_id
    pairs = Encounter.objects.filter(
        Q(person_a=own) | Q(person_b=own), meeting=registration.meeting_id
    ).values_list("person_a", "person_b")
    mate_ids = {b if a == own else a for a, b in pairs}
    consenting = Consent.objects.filter(
        text__purpose__in=VISIBLE_PURPOSES, withdrawn_at__isnull=True
    ).values("person_id")
    return list(
        Person.objects.filter(pk__in=mate_ids)
        .filter(pk__in=consenting)
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


def confirmed_ids(registration: Registration) -> set[int]:
    """The ids of the contacts ``registration``'s person confirmed at its meeting."""
    return set(
        ContactConfirmation.objects.filter(
            meeting=registration.meeting_id, person=registration.person_id
        ).values_list("contact_id", flat=True)
    )


@transaction.atomic
def confirm_contacts(
    *, registration: Registration, shown: list[Person], chosen: list[Person]
) -> tuple[int, int]:
    """Make the ticked contacts among ``shown`` the confirmed ones; returns (added, removed).

    Only people in ``shown`` (the group mates the participant saw) are touched: a
    confirmation of somebody who has since withdrawn their consent stays as it was.

    Side effects: creates and deletes ContactConfirmation rows of this person and meeting.
    """
    shown_ids = {p.pk for p in shown}
    chosen_ids = {p.pk for p in chosen} & shown_ids
    mine = ContactConfirmation.objects.filter(
        meeting=registration.meeting_id, person=registration.person_id
    )
    before = set(mine.filter(contact__in=shown_ids).values_list("contact_id", flat=True))
    removed, _ = mine.filter(contact__in=shown_ids - chosen_ids).delete()
    ContactConfirmation.objects.bulk_create(
        [
            ContactConfirmation(
                meeting_id=registration.meeting_id, person_id=registration.person_id, contact_id=c
            )
            for c in sorted(chosen_ids - before)
        ],
        ignore_conflicts=True,
    )
    return len(chosen_ids - before), removed
