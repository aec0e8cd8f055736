"""Who met whom: recorded from rounds as held, asked for in one query."""

from datetime import timedelta

import pytest
from django.utils import timezone

from treffpunkt.meetings.models import Assignment, Encounter, Meeting, Registration, Station
from treffpunkt.meetings.services import encounters_of, past_encounters, record_held_round
from treffpunkt.network.models import Organisation, Person


@pytest.fixture
def people(db):
    organisation = Organisation.objects.create(name="Netz e.V.", kind="association")
    return [
        Person.objects.create(
            first_name=name,
            last_name="Test",
            email=f"{name}@example.org",
            organisation=organisation,
        )
        for name in ["anna", "ben", "cem", "dora", "emil"]
    ]


def held_meeting(title, days_ago, groups_per_round, *, no_shows=()):
    """A meeting whose rounds are given as [[station A people, station B people], ...]."""
    starts = timezone.now() - timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        title=title,
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=10,
        status=Meeting.Status.PUBLISHED,
    )
    stations = [Station.objects.create(meeting=meeting, title=t, capacity=5) for t in "AB"]
    everybody = {p for groups in groups_per_round for group in groups for p in group}
    for person in everybody:
        status = Registration.Status.NO_SHOW if person in no_shows else Registration.Status.ATTENDED
        Registration.objects.create(meeting=meeting, person=person, status=status)
    for r, groups in enumerate(groups_per_round):
        for station, group in zip(stations, groups, strict=True):
            for person in group:
                Assignment.objects.create(meeting=meeting, round=r, station=station, person=person)
    return meeting


def pairs(rows):
    return [
        (Person.objects.get(pk=a).first_name, Person.objects.get(pk=b).first_name)
        for a, b, *_ in rows
    ]


def test_a_persons_encounters_across_two_meetings(people):
    anna, ben, cem, dora, emil = people
    spring = held_meeting("Frühjahr", 200, [[[anna, ben], [cem, dora]]])
    autumn = held_meeting("Herbst", 20, [[[anna, cem], [ben, dora]], [[anna, dora], [ben, cem]]])
    for meeting, rounds in ((spring, 1), (autumn, 2)):
        for r in range(rounds):
            record_held_round(meeting=meeting, round_index=r)

    met = encounters_of(anna)

    assert [(e.meeting_id, e.round) for e in met] == [
        (spring.pk, 0),
        (autumn.pk, 0),
        (autumn.pk, 1),
    ]
    assert pairs(met) == [("anna", "ben"), ("anna", "cem"), ("anna", "dora")]
    assert met[0].starts_at == spring.starts_at


def test_pair_query_finds_who_has_met_before_and_when_in_one_query(
    people, django_assert_num_queries
):
    anna, ben, cem, dora, emil = people
    spring = held_meeting("Frühjahr", 200, [[[anna, ben, cem], [dora, emil]]])
    record_held_round(meeting=spring, round_index=0)

    with django_assert_num_queries(1):
        found = past_encounters([anna.pk, cem.pk, emil.pk])

    assert pairs(found) == [("anna", "cem")]
    assert found[0].starts_at == spring.starts_at


def test_pair_query_takes_a_queryset_of_ids_in_one_query(people, django_assert_num_queries):
    anna, ben, cem, dora, emil = people
    record_held_round(meeting=held_meeting("F", 9, [[[anna, ben], [cem, dora]]]), round_index=0)

    with django_assert_num_queries(1):
        found = past_encounters(
            Person.objects.filter(first_name__in=["anna", "ben", "cem"]).values("pk")
        )

    assert pairs(found) == [("anna", "ben")]


def test_no_shows_leave_no_encounters(people):
    anna, ben, cem, dora, emil = people
    meeting = held_meeting("F", 9, [[[anna, ben, emil], [cem, dora]]], no_shows=[emil])

    count = record_held_round(meeting=meeting, round_index=0)

    assert count == 2
    assert pairs(past_encounters([p.pk for p in people])) == [("anna", "ben"), ("cem", "dora")]


def test_a_planned_round_that_was_not_recorded_counts_as_no_encounter(people):
    anna, ben, cem, dora, emil = people
    held_meeting("Geplant", -5, [[[anna, ben], [cem, dora]]])

    assert past_encounters([p.pk for p in people]) == []


def test_recording_a_round_again_replaces_it(people):
    anna, ben, cem, dora, emil = people
    meeting = held_meeting("F", 9, [[[anna, ben], [cem, dora]]])
    record_held_round(meeting=meeting, round_index=0)
    Assignment.objects.filter(person=ben).update(
        station=Station.objects.get(meeting=meeting, title="B")
    )

    record_held_round(meeting=meeting, round_index=0)

    assert pairs(past_encounters([p.pk for p in people])) == [
        ("ben", "cem"),
        ("ben", "dora"),
        ("cem", "dora"),
    ]
    assert Encounter.objects.count() == 3


def test_each_pair_is_stored_once_with_the_smaller_id_first(people):
    anna, ben, cem, dora, emil = people
    record_held_round(meeting=held_meeting("F", 9, [[[emil, anna], [cem]]]), round_index=0)

    encounter = Encounter.objects.get()

    assert (encounter.person_a_id, encounter.person_b_id) == (anna.pk, emil.pk)
