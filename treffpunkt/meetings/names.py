"""Who may be named in what the network sends out (report, press release), and hiding the
full names of everybody else of a meeting in free texts such as station notes."""

import re
from collections.abc import Iterable

from django.db.models import Q, QuerySet

from treffpunkt.network.models import ConsentPurpose, Person

from .models import Meeting

NAME_PLACEHOLDER = "[Name]"


def people_of(meeting: Meeting) -> QuerySet[Person]:
    """Everybody a text about the meeting might name: registered people and moderators."""
    return Person.objects.filter(
        Q(registrations__meeting=meeting) | Q(moderated_stations__meeting=meeting)
    ).distinct()


def listed_ids(meeting: Meeting) -> set[int]:
    """People of the meeting who consent to the directory listing: the report names them."""
    listed = Person.objects.with_consent(ConsentPurpose.DIRECTORY).values("pk")
    return set(people_of(meeting).filter(pk__in=listed).values_list("pk", flat=True))


def full_names(people: QuerySet[Person]) -> list[str]:
    return [f"{first} {last}" for first, last in people.values_list("first_name", "last_name")]


def name_pattern(names: Iterable[str]) -> re.Pattern | None:
    """A pattern matching these full names (any case, any spacing)."""
    names = sorted({n for n in names if n.strip()}, key=len, reverse=True)
    if not names:
        return None
    spaced = [r"\s+".join(map(re.escape, name.split())) for name in names]
    return re.compile(r"\b(?:" + "|".join(spaced) + r")\b", re.IGNORECASE)


def scrub(text: str, pattern: re.Pattern | None) -> str:
    """Replace the full names matched by ``pattern`` with "[Name]"."""
    return pattern.sub(NAME_PLACEHOLDER, text) if pattern else text
