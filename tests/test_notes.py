"""Station notes: the station's moderator (or an organiser) records them; nobody else."""

import pytest
from django.urls import reverse

from treffpunkt.meetings.models import Registration, StationNote

from .conftest import make_login, make_person
from .test_pages import client_for
from .test_report import build_held

FOLLOW_UP_WITHOUT_OWNER = (
    "Ein nächster Schritt braucht eine zuständige Person: Wählen Sie, wer sich darum kümmert."
)


@pytest.fixture
def held(db, consent_texts, glassworks, town, moderator):
    """The hand-built held meeting of ``test_report``."""
    return build_held(glassworks, town, moderator)


def notes_url(station):
    return reverse("station_notes", args=[station.pk])


def note_of(station, author, text="Alt", kind="key_point", owner=None):
    return StationNote.objects.create(
        station=station, kind=kind, text=text, author=author, owner=owner
    )


def test_the_moderator_records_a_note_of_their_station(client, moderator, held):
    client_for(client, moderator)

    response = client.post(notes_url(held.ki), {"kind": "key_point", "text": "Wartung mit KI"})
    page = client.get(notes_url(held.ki)).content.decode()

    note = StationNote.objects.get()
    assert response.url == notes_url(held.ki)
    assert (note.station, note.kind, note.text, note.author, note.owner) == (
        held.ki,
        "key_point",
        "Wartung mit KI",
        held.max,
        None,
    )
    assert "Wartung mit KI" in page
    assert "Notizen der Station „KI“" in page


def test_a_follow_up_gets_its_owner(client, moderator, held):
    client_for(client, moderator).post(
        notes_url(held.ki), {"kind": "follow_up", "text": "Treffen im Mai", "owner": held.ben.pk}
    )

    assert StationNote.objects.get().owner == held.ben


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"kind": "follow_up", "text": "Wer?"}, {"owner": [FOLLOW_UP_WITHOUT_OWNER]}),
        (
            {"kind": "idea", "text": "Idee", "owner": "OWNER"},
            {
                "owner": [
                    "Nur ein nächster Schritt hat eine zuständige Person: Lassen Sie das Feld leer."
                ]
            },
        ),
        (
            {"kind": "follow_up", "text": "Fremd", "owner": "STRANGER"},
            {
                "owner": [
                    "Wählen Sie die zuständige Person unter den Teilnehmenden dieses Treffens."
                ]
            },
        ),
        (
            {"kind": "follow_up", "text": "", "owner": "OWNER"},
            {"text": ["Dieses Feld ist zwingend erforderlich."]},
        ),
        (
            {"kind": "gossip", "text": "x"},
            {"kind": ["Bitte eine gültige Auswahl treffen. gossip ist keine gültige Auswahl."]},
        ),
    ],
    ids=[
        "follow-up-without-owner",
        "owner-on-an-idea",
        "owner-not-at-the-meeting",
        "no-text",
        "bad-kind",
    ],
)
def test_bad_notes_get_a_clear_message_and_change_nothing(
    client, moderator, member, held, data, errors
):
    data = {
        k: {"OWNER": held.ben.pk, "STRANGER": member.person.pk}.get(v, v) for k, v in data.items()
    }

    response = client_for(client, moderator).post(notes_url(held.ki), data)

    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert StationNote.objects.count() == 0


def test_the_moderator_edits_and_deletes_their_own_note(client, moderator, held):
    note = note_of(held.ki, held.max)
    client_for(client, moderator)

    edited = client.post(
        reverse("note_edit", args=[note.pk]),
        {"kind": "follow_up", "text": "Neu", "owner": held.anna.pk},
    )
    note.refresh_from_db()
    assert edited.url == notes_url(held.ki)
    assert (note.kind, note.text, note.owner) == ("follow_up", "Neu", held.anna)

    deleted = client.post(reverse("note_delete", args=[note.pk]))
    assert deleted.url == notes_url(held.ki)
    assert StationNote.objects.count() == 0


def test_a_bad_edit_changes_nothing(client, moderator, held):
    note = note_of(held.ki, held.max, kind="follow_up", owner=held.anna)

    response = client_for(client, moderator).post(
        reverse("note_edit", args=[note.pk]), {"kind": "follow_up", "text": "Neu"}
    )

    note.refresh_from_db()
    assert response.context["form"].errors == {"owner": [FOLLOW_UP_WITHOUT_OWNER]}
    assert (note.text, note.owner) == ("Alt", held.anna)


def test_the_moderator_cannot_change_a_note_somebody_else_wrote(client, moderator, held):
    note = note_of(held.ki, held.anna)
    client_for(client, moderator)

    page = client.get(notes_url(held.ki))
    responses = [
        client.post(reverse("note_edit", args=[note.pk]), {"kind": "idea", "text": "Neu"}),
        client.post(reverse("note_delete", args=[note.pk])),
    ]

    note.refresh_from_db()
    assert page.context["notes"] == [(note, False)]
    assert [r.status_code for r in responses] == [403, 403]
    assert (note.kind, note.text) == ("key_point", "Alt")


def test_a_moderator_of_another_station_gets_403(client, held):
    dora = make_login("dora")
    held.dora.user = dora
    held.dora.save(update_fields=["user"])
    note = note_of(held.ki, held.max)
    client_for(client, dora)

    responses = [
        client.get(notes_url(held.ki)),
        client.post(notes_url(held.ki), {"kind": "idea", "text": "Fremd"}),
        client.post(reverse("note_edit", args=[note.pk]), {"kind": "idea", "text": "Fremd"}),
        client.post(reverse("note_delete", args=[note.pk])),
    ]
    own = client.get(notes_url(held.energy))

    assert [r.status_code for r in responses] == [403] * 4
    assert own.status_code == 200
    assert list(StationNote.objects.values_list("text", flat=True)) == ["Alt"]


@pytest.mark.parametrize("role", ["member", "guest", "outsider"])
def test_members_guests_and_outsiders_get_403(client, request, role, held):
    note = note_of(held.ki, held.max)
    client_for(client, request.getfixturevalue(role))

    responses = [
        client.get(notes_url(held.ki)),
        client.post(notes_url(held.ki), {"kind": "idea", "text": "Fremd"}),
        client.get(reverse("note_edit", args=[note.pk])),
        client.post(reverse("note_delete", args=[note.pk])),
    ]

    assert [r.status_code for r in responses] == [403] * 4
    assert StationNote.objects.count() == 1


def test_anonymous_is_sent_to_the_login(client, held):
    response = client.get(notes_url(held.ki))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_a_station_of_a_draft_meeting_is_not_found_for_its_moderator(client, moderator, held):
    held.meeting.status = "draft"
    held.meeting.save(update_fields=["status"])

    assert client_for(client, moderator).get(notes_url(held.ki)).status_code == 404


def test_unknown_stations_and_notes_are_not_found(client, organiser, held):
    client_for(client, organiser)

    assert client.get(reverse("station_notes", args=[999999])).status_code == 404
    assert client.get(reverse("note_edit", args=[999999])).status_code == 404


def test_an_organiser_adds_edits_and_deletes_any_note(client, organiser, held):
    note = note_of(held.energy, held.dora)
    client_for(client, organiser)

    client.post(notes_url(held.energy), {"kind": "concern", "text": "Kosten"})
    client.post(reverse("note_edit", args=[note.pk]), {"kind": "idea", "text": "Geändert"})
    client.post(reverse("note_delete", args=[note.pk]))

    added = StationNote.objects.get()
    assert (added.text, added.author.full_name) == ("Kosten", "Olga Organisatorin")


@pytest.mark.parametrize("items", [1, 3])
def test_the_notes_page_query_count_does_not_grow(
    client, moderator, held, django_assert_num_queries, items
):
    for i in range(items):
        note_of(held.ki, held.max, text=f"Notiz {i}", kind="follow_up", owner=held.anna)
    client_for(client, moderator)

    # Session, user, station, the user's person, notes, owners to choose, network name.
    with django_assert_num_queries(7):
        response = client.get(notes_url(held.ki))
    assert len(response.context["notes"]) == items


def test_the_meeting_page_leads_the_moderator_to_their_station_notes(
    client, moderator, member, organiser, held
):
    link = f'href="{notes_url(held.ki)}"'
    other = f'href="{notes_url(held.energy)}"'

    as_moderator = client_for(client, moderator).get(held.meeting.get_absolute_url())
    html = as_moderator.content.decode()
    assert "Notizen zu Ihrer Station" in html
    assert (link in html, other in html) == (True, False)

    as_member = client_for(client, member).get(held.meeting.get_absolute_url()).content.decode()
    assert (link in as_member, "Notizen zu Ihrer Station" in as_member) == (False, False)

    as_organiser = client_for(client, organiser).get(held.meeting.get_absolute_url())
    html = as_organiser.content.decode()
    assert (link in html, other in html, "Stationsnotizen" in html) == (True, True, True)


def test_my_stations_lists_the_stations_a_person_moderates(client, moderator, member, held):
    mine = client_for(client, moderator).get(reverse("my_stations"))
    theirs = client_for(client, member).get(reverse("my_stations"))

    assert list(mine.context["stations"]) == [held.ki]
    assert f'href="{notes_url(held.ki)}"' in mine.content.decode()
    assert list(theirs.context["stations"]) == []
    assert "Sie moderieren keine Station." in theirs.content.decode()


def test_my_stations_needs_a_login(client, db):
    assert client.get(reverse("my_stations")).url.startswith(reverse("login"))


def test_a_person_without_login_is_never_a_moderator(client, outsider, held, glassworks):
    make_person("Otto", "Ohne", glassworks)

    response = client_for(client, outsider).get(reverse("my_stations"))

    assert list(response.context["stations"]) == []


def test_a_moderator_chooses_owners_only_among_people_they_may_see(
    client, organiser, moderator, held, glassworks
):
    hanna = make_person("Hanna", "Verborgen", glassworks)  # no consent, never at the KI station
    Registration.objects.create(meeting=held.meeting, person=hanna)

    def choices(user):
        response = client_for(client, user).get(notes_url(held.ki))
        return set(response.context["form"].fields["owner"].queryset)

    # Max met Anna, Ben and Cem at his station; Dora moderates; Hanna he never saw.
    assert choices(moderator) == {held.max, held.anna, held.ben, held.cem, held.dora}
    assert choices(organiser) == {held.max, held.anna, held.ben, held.cem, held.dora, hanna}
