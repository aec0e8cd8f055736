"""The planner's refusals and broken rules in the organiser's language and names.

The planner (``treffpunkt.planning``) words its messages in English with its own keys
('p12', 's3') and counts rounds from 0; it also hands them over as data (a rule and its
details). Here they become sentences in the active language, with people's and stations'
names and rounds counted from 1 as everywhere else on the pages.
"""

from collections.abc import Iterable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from treffpunkt import planning
from treffpunkt.network.models import Person

from .models import Station
from .rotation import key_id, person_key, station_key

VIOLATIONS = {
    "no_station": gettext_lazy("Round %(round)s: %(person)s is there but has no station."),
    "absent_with_station": gettext_lazy(
        "Round %(round)s: %(person)s is not there but has a station."
    ),
    "over_capacity": gettext_lazy(
        "Round %(round)s: %(station)s has %(size)s people but room for %(capacity)s."
    ),
    "fixed_moved": gettext_lazy(
        "Round %(round)s: %(person)s moderates %(station)s and must stay there."
    ),
    "revisit": gettext_lazy("%(person)s visits %(station)s twice."),
}

REFUSALS = {
    "fixed_over_capacity": gettext_lazy(
        "Round %(round)s: %(station)s has %(fixed)s people who must stay there but room for "
        "%(capacity)s: raise its capacity."
    ),
    "round_over_capacity": gettext_lazy(
        "Round %(round)s: %(present)s people are there but the stations hold only %(seats)s: "
        "raise the capacities or add a station."
    ),
    "too_few_stations": gettext_lazy(
        "Some people take part in %(rounds)s rounds, but only %(stations)s stations have room "
        "for them and nobody visits a station twice: add a station or plan fewer rounds."
    ),
    "station_too_small": gettext_lazy(
        "%(must)s people must visit %(station)s once, but over all rounds it has room for only "
        "%(room)s of them: raise its capacity."
    ),
    "too_few_visits": gettext_lazy(
        "The people need %(needed)s station visits, but the stations can take only %(room)s, "
        "as nobody visits a station twice: raise the capacity of the small stations or plan "
        "fewer rounds."
    ),
    "round_unseatable": gettext_lazy(
        "Round %(round)s cannot seat everyone without a second visit to a station: raise the "
        "capacities or add a station."
    ),
}


def key_names(stations: Iterable[Station], people: Iterable[Person]) -> dict[str, str]:
    """The planner's keys → the names organisers know."""
    names = {station_key(s.pk): s.title for s in stations}
    names |= {person_key(p.pk): p.full_name for p in people}
    return names


def people_named_in(details: Iterable[dict], *, known: Iterable[int] = ()) -> list[Person]:
    """The people a list of planner details names, but for the ``known`` ids (one query,
    none if nobody is left)."""
    ids = {key_id(d["person"]) for d in details if "person" in d} - set(known)
    return list(Person.objects.filter(pk__in=ids)) if ids else []


def _worded(template, details: dict, names: dict[str, str]) -> str:
    values = dict(details)
    for field in ("person", "station"):
        if field in values:
            values[field] = names.get(values[field], values[field])
    if "round" in values:
        values["round"] = values["round"] + 1
    return template % values


def violation_text(detail: dict, names: dict[str, str]) -> str:
    """One broken rule of a plan (from ``violation_details``) as a sentence."""
    return _worded(VIOLATIONS[detail["rule"]], detail, names)


def refusal_text(error: planning.PlanningError, names: dict[str, str]) -> str:
    """Why the planner refused, as a sentence; its own words where no rule is named."""
    if error.rule == "frozen_rounds_broken":
        broken = dict(error.details, rule=error.details["violated"])
        return _("A round already held breaks a rule: %(rule)s") % {
            "rule": violation_text(broken, names)
        }
    if error.rule in REFUSALS:
        return _worded(REFUSALS[error.rule], error.details, names)
    return str(error)
