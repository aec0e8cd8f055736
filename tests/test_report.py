"""The meeting report: exact figures on a small hand-built meeting, page, PDF and permissions.

The held meeting (``held``): five people attended, one did not come.

    round 1: KI [Max, Anna, Ben]      Energie [Cem, Dora]
    round 2: KI [Max, Cem]            Energie [Anna, Ben, Dora]

Anna and Ben met before, at an earlier meeting they both attended. Kinds: Max and Anna
company, Ben municipality, Cem politics, Dora association; Emil (company) was a no-show.
"""

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image
from pypdf import PdfReader

from treffpunkt.meetings.models import (
    Assignment,
    ContactConfirmation,
    Job,
    Meeting,
    Photo,
    Registration,
    Station,
    StationNote,
)
from treffpunkt.meetings.report import meeting_report
from treffpunkt.meetings.services import record_held_round
from treffpunkt.network.models import ConsentPurpose, Organisation

from .conftest import make_person
from .test_pages import client_for

P = ConsentPurpose


def hold(meeting, rounds):
    """Store the rounds as assignments, mark everybody in them attended, record encounters."""
    for r, groups in enumerate(rounds):
        for station, people in groups.items():
            for person in people:
                Assignment.objects.create(meeting=meeting, round=r, station=station, person=person)
    for r in range(len(rounds)):
        record_held_round(meeting=meeting, round_index=r)
    meeting.rounds_held = len(rounds)
    meeting.save(update_fields=["rounds_held"])


def make_meeting(title, days_ago, host):
    starts = timezone.now() - timedelta(days=days_ago)
    return Meeting.objects.create(
        title=title,
        host=host,
        venue="Gemengehaus",
        starts_at=starts,
        ends_at=starts + timedelta(hours=4),
        capacity=30,
        status=Meeting.Status.PUBLISHED,
    )


def register(meeting, people, status=Registration.Status.ATTENDED):
    return {
        p.first_name: Registration.objects.create(meeting=meeting, person=p, status=status)
        for p in people
    }


@pytest.fixture
def held(db, consent_texts, glassworks, town, moderator):
    return build_held(glassworks, town, moderator)


def build_held(glassworks, town, moderator) -> SimpleNamespace:
    """The held meeting of the module docstring (the other test modules build it too)."""
    landtag = Organisation.objects.create(name="Landtag Beispielland", kind="politics")
    chamber = Organisation.objects.create(name="Kammer Süd", kind="association")
    precision = Organisation.objects.create(name="Präzision GmbH", kind="company")
    max_ = moderator.person
    anna = make_person("Anna", "Acker", glassworks, consents=[P.DIRECTORY, P.PHOTOS, P.QUOTES])
    ben = make_person("Ben", "Brandt", town, consents=[P.CONTACT_SHARING, P.PHOTOS])
    cem = make_person("Cem", "Celik", landtag)
    dora = make_person("Dora", "Dietz", chamber, consents=[P.DIRECTORY])
    emil = make_person("Emil", "Engel", precision, consents=[P.DIRECTORY, P.PHOTOS])

    earlier = make_meeting("1. Netzwerktreffen", 200, glassworks)
    first = Station.objects.create(meeting=earlier, title="Alles", capacity=10)
    register(earlier, [anna, ben])
    hold(earlier, [{first: [anna, ben]}])

    meeting = make_meeting("2. Netzwerktreffen", 10, glassworks)
    ki = Station.objects.create(meeting=meeting, title="KI", capacity=10, moderator=max_)
    energy = Station.objects.create(
        meeting=meeting, title="Energie", capacity=10, moderator=dora, position=1
    )
    registrations = register(meeting, [max_, anna, ben, cem, dora])
    registrations |= register(meeting, [emil], status=Registration.Status.NO_SHOW)
    hold(
        meeting,
        [
            {ki: [max_, anna, ben], energy: [cem, dora]},
            {ki: [max_, cem], energy: [anna, ben, dora]},
        ],
    )
    return SimpleNamespace(
        meeting=meeting,
        earlier=earlier,
        ki=ki,
        energy=energy,
        registrations=registrations,
        max=max_,
        anna=anna,
        ben=ben,
        cem=cem,
        dora=dora,
        emil=emil,
    )


def jpeg(size=(64, 48), color=(200, 30, 30), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="JPEG", **save_options)
    return buffer.getvalue()


def make_photo(meeting, people=(), caption="Gruppenbild", kind="group"):
    photo = Photo(meeting=meeting, kind=kind, caption=caption)
    photo.image.save("test.jpg", ContentFile(jpeg()), save=False)
    photo.save()
    photo.people.set(people)
    return photo


def confirm(meeting, person, contact):
    ContactConfirmation.objects.create(meeting=meeting, person=person, contact=contact)


def test_the_figures_of_a_hand_built_meeting_are_exact(held):
    confirm(held.meeting, held.anna, held.ben)
    confirm(held.meeting, held.ben, held.anna)
    confirm(held.meeting, held.cem, held.dora)
    confirm(held.earlier, held.anna, held.ben)  # another meeting: not counted

    report = meeting_report(held.meeting)

    assert [(k.kind, k.count) for k in report.by_kind] == [
        ("company", 2),
        ("municipality", 1),
        ("politics", 1),
        ("association", 1),
        ("research", 0),
        ("other", 0),
    ]
    assert (report.participants, report.pairs_met, report.new_contacts) == (5, 7, 6)
    assert (report.confirmed_contacts, report.mutual_contacts) == (2, 1)
    assert (report.returning, report.first_timers) == (2, 3)
    assert report.cross_kind_contacts == 6


def test_the_kind_matrix_counts_each_pair_once_above_the_diagonal(held):
    report = meeting_report(held.meeting)

    assert report.matrix_columns == [
        "Unternehmen",
        "Kommune",
        "Politik und Verwaltung",
        "Verband oder Kammer",
    ]
    assert [(row.kind, row.cells) for row in report.matrix] == [
        ("company", [1, 2, 1, 1]),
        ("municipality", [None, 0, 0, 1]),
        ("politics", [None, None, 0, 1]),
        ("association", [None, None, None, 0]),
    ]


def test_a_later_meeting_does_not_make_earlier_contacts_old(held):
    later = make_meeting("3. Netzwerktreffen", 1, held.meeting.host)
    station = Station.objects.create(meeting=later, title="Danach", capacity=10)
    register(later, [held.cem, held.dora])
    hold(later, [{station: [held.cem, held.dora]}])

    assert meeting_report(held.meeting).new_contacts == 6
    assert meeting_report(later).new_contacts == 0
    assert meeting_report(later).returning == 2


def test_the_stations_carry_their_notes_sorted_by_kind(held):
    StationNote.objects.create(station=held.ki, kind="follow_up", text="Termin", owner=held.anna)
    StationNote.objects.create(station=held.ki, kind="key_point", text="Wartung")
    StationNote.objects.create(station=held.ki, kind="concern", text="Datenschutz")

    summaries = meeting_report(held.meeting).stations

    assert [s.station.title for s in summaries] == ["KI", "Energie"]
    ki = summaries[0]
    assert [n.text for n in ki.key_points + ki.concerns + ki.ideas] == ["Wartung", "Datenschutz"]
    assert [(n.text, n.owner_name) for n in ki.follow_ups] == [("Termin", "Anna Acker")]
    assert summaries[1].key_points == []


def test_the_report_names_only_people_listed_in_the_directory(held):
    # It goes to members, funders and the press: Ben and Cem are not listed, Anna and Dora are.
    StationNote.objects.create(station=held.ki, kind="follow_up", text="Anruf", owner=held.ben)
    StationNote.objects.create(
        station=held.energy, kind="idea", text="cem  CELIK fragt Anna Acker", owner=None
    )

    ki, energy = meeting_report(held.meeting).stations

    with translation.override("de"):
        assert [(n.text, str(n.owner_name)) for n in ki.follow_ups] == [
            ("Anruf", "nicht genannt (nicht im Verzeichnis)")
        ]
    assert [(n.text, n.owner_name) for n in energy.ideas] == [("[Name] fragt Anna Acker", "")]
    assert (ki.moderator_name, energy.moderator_name) == (held.max.full_name, "Dora Dietz")


@pytest.mark.parametrize("items", [1, 3])
def test_the_report_needs_eleven_queries_whatever_its_size(held, django_assert_num_queries, items):
    for i in range(items):
        StationNote.objects.create(station=held.ki, kind="idea", text=f"Idee {i}", owner=held.ben)
        StationNote.objects.create(station=held.energy, kind="key_point", text=f"Punkt {i}")
        make_photo(held.meeting, [held.anna, held.ben], caption=f"Foto {i}")

    with django_assert_num_queries(11):
        meeting_report(held.meeting)


def test_the_report_page_shows_the_figures_in_german(client, organiser, held):
    StationNote.objects.create(station=held.ki, kind="key_point", text="Wartung mit KI")

    response = client_for(client, organiser).get(reverse("meeting_report", args=[held.meeting.pk]))
    html = response.content.decode()

    assert response.status_code == 200
    assert response.context["report"].new_contacts == 6
    assert '<th scope="row">Neue Kontakte (zum ersten Mal begegnet)</th><td>6</td>' in html
    assert '<th scope="row">Gesamt</th><td>5</td>' in html
    assert "Wartung mit KI" in html
    assert "Moderiert von Max Moderator" in html


@pytest.mark.parametrize("items", [1, 3])
def test_the_report_page_query_count_does_not_grow(
    client, organiser, held, django_assert_num_queries, items
):
    for i in range(items):
        StationNote.objects.create(station=held.ki, kind="idea", text=f"Idee {i}")
        make_photo(held.meeting, [held.anna], caption=f"Foto {i}")
    client_for(client, organiser)

    # Session, user, the meeting, the report's nine, the network's name.
    with django_assert_num_queries(15):
        client.get(reverse("meeting_report", args=[held.meeting.pk]))


@pytest.mark.parametrize("role", ["member", "moderator", "guest", "outsider"])
def test_only_organisers_see_the_report(client, request, role, held):
    user = request.getfixturevalue(role)

    page = client_for(client, user).get(reverse("meeting_report", args=[held.meeting.pk]))
    pdf = client.post(reverse("meeting_report_pdf", args=[held.meeting.pk]))

    assert (page.status_code, pdf.status_code) == (403, 403)
    assert Job.objects.count() == 0


def test_anonymous_is_sent_to_the_login_for_the_report(client, held):
    response = client.get(reverse("meeting_report", args=[held.meeting.pk]))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_the_pdf_is_made_in_the_background_and_offered_on_the_job_page(
    client, organiser, held, django_capture_on_commit_callbacks
):
    StationNote.objects.create(
        station=held.energy, kind="follow_up", text="Abwärme prüfen", owner=held.ben
    )
    make_photo(held.meeting, [held.anna, held.ben], caption="Alle vor dem Ofen")
    make_photo(held.meeting, [held.anna, held.cem], caption="Cem am Stand")
    client_for(client, organiser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meeting_report_pdf", args=[held.meeting.pk]))
    job = Job.objects.get()
    page = client.get(response.url).content.decode()
    pdf = client.get(reverse("job_result", args=[held.meeting.pk, job.pk]))
    text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )

    assert response.url == reverse("job", args=[held.meeting.pk, job.pk])
    assert (job.status, job.done, job.total) == ("done", 4, 4)  # figures, 2 stations, 1 photo
    assert "Der Bericht ist fertig." in page
    assert "Herunterladen" in page
    assert "2. Netzwerktreffen" in text
    assert "Neue Kontakte (zum ersten Mal begegnet)\n6\n" in text
    assert "Gesamt\n5\n" in text
    assert "Abwärme prüfen – zuständig: nicht genannt (nicht im Verzeichnis)" in text
    assert "Ben Brandt" not in text  # not listed in the directory
    assert "Gruppenbild: Alle vor dem Ofen" in text
    assert "Cem am Stand" not in text
