"""The fictional demo network: organisations, people, a held meeting and an upcoming one.

``load_demo()`` reads ``network.json`` beside this module, checks every reference in it before
writing anything, and then creates what is missing in one transaction: running it twice
changes nothing. The upcoming meeting is dated relative to the day of the first load.
"""

import json
from datetime import datetime, time, timedelta
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from treffpunkt.meetings.models import (
    Assignment,
    Encounter,
    Meeting,
    Quote,
    Registration,
    Station,
    StationNote,
)
from treffpunkt.meetings.rotation import RotationError, close_round, create_plan
from treffpunkt.network.models import (
    Consent,
    ConsentPurpose,
    ConsentText,
    Network,
    Organisation,
    OrganisationKind,
    Person,
    Profile,
    Tag,
)
from treffpunkt.network.services import make_organiser

from .checks import DemoDataError, check_demo_data

DATA_FILE = Path(__file__).with_name("network.json")
DEMO_PASSWORD = "treffpunkt-demo"
ROUNDS = 3
CONSENT_VERSION = "2026-01"

CONSENT_TEXTS = {
    ConsentPurpose.DIRECTORY: "Ich bin einverstanden, dass Name, Organisation, Funktion und "
    "Profil im Mitgliederverzeichnis für angemeldete Mitglieder sichtbar sind.",
    ConsentPurpose.PHOTOS: "Ich bin einverstanden, dass Fotos, auf denen ich zu sehen bin, im "
    "Bericht des Netzwerktreffens und in der Pressemitteilung erscheinen.",
    ConsentPurpose.CONTACT_SHARING: "Ich bin einverstanden, dass meine E-Mail-Adresse "
    "angemeldeten Mitgliedern angezeigt wird.",
    ConsentPurpose.MATCHING: "Ich bin einverstanden, dass mein Profil genutzt wird, um mir und "
    "anderen Mitgliedern Gesprächspartner vorzuschlagen.",
    ConsentPurpose.QUOTES: "Ich bin einverstanden, dass meine Äußerungen beim Treffen mit "
    "meinem Namen in der Pressemitteilung und im Bericht zitiert werden.",
}

__all__ = ["DemoDataError", "load_demo"]


def load_demo(*, path: Path = DATA_FILE, today=None) -> dict[str, int]:
    """Load the demo network; returns how many rows of each kind were created.

    Side effects: creates organisations, people, profiles, consents, the four demo logins,
    both meetings with registrations, stations, notes, the held rounds and their encounters.
    Raises DemoDataError (nothing written) when the data file is inconsistent.
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise DemoDataError(f"{path}: cannot read the demo data ({error}).") from None
    check_demo_data(data)
    today = today or timezone.localdate()
    loader = _Loader(today)
    try:
        with transaction.atomic():
            loader.load(data)
    except KeyError as error:
        raise DemoDataError(f"{path}: an entry lacks the field {error}.") from None
    except (TypeError, ValueError, ValidationError, IntegrityError, RotationError) as error:
        # What check_demo_data does not foresee still leaves the database as it was.
        raise DemoDataError(f"{path}: the demo data does not fit the database: {error}") from None
    return loader.created


class _Loader:
    def __init__(self, today):
        self.today = today
        self.created: dict[str, int] = {}
        self.organisations: dict[str, Organisation] = {}

    def count(self, kind: str, created: bool | int) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(created)

    def load(self, data: dict) -> None:
        network = Network.current()
        if network.name == "Treffpunkt":
            network.name = data["network"]["name"]
            network.office_email = data["network"]["office_email"]
            network.save(update_fields=["name", "office_email"])
        self.consent_texts()
        for entry in data["organisations"]:
            self.organisation(entry)
        self.load_people(data["people"])
        for entry in data["users"]:
            self.user(entry)
        past = data["past_meeting"]
        starts = datetime.fromisoformat(past["starts_at"])
        self.meeting(past, starts=starts, ends=datetime.fromisoformat(past["ends_at"]), held=True)
        upcoming = data["upcoming_meeting"]
        day = self.today + timedelta(days=upcoming["days_from_today"])
        starts = timezone.make_aware(
            datetime.combine(day, time.fromisoformat(upcoming["start_time"]))
        )
        self.meeting(
            upcoming,
            starts=starts,
            ends=starts + timedelta(hours=upcoming["duration_hours"]),
            opens=starts
            - timedelta(
                days=upcoming["days_from_today"] + upcoming["registration_opened_days_ago"]
            ),
            closes=starts - timedelta(days=upcoming["registration_closes_days_before"]),
            held=False,
        )

    def consent_texts(self) -> None:
        for purpose, text in CONSENT_TEXTS.items():
            _text, created = ConsentText.objects.get_or_create(
                purpose=purpose, version=CONSENT_VERSION, defaults={"text": text}
            )
            self.count("consent texts", created)

    def organisation(self, entry: dict) -> None:
        organisation, created = Organisation.objects.get_or_create(
            name=entry["name"],
            defaults={
                "kind": OrganisationKind(entry["kind"]),
                "sector": entry.get("sector", ""),
                "town": entry.get("town", ""),
                "website": entry.get("website", ""),
            },
        )
        self.organisations[entry["name"]] = organisation
        self.count("organisations", created)

    def load_people(self, entries: list[dict]) -> None:
        """Create the people that are missing, with profile, interests and consents.

        In bulk (a few queries instead of thousands): the loader is an import, and the
        people it creates are new, so there is nothing to reconcile row by row.
        """
        by_email = {entry["email"].lower(): entry for entry in entries}
        self.people = {p.email: p for p in Person.objects.filter(email__in=by_email)}
        new = [
            Person(
                first_name=entry["first_name"],
                last_name=entry["last_name"],
                email=email,
                organisation=self.organisations[entry["organisation"]],
                function=entry.get("function", ""),
                status=Person.Status(entry.get("status", "member")),
            )
            for email, entry in by_email.items()
            if email not in self.people
        ]
        Person.objects.bulk_create(new)
        # bulk_create sets primary keys on PostgreSQL only; fetch them back everywhere.
        self.people = {p.email: p for p in Person.objects.filter(email__in=by_email)}
        fresh = [self.people[p.email] for p in new]
        self.count("people", len(fresh))
        profile_texts = [by_email[p.email].get("profile", {}) for p in fresh]
        Profile.objects.bulk_create(
            Profile(
                person=person, **{k: texts.get(k, "") for k in ("challenges", "offers", "needs")}
            )
            for person, texts in zip(fresh, profile_texts, strict=True)
        )
        self.interests(fresh, [texts.get("interests", []) for texts in profile_texts])
        texts = {text.purpose: text for text in ConsentText.objects.filter(version=CONSENT_VERSION)}
        Consent.objects.bulk_create(
            Consent(person=person, text=texts[purpose])
            for person in fresh
            for purpose in by_email[person.email].get("consents", [])
        )

    def interests(self, people: list[Person], names_per_person: list[list[str]]) -> None:
        names = {name for names in names_per_person for name in names}
        existing = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        Tag.objects.bulk_create(Tag(name=name) for name in sorted(names - existing))
        tags = dict(Tag.objects.filter(name__in=names).values_list("name", "pk"))
        profiles = dict(Profile.objects.filter(person__in=people).values_list("person_id", "pk"))
        Profile.interests.through.objects.bulk_create(
            Profile.interests.through(profile_id=profiles[person.pk], tag_id=tags[name])
            for person, names in zip(people, names_per_person, strict=True)
            for name in names
        )

    def user(self, entry: dict) -> None:
        person = self.people[entry["person"].lower()]
        User = get_user_model()
        user, created = User.objects.get_or_create(
            username=entry["username"],
            defaults={
                "email": person.email,
                "first_name": person.first_name,
                "last_name": person.last_name,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if person.user_id is None:
            person.user = user
            person.save(update_fields=["user"])
        if entry["role"] == "organiser":
            make_organiser(user=user)
        self.count("logins", created)

    def meeting(self, entry: dict, *, starts, ends, held: bool, opens=None, closes=None) -> None:
        meeting, created = Meeting.objects.get_or_create(
            title=entry["title"],
            defaults={
                "description": entry.get("description", ""),
                "format": Meeting.Format(entry.get("format", "stations")),
                "host": self.organisations[entry["host"]],
                "venue": entry.get("venue", ""),
                "starts_at": starts,
                "ends_at": ends,
                "capacity": entry["capacity"],
                "registration_opens_at": opens,
                "registration_closes_at": closes,
                "status": Meeting.Status.PUBLISHED,
            },
        )
        self.count("meetings", created)
        for offset, item in enumerate(entry.get("registrations", [])):
            _registration, created = Registration.objects.get_or_create(
                meeting=meeting,
                person=self.people[item["person"].lower()],
                defaults={
                    "topics": item.get("topics", ""),
                    "status": Registration.Status(item["status"]),
                    # Keep the file's order as the order of registration (waitlist order).
                    "created_at": min(starts, timezone.now()) - timedelta(days=30, minutes=-offset),
                },
            )
            self.count("registrations", created)
        for position, item in enumerate(entry.get("stations", [])):
            self.station(meeting, item, position)
        if held:
            self.hold_rounds(meeting)
            self.quotes(meeting, entry.get("quotes", []))

    def station(self, meeting: Meeting, entry: dict, position: int) -> None:
        moderator = self.people.get(entry.get("moderator", "").lower())
        station, created = Station.objects.get_or_create(
            meeting=meeting,
            title=entry["title"],
            defaults={
                "description": entry.get("description", ""),
                "moderator": moderator,
                "capacity": entry["capacity"],
                "position": position,
            },
        )
        self.count("stations", created)
        for note in entry.get("notes", []):
            _note, created = StationNote.objects.get_or_create(
                station=station,
                text=note["text"],
                defaults={
                    "kind": StationNote.Kind(note["kind"]),
                    "author": self.people.get(note.get("author", "").lower()),
                    "owner": self.people.get(note.get("owner", "").lower()),
                    "created_at": meeting.ends_at,
                },
            )
            self.count("station notes", created)

    def hold_rounds(self, meeting: Meeting) -> None:
        """Plan the held meeting with the planner once, then hold its rounds one by one.

        The same path an organiser takes: the plan, then "round over" after each round, which
        records who met whom among the people who were there.
        """
        if Assignment.objects.filter(meeting=meeting).exists():
            return
        create_plan(meeting=meeting)
        for _round in range(meeting.rounds):
            close_round(meeting=meeting)
        self.count("assignments", Assignment.objects.filter(meeting=meeting).count())
        self.count("encounters", Encounter.objects.filter(meeting=meeting).count())

    def quotes(self, meeting: Meeting, entries: list[dict]) -> None:
        """What participants said, for the press release; only from people who consented."""
        if meeting.quotes.exists():
            return
        for entry in entries:
            person = self.people[entry["person"].lower()]
            if person.has_consent(ConsentPurpose.QUOTES):
                Quote.objects.create(meeting=meeting, person=person, text=entry["text"])
                self.count("quotes", True)
