"""Personas and a small network every test can build on.

- ``organiser``: runs the network (staff, organisers' group)
- ``moderator``: member who moderates the station "KI"
- ``member``: member listed in the directory
- ``guest``: the press, logged in
- ``outsider``: a login with no person behind it
- anonymous: the plain ``client``
"""

import contextlib
import email
import email.policy
import gc
import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from treffpunkt.meetings.models import Meeting, Registration, Station
from treffpunkt.network.models import ConsentPurpose, ConsentText, Organisation, Person, Profile
from treffpunkt.network.services import give_consent, make_organiser

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup):
    """The test database, and before it is dropped, every connection to it closed.

    After the browser tests, a test in the main thread can open a second connection in
    another context (Django keeps connections per context, and Playwright's event loop stays
    in the main thread for the session); nothing closes it, and PostgreSQL then refuses to
    drop the test database ("being accessed by other users"). Found by naming every session
    after its thread and test: an idle one from tests/test_admin.py after tests/browser.
    """
    yield
    for thing in gc.get_objects():  # no isinstance: it would evaluate lazy objects
        if BaseDatabaseWrapper in type(thing).__mro__ and thing.connection is not None:
            if thing._thread_ident != threading.get_ident():
                thing.inc_thread_sharing()  # else close() refuses another thread's connection
            with contextlib.suppress(DatabaseError):  # close the others all the same
                thing.close()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    # Real hashing costs a third of a second per login; the tests are not about it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tasks run as soon as they are enqueued (after commit: use
    # django_capture_on_commit_callbacks(execute=True)); test_tasks.py runs the real worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    # No test may reach a real mail server: without the ``mailbox`` fixture, sending fails.
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9


class Mailbox:
    """What a real SMTP server on localhost received, parsed."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def mailbox(settings):
    """A real SMTP server (aiosmtpd) on localhost; yields the list of received messages."""
    handler = Mailbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    # pytest-django swaps in the in-memory backend; these tests want the real SMTP path.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    yield handler.messages
    controller.stop()


def make_person(first, last, organisation, *, status="member", consents=(), user=None):
    person = Person.objects.create(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@example.org".lower(),
        organisation=organisation,
        function="Geschäftsführung",
        status=status,
        user=user,
    )
    Profile.objects.create(person=person, challenges=f"Herausforderung von {first}")
    for purpose in consents:
        give_consent(person=person, purpose=purpose)
    return person


def make_login(username):
    return get_user_model().objects.create_user(username=username, password=PASSWORD)


@pytest.fixture
def consent_texts(db):
    for purpose in ConsentPurpose.values:
        ConsentText.objects.create(purpose=purpose, version="1", text=f"Text {purpose}")


@pytest.fixture
def glassworks(db):
    return Organisation.objects.create(
        name="Glashütte Beispieltal", kind="company", sector="Glas", town="Beispieltal"
    )


@pytest.fixture
def town(db):
    return Organisation.objects.create(name="Stadt Musterbach", kind="municipality")


@pytest.fixture
def organiser(db, consent_texts, town):
    user = make_login("orga")
    make_organiser(user=user)
    make_person("Olga", "Organisatorin", town, user=user)
    return user


@pytest.fixture
def member(db, consent_texts, glassworks):
    user = make_login("mitglied")
    make_person(
        "Mia",
        "Mitglied",
        glassworks,
        consents=[ConsentPurpose.DIRECTORY, ConsentPurpose.CONTACT_SHARING],
        user=user,
    )
    return user


@pytest.fixture
def moderator(db, consent_texts, glassworks):
    user = make_login("moderator")
    make_person("Max", "Moderator", glassworks, consents=[ConsentPurpose.DIRECTORY], user=user)
    return user


@pytest.fixture
def guest(db, consent_texts, town):
    user = make_login("gast")
    make_person("Gerd", "Gast", town, status="guest", user=user)
    return user


@pytest.fixture
def outsider(db):
    return make_login("aussen")


@pytest.fixture
def upcoming_meeting(db, glassworks):
    starts = timezone.now() + timedelta(days=30)
    return Meeting.objects.create(
        title="3. Netzwerktreffen",
        host=glassworks,
        venue="Werkhalle 2",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=50,
        registration_opens_at=timezone.now() - timedelta(days=1),
        status=Meeting.Status.PUBLISHED,
    )


@pytest.fixture
def draft_meeting(db, glassworks):
    starts = timezone.now() + timedelta(days=60)
    return Meeting.objects.create(
        title="Geheimer Entwurf",
        host=glassworks,
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=20,
    )


@pytest.fixture
def ki_station(upcoming_meeting, moderator):
    return Station.objects.create(
        meeting=upcoming_meeting, title="KI", capacity=20, moderator=moderator.person
    )


@pytest.fixture
def hidden_participant(db, consent_texts, glassworks, upcoming_meeting):
    """A registered person who gave no consent at all: nobody but organisers sees them."""
    person = make_person("Hanna", "Verborgen", glassworks)
    Registration.objects.create(
        meeting=upcoming_meeting, person=person, topics="Wärmeplanung im Quartier"
    )
    return person
