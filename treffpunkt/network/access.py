"""The only ways to fetch directory entries for a viewer: each applies the rules in
``treffpunkt.permissions`` as a query, so lists and single pages agree."""

from django.db.models import Q, QuerySet
from django.http import Http404

from treffpunkt.permissions import is_member, is_organiser, person_of

from .models import ConsentPurpose, Organisation, Person


def visible_organisations(user) -> QuerySet[Organisation]:
    if is_organiser(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(listed=True)


def get_organisation_for_user(user, pk: int) -> Organisation:
    """The organisation, or 404 when it does not exist or is hidden from ``user``."""
    try:
        return visible_organisations(user).get(pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None


def visible_people(user) -> QuerySet[Person]:
    """People ``user`` may see (rule ``network.see_person``)."""
    if is_organiser(user):
        return Person.objects.all()
    own = person_of(user)
    visible = Q(pk=own.pk) if own else Q(pk__in=[])
    if is_member(user):
        listed = Person.objects.with_consent(ConsentPurpose.DIRECTORY).values("pk")
        visible |= Q(pk__in=listed)
    return Person.objects.filter(visible)
