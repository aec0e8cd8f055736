"""The personal-data register knows every field of every model; secrets stay out of logs."""

import io
import logging

import pytest
from django.apps import apps
from django.urls import reverse

from treffpunkt.logfilters import mask_secrets
from treffpunkt.meetings.models import Registration
from treffpunkt.privacy import Category, register

from .conftest import make_person

# Framework models that hold no personal data at all.
WITHOUT_PERSONAL_DATA = {"contenttypes.ContentType", "auth.Permission", "auth.Group"}


def all_models():
    return [
        model
        for model in apps.get_models()
        if f"{model._meta.app_label}.{model.__name__}" not in WITHOUT_PERSONAL_DATA
    ]


@pytest.mark.parametrize("model", all_models(), ids=lambda m: m._meta.label)
def test_every_field_is_declared_personal_or_not(model):
    assert register.undeclared_fields(model) == set()


def test_personal_fields_of_a_person_are_named_with_their_category():
    from treffpunkt.network.models import Person

    fields = register.personal_fields(Person)

    assert fields["email"] == Category.CONTACT
    assert fields["last_name"] == Category.IDENTITY


def test_declaring_a_field_that_does_not_exist_is_refused():
    from treffpunkt.network.models import Tag
    from treffpunkt.privacy import Register

    with pytest.raises(ValueError, match=r"Tag has no field\(s\) \['colour'\]"):
        Register().declare(
            Tag,
            personal={"colour": Category.PROFILE},
            subjects=(),
            purpose="",
            retention="",
            legal_basis="",
        )


def test_rows_about_a_person_find_their_data_in_every_app(member, upcoming_meeting):
    from treffpunkt.meetings.models import Registration

    person = member.person
    Registration.objects.create(meeting=upcoming_meeting, person=person, topics="KI")

    found = register.rows_about(person)

    assert sorted(found) == [
        "auth.User",
        "meetings.Registration",
        "network.Consent",
        "network.Person",
        "network.Profile",
    ]
    assert found["network.Person"] == [person]
    assert len(found["network.Consent"]) == 2


def test_the_record_of_processing_lists_every_personal_field(db, capsys):
    from django.core.management import call_command

    call_command("privacy_record")
    record = capsys.readouterr().out

    assert "| Personen | Vorname (Identität (Name, Funktion)), Nachname" in record
    assert "| Einwilligungen |" in record
    assert "Art. 6 Abs. 1 lit. a DSGVO: Einwilligung in Fotos" in record
    assert "Organisationen" not in record


def test_secret_links_never_reach_the_log(client, glassworks, upcoming_meeting):
    """A refused change on a personal page is logged ("Bad Request: ...") without its token."""
    person = make_person("Paula", "Person", glassworks)
    registration = Registration.objects.create(meeting=upcoming_meeting, person=person)
    (console,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream, console.stream = console.stream, io.StringIO()
    try:
        token = registration.token
        client.post(reverse("registration_topics", args=[token]), {"topics": "x" * 5000})
        logged = console.stream.getvalue()
    finally:
        console.stream = stream

    assert "Bad Request: /r/…/topics/" in logged
    assert token not in logged


@pytest.mark.parametrize(
    ("line", "masked"),
    [
        ("Not Found: /r/abc_DEF-123/", "Not Found: /r/…/"),
        ("Bad Request: /invitation/tok3n/", "Bad Request: /invitation/…/"),
        ("Forbidden: /meetings/4/checkin/C0DE/undo/", "Forbidden: /meetings/4/checkin/…/undo/"),
        ("Forbidden: /meetings/4/checkin/walk-in/", "Forbidden: /meetings/4/checkin/walk-in/"),
        ("Not Found: /meetings/4/report/", "Not Found: /meetings/4/report/"),
    ],
)
def test_the_log_filter_masks_exactly_the_secret_part(line, masked):
    assert mask_secrets(line) == masked
