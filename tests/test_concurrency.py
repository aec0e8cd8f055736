"""Registrations at the same moment, over real parallel database connections.

Each worker thread has its own connection (Django's connections are per thread) and all of
them start at one barrier. On PostgreSQL the meeting row's lock (``select_for_update``)
serialises the seat count; on SQLite (a file, not memory) the immediate transactions with a
busy timeout do, since row locks do nothing there. Each test runs on the database the suite
runs on and is skipped on the other: CI runs the suite on both.

PostgreSQL allows 100 connections by default, shared with whatever else runs on the server,
so the 200 registrations go through 40 connections at once (5 each), not 200.
"""

import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from treffpunkt.meetings import registration as service
from treffpunkt.meetings.models import Meeting, Registration
from treffpunkt.network.models import Organisation, Person

from .test_registration import real_smtp  # noqa: F401

WORKERS = 40
Status = Registration.Status

pytestmark = pytest.mark.django_db(transaction=True)

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL variant: run the suite with DATABASE_URL=postgres://... (CI does).",
)
on_sqlite = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="SQLite variant: run the suite without DATABASE_URL (CI does).",
)
both_databases = pytest.mark.parametrize(
    "database",
    [pytest.param("postgresql", marks=on_postgresql), pytest.param("sqlite", marks=on_sqlite)],
)


def in_parallel(jobs: list[Callable[[], object]], workers: int = WORKERS) -> list[object]:
    """Run ``jobs`` on ``workers`` threads that start together; return results or errors."""
    workers = min(workers, len(jobs))
    barrier = threading.Barrier(workers)
    chunks = [jobs[w::workers] for w in range(workers)]

    def run(chunk):
        results = []
        try:
            barrier.wait(timeout=30)
            for job in chunk:
                try:
                    results.append(job())
                except Exception as error:  # every error is a result: the test counts them
                    results.append(error)
        finally:
            connections.close_all()  # this thread's own connection
        return results

    with ThreadPoolExecutor(workers) as pool:
        return [result for chunk in pool.map(run, chunks) for result in chunk]


def registrant(i: int, organisation: Organisation) -> service.Registrant:
    return service.Registrant(
        first_name=f"Person{i}",
        last_name="Parallel",
        email=f"person{i}@parallel.example",
        organisation=organisation,
        topics=f"Thema {i}",
    )


def registering(meeting: Meeting, who: service.Registrant) -> Callable[[], str]:
    return lambda: service.register(meeting=meeting, registrant=who).outcome


@pytest.fixture
def company(db):
    return Organisation.objects.create(name="Parallel GmbH", kind="company")


def meeting_with(company, *, capacity: int, seated: int, waitlisted: int = 0) -> Meeting:
    starts = timezone.now() + timedelta(days=10)
    meeting = Meeting.objects.create(
        title="Ansturm",
        starts_at=starts,
        ends_at=starts + timedelta(hours=3),
        capacity=capacity,
        status=Meeting.Status.PUBLISHED,
    )
    earlier = timezone.now() - timedelta(days=1)
    for i in range(seated + waitlisted):
        person = Person.objects.create(
            first_name=f"Früh{i}",
            last_name="Da",
            email=f"frueh{i}@example.org",
            organisation=company,
        )
        Registration.objects.create(
            meeting=meeting,
            person=person,
            status=Status.CONFIRMED if i < seated else Status.WAITLISTED,
            created_at=earlier + timedelta(minutes=i),
        )
    return meeting


def counts(meeting: Meeting) -> Counter:
    return Counter(meeting.registrations.values_list("status", flat=True))


@both_databases
def test_200_registrations_at_once_for_50_free_seats(database, company, mailbox):
    meeting = meeting_with(company, capacity=60, seated=10)

    outcomes = in_parallel([registering(meeting, registrant(i, company)) for i in range(200)])

    assert [o for o in outcomes if isinstance(o, Exception)] == []
    assert Counter(outcomes) == {"confirmed": 50, "waitlisted": 150}
    assert counts(meeting) == {"confirmed": 60, "waitlisted": 150}
    new = meeting.registrations.filter(person__last_name="Parallel")
    assert sorted(new.values_list("person__email", flat=True)) == sorted(
        f"person{i}@parallel.example" for i in range(200)
    )
    # Nobody waits ahead of someone who got a seat: seats went in order of arrival.
    last_seated = new.filter(status=Status.CONFIRMED).order_by("-created_at", "-pk").first()
    first_waiting = new.filter(status=Status.WAITLISTED).order_by("created_at", "pk").first()
    assert (last_seated.created_at, last_seated.pk) < (first_waiting.created_at, first_waiting.pk)
    assert len(mailbox) == 200
    assert Counter(m["Subject"].split(":")[0].strip() for m in mailbox) == {
        "Anmeldung bestätigt": 50,
        "Auf der Warteliste": 150,
    }


@both_databases
def test_a_cancellation_amid_new_registrations_promotes_the_head_of_the_waitlist_once(
    database, company, mailbox
):
    meeting = meeting_with(company, capacity=50, seated=50, waitlisted=3)
    leaving = meeting.registrations.filter(status=Status.CONFIRMED).first()
    head, second, third = meeting.registrations.filter(status=Status.WAITLISTED).order_by(
        "created_at", "pk"
    )

    def cancel():
        fresh = Registration.objects.get(pk=leaving.pk)
        return service.cancel_registration(registration=fresh)

    jobs = [registering(meeting, registrant(i, company)) for i in range(20)]
    # The cancellation arrives three times (a double click and a retry) among the newcomers.
    jobs[5:5] = [cancel]
    jobs[12:12] = [cancel]
    jobs[18:18] = [cancel]

    results = in_parallel(jobs, workers=23)

    assert [r for r in results if isinstance(r, Exception)] == []
    promotions = [r for r in results if isinstance(r, list)]
    assert sorted(len(p) for p in promotions) == [0, 0, 1]
    assert [p.pk for p in promotions if p for p in p] == [head.pk]
    statuses = dict(meeting.registrations.values_list("pk", "status"))
    assert (statuses[leaving.pk], statuses[head.pk]) == (Status.CANCELLED, Status.CONFIRMED)
    assert (statuses[second.pk], statuses[third.pk]) == (Status.WAITLISTED, Status.WAITLISTED)
    assert counts(meeting) == {"confirmed": 50, "waitlisted": 22, "cancelled": 1}
    assert Counter(r for r in results if isinstance(r, str)) == {"waitlisted": 20}
    promoted_mails = [m for m in mailbox if m["Subject"].startswith("Ein Platz ist für Sie frei")]
    assert [m["To"] for m in promoted_mails] == [head.person.email]


@both_databases
def test_ten_identical_submissions_at_once_make_one_registration(database, company, mailbox):
    meeting = meeting_with(company, capacity=10, seated=0)
    same = registrant(1, company)

    outcomes = in_parallel([registering(meeting, same) for _ in range(10)], workers=10)

    assert Counter(outcomes) == {"confirmed": 1, "already": 9}
    assert (Person.objects.filter(email=same.email).count(), counts(meeting)) == (
        1,
        {"confirmed": 1},
    )
    assert len(mailbox) == 2  # the confirmation, and the link again once (not nine times)


@on_postgresql
def test_a_lock_held_too_long_asks_to_try_again_and_writes_nothing(company, monkeypatch):
    meeting = meeting_with(company, capacity=10, seated=0)
    monkeypatch.setattr(service, "LOCK_TIMEOUT", "200ms")
    locked, release = threading.Event(), threading.Event()

    def hold_the_lock():
        try:
            with transaction.atomic():
                Meeting.objects.select_for_update().get(pk=meeting.pk)
                locked.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_lock)
    holder.start()
    locked.wait(timeout=10)
    try:
        with pytest.raises(service.RegistrationBusy) as busy:
            service.register(meeting=meeting, registrant=registrant(1, company))
    finally:
        release.set()
        holder.join()

    assert busy.value.message == (
        "Gerade melden sich sehr viele Menschen an. Bitte versuchen Sie es in einer Minute "
        "noch einmal."
    )
    assert Person.objects.filter(last_name="Parallel").count() == 0
    # The connection is usable again at once.
    assert (
        service.register(meeting=meeting, registrant=registrant(2, company)).outcome == "confirmed"
    )
