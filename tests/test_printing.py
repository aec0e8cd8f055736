"""Printing: station plans, schedules and badges as PDFs, read back; the print page and its jobs."""

import re
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pypdf
import pytest
import segno
from django.core.management import call_command
from django.urls import reverse

from treffpunkt.meetings import printing
from treffpunkt.meetings.jobs import start_job
from treffpunkt.meetings.models import Assignment, Job, Registration, Station
from treffpunkt.meetings.printing import base
from treffpunkt.meetings.tasks import make_printout
from treffpunkt.network.models import Person

from .conftest import make_person
from .test_pages import client_for

BERLIN = ZoneInfo("Europe/Berlin")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 5, 14, hour, minute, tzinfo=BERLIN)


@pytest.fixture
def meeting(upcoming_meeting):
    upcoming_meeting.starts_at, upcoming_meeting.ends_at = at(14), at(18)
    upcoming_meeting.save(update_fields=["starts_at", "ends_at"])
    return upcoming_meeting


@pytest.fixture
def seated(meeting, ki_station, member, moderator, town):
    """Three people with a seat (sorted by last name: Größer, Mitglied, Moderator)."""
    juergen = make_person("Jürgen", "Größer", town)
    people = [juergen, member.person, moderator.person]
    return [Registration.objects.create(meeting=meeting, person=p) for p in people]


@pytest.fixture
def waitlisted(meeting, glassworks):
    person = make_person("Wanda", "Warteliste", glassworks)
    return Registration.objects.create(
        meeting=meeting, person=person, status=Registration.Status.WAITLISTED
    )


@pytest.fixture
def plan(meeting, ki_station, seated, waitlisted):
    """Max moderates KI; Mia and Jürgen swap between KI and Nachhaltigkeit each round.

    Wanda (waitlisted) is left over in the plan from before: she must appear nowhere.
    """
    green = Station.objects.create(meeting=meeting, title="Nachhaltigkeit", capacity=10)
    juergen, mia, max_ = (r.person for r in seated)
    for r in range(3):
        first, second = (ki_station, green) if r % 2 == 0 else (green, ki_station)
        Assignment.objects.create(meeting=meeting, round=r, station=ki_station, person=max_)
        Assignment.objects.create(meeting=meeting, round=r, station=first, person=mia)
        Assignment.objects.create(meeting=meeting, round=r, station=second, person=juergen)
        Assignment.objects.create(meeting=meeting, round=r, station=green, person=waitlisted.person)
    return green


@pytest.fixture
def as_role(request, client):
    """A client logged in as the persona named by the test's ``role`` parameter."""
    role = request.param
    user = None if role == "anonymous" else request.getfixturevalue(role)
    return client_for(client, user)


def pages(pdf: bytes) -> list[list[str]]:
    """The text of each page, line by line."""
    reader = pypdf.PdfReader(BytesIO(pdf))
    return [[line.strip() for line in p.extract_text().splitlines()] for p in reader.pages]


def qr_matrix(image) -> tuple[tuple[bool, ...], ...]:
    """Read the modules of a QR image as printing.qr_png draws it (scale and quiet zone)."""
    scale, border = printing.QR_SCALE, printing.QR_BORDER
    size = image.width // scale - 2 * border
    grey = image.convert("L")
    return tuple(
        tuple(
            grey.getpixel(((border + c) * scale + scale // 2, (border + r) * scale + scale // 2))
            < 128
            for c in range(size)
        )
        for r in range(size)
    )


def expected_matrix(payload: str) -> tuple[tuple[bool, ...], ...]:
    return tuple(tuple(bool(m) for m in row) for row in segno.make_qr(payload, error="m").matrix)


def qr_codes(pdf: bytes) -> list[tuple[tuple[bool, ...], ...]]:
    reader = pypdf.PdfReader(BytesIO(pdf))
    return [qr_matrix(image.image) for page in reader.pages for image in page.images]


FOOTER = "3. Netzwerktreffen · Stationsplan · 14. Mai 2030 · 14:00–18:00 · Werkhalle 2 · "


@pytest.mark.parametrize(
    ("hours", "rounds", "expected"),
    [
        (4, 3, ["14:00–14:30", "14:30–15:30", "15:30–16:30", "16:30–17:30", "17:30–18:00"]),
        (3, 3, ["14:00–14:20", "14:20–15:05", "15:05–15:50", "15:50–16:35", "16:35–17:00"]),
        (
            2,
            4,
            [
                "14:00–14:15",
                "14:15–14:35",
                "14:35–14:55",
                "14:55–15:15",
                "15:15–15:35",
                "15:35–16:00",
            ],
        ),
    ],
)
def test_the_timetable_has_a_welcome_even_rounds_and_a_wrap_up(meeting, hours, rounds, expected):
    meeting.ends_at = at(14 + hours)
    meeting.rounds = rounds

    times = printing.timetable(meeting)

    slots = [times.welcome, *times.rounds, times.closing]
    assert [slot.label() for slot in slots] == expected


def test_a_very_short_meeting_has_no_welcome_and_rounds_fill_it(meeting):
    meeting.ends_at = at(14, 6)
    meeting.rounds = 3

    times = printing.timetable(meeting)

    assert times.welcome is None
    assert [s.label() for s in times.rounds] == ["14:00–14:02", "14:02–14:04", "14:04–14:06"]
    assert times.closing is None


def test_the_station_plan_has_one_page_per_round_with_each_station_and_its_people(meeting, plan):
    text = pages(printing.station_plan_pdf(meeting))

    assert len(text) == 3
    assert text[0] == [
        FOOTER + "Glashütte Beispieltal",
        "Runde 1 · 14:30–15:30",
        "KI",
        "Moderation: Max Moderator",
        "Mia Mitglied",
        "Glashütte Beispieltal",
        "Nachhaltigkeit",
        "Jürgen Größer",
        "Stadt Musterbach",
    ]
    assert text[1][1:] == [
        "Runde 2 · 15:30–16:30",
        "KI",
        "Moderation: Max Moderator",
        "Jürgen Größer",
        "Stadt Musterbach",
        "Nachhaltigkeit",
        "Mia Mitglied",
        "Glashütte Beispieltal",
    ]
    assert text[2][1] == "Runde 3 · 16:30–17:30"


def test_a_crowded_round_flows_through_more_columns_and_stays_on_one_page(meeting, ki_station):
    people = Person.objects.bulk_create(
        Person(first_name=f"Vorname{i:02d}", last_name=f"Name{i:02d}", email=f"p{i}@example.org")
        for i in range(60)
    )
    Registration.objects.bulk_create(Registration(meeting=meeting, person=p) for p in people)
    Assignment.objects.bulk_create(
        Assignment(meeting=meeting, round=r, station=ki_station, person=p)
        for r in range(3)
        for p in people
    )

    text = pages(printing.station_plan_pdf(meeting))

    assert len(text) == 3
    names = re.findall(r"Vorname\d\d Name\d\d", " ".join(text[0]))
    assert names == [f"Vorname{i:02d} Name{i:02d}" for i in range(60)]
    assert text[0].count("KI (Fortsetzung)") >= 1


def test_a_station_nobody_is_at_says_so(meeting, plan):
    Station.objects.create(meeting=meeting, title="Leerer Tisch", capacity=5, position=9)

    text = pages(printing.station_plan_pdf(meeting))

    assert text[0][-2:] == ["Leerer Tisch", "In dieser Runde ist niemand hier."]


def test_each_person_with_a_seat_gets_a_schedule_page_in_alphabetical_order(meeting, plan):
    text = pages(printing.schedules_pdf(meeting))

    assert [page[3] for page in text] == ["Jürgen Größer", "Mia Mitglied", "Max Moderator"]
    assert text[0] == [
        "3. Netzwerktreffen · Persönlicher Ablaufplan",
        "3. Netzwerktreffen",
        "14. Mai 2030 · 14:00–18:00 · Werkhalle 2 · Glashütte Beispieltal",
        "Jürgen Größer",
        "Stadt Musterbach",
        "Zeit",
        "Programm",
        "Station",
        "14:00–14:30",
        "Begrüßung",
        "14:30–15:30",
        "Runde 1",
        "Nachhaltigkeit",
        "15:30–16:30",
        "Runde 2",
        "KI",
        "16:30–17:30",
        "Runde 3",
        "Nachhaltigkeit",
        "17:30–18:00",
        "Abschluss und freier",
        "Austausch",
    ]
    assert text[2][10:13] == ["14:30–15:30", "Runde 1", "KI (Sie moderieren)"]


def test_badges_show_name_organisation_and_station_per_round(meeting, plan):
    text = pages(printing.badges_pdf(meeting))

    assert len(text) == 1
    assert text[0][:6] == [
        "3. Netzwerktreffen",
        "Jürgen Größer",
        "Stadt Musterbach",
        "Runde 1: Nachhaltigkeit",
        "Runde 2: KI",
        "Runde 3: Nachhaltigkeit",
    ]
    assert text[0].count("3. Netzwerktreffen") == 3


def test_the_badge_qr_code_holds_the_check_in_link_and_nothing_else(meeting, plan, seated):
    codes = qr_codes(printing.badges_pdf(meeting))

    links = [printing.checkin_url(r) for r in seated]
    assert links[0] == (
        f"http://127.0.0.1:8000/meetings/{meeting.pk}/checkin/{seated[0].checkin_code}/"
    )
    assert sorted(codes) == sorted(expected_matrix(link) for link in links)


def test_the_personal_link_is_never_printed(meeting, plan, seated, waitlisted):
    tokens = [r.token for r in [*seated, waitlisted]]
    builders = [printing.station_plan_pdf, printing.schedules_pdf, printing.badges_pdf]

    for build in builders:
        pdf = build(meeting)
        reader = pypdf.PdfReader(BytesIO(pdf))
        text = "\n".join(p.extract_text() for p in reader.pages) + str(reader.metadata)
        token_codes = [expected_matrix(f"http://127.0.0.1:8000/r/{t}/") for t in tokens]
        assert [t for t in tokens if t in text or t.encode() in pdf] == []
        assert [c for c in qr_codes(pdf) if c in token_codes] == []


def test_only_people_with_a_seat_are_printed(meeting, plan, seated, waitlisted):
    cancelled = seated[0]
    cancelled.status = Registration.Status.CANCELLED
    cancelled.save(update_fields=["status"])

    plan_text = str(pages(printing.station_plan_pdf(meeting)))
    schedules = pages(printing.schedules_pdf(meeting))
    badges = pages(printing.badges_pdf(meeting))

    assert "Wanda Warteliste" not in plan_text + str(schedules) + str(badges)
    assert "Jürgen Größer" not in plan_text + str(schedules) + str(badges)
    assert [page[3] for page in schedules] == ["Mia Mitglied", "Max Moderator"]
    assert len(qr_codes(printing.badges_pdf(meeting))) == 2


def test_without_a_plan_the_station_plan_and_schedules_say_so_and_badges_still_work(
    meeting, seated
):
    notice = (
        "Es gibt noch keinen Rotationsplan, deshalb fehlen hier die Stationen. "
        "Erstellen Sie zuerst den Plan und drucken Sie dann erneut."
    )

    station_plan = pages(printing.station_plan_pdf(meeting))
    schedules = pages(printing.schedules_pdf(meeting))
    badges = pages(printing.badges_pdf(meeting))

    assert len(station_plan) == 1
    assert " ".join(station_plan[0][3:]) == notice
    assert [notice in " ".join(page) for page in schedules] == [True, True, True]
    assert badges[0][:3] == ["3. Netzwerktreffen", "Jürgen Größer", "Stadt Musterbach"]
    assert not any(line.startswith("Runde") for line in badges[0])
    assert len(qr_codes(printing.badges_pdf(meeting))) == 3


def test_a_person_missing_from_the_plan_is_told_to_ask_at_the_desk(meeting, plan, glassworks):
    late = make_person("Lena", "Spät", glassworks)
    Registration.objects.create(meeting=meeting, person=late)

    schedules = pages(printing.schedules_pdf(meeting))

    lena = next(page for page in schedules if "Lena Spät" in page)
    assert "Sie sind noch nicht im Plan: Bitte fragen Sie am Empfang." in " ".join(lena)


def test_nobody_with_a_seat_gives_one_page_saying_so(meeting):
    for build in (printing.schedules_pdf, printing.badges_pdf):
        text = pages(build(meeting))

        assert len(text) == 1
        assert "Noch hat niemand einen Platz bei diesem Treffen." in text[0]


def test_names_are_printed_as_written_never_read_as_markup(meeting, town):
    person = make_person("Anna", "<b>Fett</b> & Co", town)
    Registration.objects.create(meeting=meeting, person=person)

    for build in (printing.schedules_pdf, printing.badges_pdf):
        assert "Anna <b>Fett</b> & Co" in pages(build(meeting))[0]


def test_without_dejavu_the_pdfs_use_reportlabs_own_vera_font(meeting, seated, monkeypatch):
    missing = (Path("/nonexistent/Sans.ttf"), Path("/nonexistent/Sans-Bold.ttf"))
    monkeypatch.setattr(base, "FONT_CANDIDATES", (missing, base.FONT_CANDIDATES[-1]))

    pdf = printing.schedules_pdf(meeting)

    fonts = pypdf.PdfReader(BytesIO(pdf)).pages[0]["/Resources"]["/Font"]
    names = {str(font.get_object()["/BaseFont"]).split("+")[-1] for font in fonts.values()}
    assert names >= {"BitstreamVeraSans-Roman", "BitstreamVeraSans-Bold"}
    assert [name for name in names if "DejaVu" in name] == []
    assert pages(pdf)[0][3] == "Jürgen Größer"


def test_the_builders_report_each_page(meeting, plan):
    class Recorder:
        def __init__(self):
            self.calls = []

        def start(self, total):
            self.calls.append(("start", total))

        def step(self, count=1):
            self.calls.append(("step", count))

    recorder = Recorder()
    printing.schedules_pdf(meeting, steps=recorder)

    assert recorder.calls == [("start", 3), ("step", 1), ("step", 1), ("step", 1)]


# ---------------------------------------------------------------------------------------------
# The print page and its background jobs


@pytest.mark.parametrize("as_role", ["outsider", "guest", "member", "moderator"], indirect=True)
def test_only_organisers_reach_the_print_page(as_role, meeting, seated):
    url = reverse("meeting_print", args=[meeting.pk])

    got = as_role.get(url)
    posted = as_role.post(url, {"printout": "badges"})

    assert (got.status_code, posted.status_code) == (403, 403)
    assert Job.objects.count() == 0


def test_anonymous_visitors_are_sent_to_the_login(client, meeting):
    url = reverse("meeting_print", args=[meeting.pk])

    response = client.post(url, {"printout": "badges"})

    assert response.url == f"/login/?next={url}"
    assert Job.objects.count() == 0


def test_the_print_page_offers_the_three_printouts_and_the_timetable(client, organiser, meeting):
    response = client_for(client, organiser).get(reverse("meeting_print", args=[meeting.pk]))
    html = response.content.decode()

    assert [p.key for p in response.context["printouts"]] == ["station_plan", "schedules", "badges"]
    assert "Stationsplan" in html
    assert "Es gibt noch keinen Rotationsplan" in html
    assert "<td>14:30–15:30</td><td>Runde 1</td>" in html


def test_making_badges_runs_as_a_job_and_offers_the_pdf(
    client, organiser, meeting, plan, django_capture_on_commit_callbacks
):
    client_for(client, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("meeting_print", args=[meeting.pk]), {"printout": "badges"})

    job = Job.objects.get()
    assert response.url == reverse("job", args=[meeting.pk, job.pk])
    assert (job.kind, job.status, job.done, job.total) == ("Namensschilder", "done", 1, 1)
    assert job.message == "Das PDF hat 1 Seite."
    assert job.result.name.split("/")[-1].startswith("3-netzwerktreffen-namensschilder")
    download = client.get(reverse("job_result", args=[meeting.pk, job.pk]))
    assert pages(b"".join(download.streaming_content))[0][1] == "Jürgen Größer"


# The worker closes its database connection after each task, as in production.
@pytest.mark.django_db(transaction=True)
def test_the_database_worker_makes_the_station_plan(
    settings, meeting, plan, organiser, django_capture_on_commit_callbacks
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        job = start_job(
            meeting=meeting,
            kind="Stationsplan",
            user=organiser,
            task=make_printout,
            key="station_plan",
            language="de",
        )

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == ("done", 3, 3, "Das PDF hat 3 Seiten.")
    assert [page[1] for page in pages(job.result.read())] == [
        "Runde 1 · 14:30–15:30",
        "Runde 2 · 15:30–16:30",
        "Runde 3 · 16:30–17:30",
    ]


def test_schedules_without_a_plan_make_a_job_that_says_so(
    client, organiser, meeting, seated, django_capture_on_commit_callbacks
):
    client_for(client, organiser)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meeting_print", args=[meeting.pk]), {"printout": "schedules"})

    job = Job.objects.get()
    assert (job.status, job.done, job.total) == ("done", 3, 3)
    assert job.message == (
        "Das PDF hat 3 Seiten. Es gibt noch keinen Rotationsplan, das PDF weist darauf hin. "
        "Drucken Sie nach der Planung erneut."
    )


def test_the_pdf_is_in_the_language_the_organiser_uses(
    client, organiser, meeting, plan, django_capture_on_commit_callbacks
):
    client_for(client, organiser).post("/i18n/setlang/", {"language": "en", "next": "/"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("meeting_print", args=[meeting.pk]), {"printout": "station_plan"})

    job = Job.objects.get()
    assert job.kind == "Station plan"
    assert pages(job.result.read())[0][1] == "Round 1 · 2:30 p.m.–3:30 p.m."


def test_an_unknown_printout_is_refused_with_a_message_and_starts_nothing(
    client, organiser, meeting
):
    response = client_for(client, organiser).post(
        reverse("meeting_print", args=[meeting.pk]), {"printout": "passports"}
    )

    assert "Diesen Ausdruck gibt es nicht: Wählen Sie einen aus der Liste." in (
        response.content.decode()
    )
    assert Job.objects.count() == 0


def test_the_print_page_lists_recent_printouts_only(client, organiser, meeting):
    Job.objects.create(meeting=meeting, kind="Einladungen")
    badges = Job.objects.create(meeting=meeting, kind="Namensschilder")
    english = Job.objects.create(meeting=meeting, kind="Personal schedules")

    response = client_for(client, organiser).get(reverse("meeting_print", args=[meeting.pk]))

    assert list(response.context["jobs"]) == [english, badges]


@pytest.mark.parametrize("count", [1, 3])
def test_print_page_query_count_does_not_grow_with_the_jobs(
    client, organiser, meeting, django_assert_num_queries, count
):
    for i in range(count):
        Job.objects.create(meeting=meeting, kind="Namensschilder", total=8, done=i)
    client_for(client, organiser)

    # session, user, meeting, network, seats, plan, jobs
    with django_assert_num_queries(7):
        client.get(reverse("meeting_print", args=[meeting.pk]))


def test_a_draft_meetings_print_page_is_not_found_for_members(client, member, draft_meeting):
    response = client_for(client, member).get(reverse("meeting_print", args=[draft_meeting.pk]))

    assert response.status_code == 404
