"""The whole meeting path of issue 4 in a real browser, as the people in front of it walk it.

A visitor registers on a phone; the organiser turns the topics into stations, plans the
rotation, checks people in at the door (one no-show, one walk-in), re-plans the remaining
rounds, records round 1 as held, writes a station note and opens the meeting report. Every
step is clicks and form fills; the database is only set up before and read afterwards.
"""

import re
from datetime import timedelta
from itertools import combinations

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from treffpunkt.meetings.models import Assignment, Encounter, Meeting, Registration, StationNote
from treffpunkt.network.models import Consent, ConsentPurpose, Organisation, Person

from ..conftest import PASSWORD, make_person
from .conftest import shoot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The four themes of the participants' topics, and the station each should become.
THEMES = {
    "Künstliche Intelligenz": [
        "KI in der Wartung unserer Schleifmaschinen",
        "Künstliche Intelligenz für die Instandhaltung",
        "Kann KI beim CNC-Programmieren Zeit sparen?",
        "Datenschutz und Arbeitsplätze, wenn KI in den Betrieb kommt",
    ],
    "Nachhaltigkeit": [
        "Energieeffizienz in der Glasschmelze",
        "PV auf dem Hallendach und ein Stromspeicher",
        "Notstromversorgung für Rathaus und Feuerwehr",
        "Abwärme aus der Produktion für das Wärmenetz der Gemeinde",
    ],
    "Regionale Kooperation": [
        "Regionale Kooperation zwischen Unternehmen und Kommunen",
        "Gegenseitige Unterstützung im Tagesgeschäft, zum Beispiel Maschinen leihen",
        "Gemeinsame Projekte von Betrieben und Gemeinden anstoßen",
        "Zusammenarbeit der Gemeinden im Zweckverband",
    ],
    "Fachkräfte": [
        "Fachkräfte finden und halten",
        "Azubis gewinnen: Praktika und Berufsorientierung an Schulen",
        "Nachwuchs für die Präzisionsmechanik",
        "Wohnraum für Fachkräfte in der Region",
    ],
}
#: (first name, last name, organisation) in the order of the topics above, theme by theme.
PEOPLE = [
    ("Karl", "Kaiser", "Präzisionsmechanik Suhl GmbH"),
    ("Ines", "Illing", "Glashütte Beispieltal"),
    ("Conrad", "Christ", "Thermoglas Ilmenau"),
    ("Dora", "Dietz", "Landratsamt Hildburghausen"),
    ("Emil", "Engel", "Glashütte Beispieltal"),
    ("Paula", "Pohl", "Präzisionsmechanik Suhl GmbH"),
    ("Nora", "Nowak", "Stadt Musterbach"),
    ("Anton", "Abel", "Gemeinde Schleusingen"),
    ("Regina", "Rausch", "Thüringer Wirtschaftsministerium"),
    ("Ulf", "Ulbrich", "Glashütte Beispieltal"),
    ("Gustav", "Gutmann", "Gemeinde Schleusingen"),
    ("Zeno", "Zweck", "Stadt Musterbach"),
    ("Frieda", "Fink", "Präzisionsmechanik Suhl GmbH"),
    ("Sven", "Schulz", "Landratsamt Hildburghausen"),
    ("Nils", "Nachwuchs", "Thermoglas Ilmenau"),
    ("Wanda", "Wohl", "Thüringer Wirtschaftsministerium"),
]
KINDS = {
    "Präzisionsmechanik Suhl GmbH": "company",
    "Thermoglas Ilmenau": "company",
    "Landratsamt Hildburghausen": "politics",
    "Thüringer Wirtschaftsministerium": "politics",
    "Gemeinde Schleusingen": "municipality",
}
NEWCOMER_TOPIC = "KI für die vorausschauende Wartung unserer Glasöfen"
NO_SHOW = "Ulf Ulbrich"
PHONE_WIDTH = 390  # the page fixture's viewport
WALK_IN = ("Walter", "Wegner", "Landratsamt Hildburghausen")
NOTE = "Erste Betriebe prüfen KI für Wartung und Programmierung; andere sorgen sich um Datenschutz."


@pytest.fixture
def participants(consent_texts, glassworks, town, upcoming_meeting):
    """Sixteen registrations from companies, municipalities and politics, and one earlier
    meeting at which two of them met already."""
    organisations = {glassworks.name: glassworks, town.name: town}
    for name, kind in KINDS.items():
        organisations[name] = Organisation.objects.create(name=name, kind=kind)
    topics = [topic for theme in THEMES.values() for topic in theme]
    people = {}
    for (first, last, organisation), topic in zip(PEOPLE, topics, strict=True):
        # Karl moderates and is listed in the directory, so the report names him.
        listed = [ConsentPurpose.DIRECTORY] if first == "Karl" else []
        person = make_person(first, last, organisations[organisation], consents=listed)
        Registration.objects.create(meeting=upcoming_meeting, person=person, topics=topic)
        people[f"{first} {last}"] = person
    earlier = Meeting.objects.create(
        title="2. Netzwerktreffen",
        host=glassworks,
        starts_at=timezone.now() - timedelta(days=200),
        ends_at=timezone.now() - timedelta(days=200) + timedelta(hours=3),
        capacity=40,
        status=Meeting.Status.PUBLISHED,
    )
    a, b = sorted([people["Karl Kaiser"].pk, people["Nora Nowak"].pk])
    Encounter.objects.create(meeting=earlier, round=0, person_a_id=a, person_b_id=b)
    return people


def snap(page: Page, name: str) -> None:
    """Check the page fits the phone's width (no sideways scrolling), then save a screenshot.

    A full-page screenshot resizes the view for a moment; the scroll afterwards settles it,
    else the next click can land on what moved under the pointer.
    """
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, name
    shoot(page, name)
    page.evaluate("window.scrollTo(0, 0)")


def message(page: Page) -> Locator:
    return page.locator(".messages")


def groups_of(meeting, round_index: int) -> list[set[int]]:
    """The people per station in one round, as stored."""
    groups: dict[int, set[int]] = {}
    for station, person in Assignment.objects.filter(
        meeting=meeting, round=round_index
    ).values_list("station_id", "person_id"):
        groups.setdefault(station, set()).add(person)
    return list(groups.values())


def new_contacts_in_plan(meeting) -> int:
    """Pairs who share a group at least once, neither colleagues nor met at an earlier
    meeting: the planner's "new contacts", counted here from the stored rows."""
    planned = {
        person.pk: person.organisation_id
        for person in Person.objects.filter(
            registrations__meeting=meeting, registrations__status__in=Registration.SEATED
        )
    }
    known = set(Encounter.objects.exclude(meeting=meeting).values_list("person_a", "person_b"))
    pairs = set()
    for round_index in range(meeting.rounds):
        for group in groups_of(meeting, round_index):
            present = sorted(p for p in group if p in planned)
            for a, b in combinations(present, 2):
                if planned[a] != planned[b] and (a, b) not in known:
                    pairs.add((a, b))
    return len(pairs)


def figure(page: Page, term: str) -> Locator:
    """The value of one figure of the plan (a dt/dd pair), by its exact term."""
    term_element = page.locator("dl.facts dt", has_text=re.compile(f"^{re.escape(term)}$"))
    return term_element.locator("xpath=following-sibling::dd[1]")


def cells(table: Locator) -> list[list[str]]:
    """The text of a table's cells, row by row (head, body and foot)."""
    return [
        [cell.inner_text().strip() for cell in row.locator("th, td").all()]
        for row in table.locator("tr").all()
    ]


def register_in_the_browser(page: Page, live_server, meeting, mailbox) -> None:
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name="Zu diesem Treffen anmelden").click()
    page.get_by_label("Vorname").fill("Greta")
    page.get_by_label("Nachname").fill("Glaser")
    page.get_by_label("E-Mail").fill("Greta.Glaser@Example.org")
    page.get_by_label("Neue Organisation").fill("Glasmanufaktur Lauscha")
    page.get_by_label("Art der neuen Organisation").select_option(label="Unternehmen")
    page.get_by_label("Themen, über die Sie sprechen möchten").fill(NEWCOMER_TOPIC)
    page.get_by_label("Fotos von mir in Berichten").check()
    page.get_by_role("button", name="Anmeldung absenden").click()

    expect(page.locator("h1")).to_have_text("Vielen Dank")
    expect(message(page).locator("li")).to_have_text(
        [
            "Vielen Dank. Wir haben eine E-Mail an greta.glaser@example.org geschickt: Sie sagt, "
            "ob Sie einen Platz haben oder auf der Warteliste stehen, und enthält Ihren "
            "persönlichen Link.",
            "Bitte bestätigen Sie die angekreuzten Einwilligungen über den persönlichen Link in "
            "der E-Mail: Erst dann gelten sie, damit niemand in Ihrem Namen einwilligen kann.",
        ]
    )
    snap(page, "path-1-registration")
    registration = Registration.objects.get(meeting=meeting, person__last_name="Glaser")
    person = registration.person
    assert registration.status == Registration.Status.CONFIRMED
    assert registration.topics == NEWCOMER_TOPIC
    assert (person.email, person.organisation.name, person.organisation.kind) == (
        "greta.glaser@example.org",
        "Glasmanufaktur Lauscha",
        "company",
    )
    assert list(Consent.objects.filter(person=person)) == []  # not before Greta confirms it
    (mail,) = mailbox
    (calendar,) = [p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert mail["To"] == "greta.glaser@example.org"
    assert mail["Subject"].strip() == "Anmeldung bestätigt: 3. Netzwerktreffen"
    assert f"/r/{registration.token}/" in mail.get_body(("plain",)).get_content()
    assert "SUMMARY:3. Netzwerktreffen" in calendar.get_content()
    assert "LOCATION:Werkhalle 2" in calendar.get_content()

    # Greta opens her personal link from the e-mail and confirms the consent she ticked.
    page.goto(f"{live_server.url}/r/{registration.token}/")
    photos = page.locator("li.card").filter(has_text="Bei der Anmeldung angekreuzt")
    photos.get_by_role("button", name="Ich willige ein").click()
    expect(message(page)).to_have_text("Danke: Ihre Einwilligung ist gespeichert.")
    assert [c.text.purpose for c in Consent.objects.filter(person=person)] == [
        ConsentPurpose.PHOTOS
    ]


def log_in(page: Page, live_server) -> None:
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("Benutzername").fill("orga")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("button", name="Abmelden (orga)")).to_be_visible()


def hub(page: Page) -> Locator:
    return page.locator(
        "section", has=page.get_by_role("heading", name="Dieses Treffen durchführen")
    )


def theme_of(topic: str) -> str:
    if topic == NEWCOMER_TOPIC:
        return "Künstliche Intelligenz"
    return next(title for title, topics in THEMES.items() if topic in topics)


def correct_the_groups(page: Page) -> None:
    """Move each topic the grouping put beside another theme's topics into its theme's
    group, as an organiser would: by the select beside it."""
    cards = page.locator(".topic-group").all()
    majority = {}
    for card in cards:
        themes = [theme_of(t) for t in card.locator(".topic-text").all_inner_texts()]
        label = card.get_attribute("aria-labelledby").removeprefix("group-")
        majority[max(set(themes), key=themes.count)] = label
    assert sorted(majority) == sorted(THEMES), "each theme is the main theme of one group"
    misplaced = 0
    for card in cards:
        label = card.get_attribute("aria-labelledby").removeprefix("group-")
        for item in card.locator(".topic-list > li").all():
            wanted = majority[theme_of(item.locator(".topic-text").inner_text())]
            if wanted != label:
                item.get_by_label(re.compile("^Gruppe für das Thema von")).select_option(wanted)
                misplaced += 1
    if misplaced:
        page.get_by_role("button", name="Themen wie gewählt verschieben").click()
        verb = "Thema" if misplaced == 1 else "Themen"
        expect(message(page)).to_have_text(f"{misplaced} {verb} verschoben.")


def stations_from_topics(page: Page, live_server, meeting, people) -> None:
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    hub(page).get_by_role("link", name="Themen", exact=True).click()
    page.get_by_role("spinbutton", name="Anzahl der Gruppen").fill("4")
    page.get_by_role("button", name="Neu gruppieren").click()
    expect(message(page)).to_have_text("Die Themen sind neu gruppiert.")
    expect(page.locator(".topic-group")).to_have_count(4)
    correct_the_groups(page)
    grouped = [
        set(card.locator(".topic-text").all_inner_texts())
        for card in page.locator(".topic-group").all()
    ]
    expected = [set(topics) for topics in THEMES.values()]
    expected[0].add(NEWCOMER_TOPIC)
    assert sorted(grouped, key=sorted) == sorted(expected, key=sorted)
    terms = {}
    for title, topics in THEMES.items():
        card = page.locator(".topic-group", has_text=topics[0])
        card.get_by_label("Titel der Station").fill(title)
        card.get_by_label("Kapazität").fill("5")
        terms[title] = card.locator(".tags li").all_inner_texts()
    assert {"KI", "Wartung"} <= set(terms["Künstliche Intelligenz"])
    snap(page, "path-2-topics")
    page.get_by_role("button", name="Gewählte Stationen anlegen").click()

    expect(message(page)).to_have_text(
        "4 Stationen angelegt. Legen Sie jetzt Moderationen und Kapazitäten fest."
    )
    ki = page.locator("fieldset", has=page.locator("legend", has_text="Künstliche Intelligenz"))
    ki.get_by_label("Moderation").select_option(label="Karl Kaiser (Präzisionsmechanik Suhl GmbH)")
    for title in THEMES:
        fieldset = page.locator("fieldset", has=page.locator("legend", has_text=title))
        fieldset.get_by_label("Kapazität").fill("7")
    page.get_by_role("button", name="Stationen speichern").click()

    expect(message(page)).to_have_text("4 Stationen gespeichert.")
    expect(page.get_by_text("Die Stationen fassen 28 Personen gleichzeitig")).to_be_visible()
    snap(page, "path-2-stations")
    stations = list(meeting.stations.order_by("position").values_list("title", "capacity"))
    assert sorted(stations) == sorted((title, 7) for title in THEMES)
    assert meeting.stations.get(title="Künstliche Intelligenz").moderator == people["Karl Kaiser"]
    assert list(
        meeting.stations.exclude(title="Künstliche Intelligenz").values_list("moderator", flat=True)
    ) == [None, None, None]
    for title in THEMES:
        description = meeting.stations.get(title=title).description
        assert description == "Themen: " + ", ".join(terms[title])


def plan_and_move(page: Page, live_server, meeting, people) -> None:
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    hub(page).get_by_role("link", name="Rotationsplan").click()
    page.get_by_role("button", name="Plan erstellen").click()

    planned = new_contacts_in_plan(meeting)
    bound = re.search(r"höchstens (\d+) sind möglich", message(page).inner_text())
    assert bound, message(page).inner_text()
    expect(message(page)).to_have_text(
        f"Der Plan bringt {planned} neue Kontakte (höchstens {bound[1]} sind möglich)."
    )
    expect(figure(page, "Neue Kontakte")).to_have_text(
        f"{planned} von höchstens {bound[1]} möglich"
    )
    assert planned <= int(bound[1])
    seated = Registration.objects.filter(meeting=meeting, status=Registration.Status.CONFIRMED)
    assert Assignment.objects.filter(meeting=meeting).count() == 17 * 3
    for registration in seated:
        assert Assignment.objects.filter(meeting=meeting, person=registration.person).count() == 3
    ki = meeting.stations.get(title="Künstliche Intelligenz")
    assert set(
        Assignment.objects.filter(meeting=meeting, person=people["Karl Kaiser"]).values_list(
            "station", flat=True
        )
    ) == {ki.pk}

    # Move somebody in round 2 to a station they visit in no other round, where they join
    # others and leave no one alone, so that the plan keeps every rule.
    def in_round_two(station) -> int:
        return Assignment.objects.filter(meeting=meeting, round=1, station=station).count()

    person, target = next(
        (person, station)
        for name, person in sorted(people.items())
        if name != "Karl Kaiser"
        and in_round_two(Assignment.objects.get(meeting=meeting, person=person, round=1).station)
        >= 3
        for station in meeting.stations.order_by("position")
        if not Assignment.objects.filter(meeting=meeting, person=person, station=station).exists()
        and 1 <= in_round_two(station) < station.capacity
    )
    form = page.locator("form", has=page.get_by_role("button", name="Verschieben"))
    form.get_by_label("Person").select_option(label=person.full_name)
    form.get_by_label("Runde").select_option(label="Runde 2")
    form.get_by_label("Station").select_option(label=target.title)
    form.get_by_role("button", name="Verschieben").click()

    expect(message(page)).to_have_text("Verschoben. Die Kennzahlen unten sind aktualisiert.")
    assert Assignment.objects.get(meeting=meeting, person=person, round=1).station == target
    moved = new_contacts_in_plan(meeting)
    expect(figure(page, "Neue Kontakte")).to_have_text(f"{moved} von höchstens {bound[1]} möglich")
    round_two = page.locator("section.round", has=page.get_by_role("heading", name="Runde 2"))
    expect(
        round_two.locator(".group", has=page.get_by_role("heading", name=target.title))
    ).to_contain_text(person.full_name)
    expect(page.locator(".errors")).to_have_count(0)
    snap(page, "path-3-plan")


def check_in_and_replan(page: Page, live_server, meeting, people) -> Person:
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    hub(page).get_by_role("link", name="Check-in").click()
    page.get_by_label("Name oder Organisation").fill("Kaiser")
    page.get_by_role("button", name="Suchen").click()
    found = page.get_by_role("region", name="Eine Anmeldung gefunden")
    found.get_by_role("button", name="Einchecken Karl Kaiser").click()
    expect(message(page)).to_contain_text("Karl Kaiser ist eingecheckt")

    missing = page.locator(
        "section", has=page.get_by_role("heading", name=re.compile("Fehlen noch"))
    )
    for _ in range(16 - 1):
        button = missing.get_by_role("button", name=re.compile("^Einchecken (?!Ulf Ulbrich)"))
        name = button.first.inner_text().removeprefix("Einchecken").strip()
        button.first.click()
        expect(message(page)).to_contain_text(f"{name} ist eingecheckt")
    expect(missing.get_by_role("button", name=re.compile("^Einchecken"))).to_have_count(1)

    page.get_by_role("link", name="Ohne Anmeldung hinzufügen").click()
    page.get_by_label("Vorname").fill(WALK_IN[0])
    page.get_by_label("Nachname").fill(WALK_IN[1])
    page.get_by_label("Organisation (freiwillig)").fill(WALK_IN[2])
    page.get_by_role("button", name="Hinzufügen und einchecken").click()

    expect(message(page)).to_contain_text("Walter Wegner ist eingecheckt")
    counts = page.locator("dl.checkin-counts dd").all_inner_texts()
    assert counts == ["18", "17", "1"]
    expect(missing).to_contain_text(NO_SHOW)
    snap(page, "path-4-checkin")
    walk_in = Person.objects.get(first_name="Walter", last_name="Wegner")
    assert walk_in.organisation.name == "Landratsamt Hildburghausen"
    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("person", "status"))
    assert statuses[people[NO_SHOW].pk] == Registration.Status.CONFIRMED
    assert statuses[walk_in.pk] == Registration.Status.ATTENDED
    assert list(statuses.values()).count(Registration.Status.ATTENDED) == 17

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/plan/")
    page.get_by_role(
        "button", name="Restliche Runden für die 17 eingecheckten Personen neu planen"
    ).click()

    replanned = new_contacts_in_plan(meeting)
    bound = re.search(r"höchstens (\d+) sind möglich", message(page).inner_text())
    assert bound, message(page).inner_text()
    expect(message(page)).to_have_text(
        f"Der Plan bringt {replanned} neue Kontakte (höchstens {bound[1]} sind möglich)."
    )
    expect(figure(page, "Neue Kontakte")).to_have_text(
        f"{replanned} von höchstens {bound[1]} möglich"
    )
    expect(page.locator(".errors")).to_have_count(0)
    assert not Assignment.objects.filter(meeting=meeting, person=people[NO_SHOW]).exists()
    assert sorted(
        Assignment.objects.filter(meeting=meeting, person=walk_in).values_list("round", flat=True)
    ) == [0, 1, 2]
    assert Assignment.objects.filter(meeting=meeting).count() == 17 * 3
    rounds = page.locator("section.round")
    expect(rounds).to_have_count(3)
    for shown in rounds.all():
        expect(shown).to_contain_text("Walter Wegner")
        expect(shown).not_to_contain_text(NO_SHOW)
    snap(page, "path-4-replan")
    return walk_in


def hold_round_note_and_report(page: Page, live_server, meeting) -> None:
    first_round = groups_of(meeting, 0)
    pairs = sum(len(group) * (len(group) - 1) // 2 for group in first_round)
    page.get_by_role("button", name="Runde 1 ist vorbei: Begegnungen festhalten").click()

    expect(message(page)).to_have_text(f"Die Runde ist als gehalten vermerkt: {pairs} Begegnungen.")
    meeting.refresh_from_db()
    assert meeting.rounds_held == 1
    assert Encounter.objects.filter(meeting=meeting, round=0).count() == pairs
    expect(
        page.get_by_role("button", name="Runde 2 ist vorbei: Begegnungen festhalten")
    ).to_be_visible()
    snap(page, "path-5-round-held")

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    station = page.locator(
        "ul.stations li", has=page.get_by_role("heading", name="Künstliche Intelligenz")
    )
    station.get_by_role("link", name="Stationsnotizen").click()
    page.get_by_label("Art").select_option(label="Kernaussage")
    page.get_by_label("Text").fill(NOTE)
    page.get_by_role("button", name="Notiz speichern").click()

    expect(message(page)).to_have_text("Die Notiz ist gespeichert.")
    expect(page.locator("ul.notes")).to_contain_text(NOTE)
    snap(page, "path-5-notes")
    (note,) = StationNote.objects.all()
    assert (note.station.title, note.kind, note.text, note.author.full_name) == (
        "Künstliche Intelligenz",
        StationNote.Kind.KEY_POINT,
        NOTE,
        "Olga Organisatorin",
    )

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    hub(page).get_by_role("link", name="Bericht zum Treffen").click()

    by_kind = cells(page.locator("table.figures").first)
    # Companies: Glashütte (3, the no-show among them), Suhl (3), Ilmenau (2), Lauscha (1).
    assert by_kind == [
        ["Art der Organisation", "Teilnehmende"],
        ["Unternehmen", "8"],
        ["Kommune", "4"],
        ["Politik und Verwaltung", "5"],
        ["Verband oder Kammer", "0"],
        ["Forschung und Bildung", "0"],
        ["Sonstige", "0"],
        ["Gesamt", "17"],
    ]
    earlier = set(Encounter.objects.exclude(meeting=meeting).values_list("person_a", "person_b"))
    met = set(Encounter.objects.filter(meeting=meeting).values_list("person_a", "person_b"))
    contacts = dict(cells(page.locator("table.figures").nth(1))[1:])
    assert contacts["Paare, die sich in einer Gruppe begegnet sind"] == str(len(met))
    assert contacts["Neue Kontakte (zum ersten Mal begegnet)"] == str(len(met - earlier))
    report_station = page.locator("article.station-report", has_text="Künstliche Intelligenz")
    expect(report_station).to_contain_text("Moderiert von Karl Kaiser")
    expect(report_station).to_contain_text(NOTE)
    snap(page, "path-5-report")


@pytest.fixture
def quick_planner(settings):
    """The planner's safety stop at one second instead of five: the test is about the pages,
    and the planner's speed is measured in bench/planning."""
    settings.PLANNER_TIME_LIMIT_S = 1.0


def test_a_meeting_from_registration_to_report(
    page, live_server, organiser, participants, upcoming_meeting, mailbox, quick_planner
):
    register_in_the_browser(page, live_server, upcoming_meeting, mailbox)
    log_in(page, live_server)
    stations_from_topics(page, live_server, upcoming_meeting, participants)
    plan_and_move(page, live_server, upcoming_meeting, participants)
    check_in_and_replan(page, live_server, upcoming_meeting, participants)
    hold_round_note_and_report(page, live_server, upcoming_meeting)
