"""A German press release drafted from a meeting's report, for the organisers to edit.

The draft is German whatever the page's language: it goes to the regional press. It names no
person except those quoted, and quotes only people with a standing consent to be quoted;
where a note or a quote mentions somebody else of the meeting by full name, the name is
replaced by "[Name]" for the organisers to rewrite.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils import formats, timezone, translation

from treffpunkt.network.models import Consent, ConsentPurpose, Person

from .models import Meeting, Quote
from .names import full_names, name_pattern, people_of, scrub
from .report import MeetingReport, StationSummary, meeting_report

NUMBER_WORDS = ["null", "eine", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht"]
FROM_KIND = {
    "company": "Unternehmen",
    "municipality": "Kommunen",
    "politics": "Politik und Verwaltung",
    "association": "Verbänden und Kammern",
    "research": "Forschung und Bildung",
    "other": "weiteren Bereichen",
}
PHOTO_KIND = {"group": "Gruppenbild", "exchange": "Austausch", "other": "Foto"}


def quotable(meeting: Meeting) -> list[Quote]:
    """The meeting's quotes whose speaker consents to be quoted, as of now (three queries)."""
    people = Person.objects.select_related("organisation").prefetch_related(
        Prefetch("consents", queryset=Consent.objects.select_related("text"))
    )
    quotes = meeting.quotes.prefetch_related(Prefetch("person", queryset=people))
    return [q for q in quotes if q.person.has_consent(ConsentPurpose.QUOTES)]


def no_longer_quotable(text: str, stale: list[Quote]) -> list[Person]:
    """The speakers of ``stale`` quotes (their consent to be quoted is gone) whose quote or
    full name ``text`` still contains, e.g. a text saved before they withdrew. No queries."""
    found = []
    for quote in stale:
        person = quote.person
        pattern = name_pattern([person.full_name])
        named = bool(pattern and pattern.search(text))
        if (quote.text.strip() in text or named) and person not in found:
            found.append(person)
    return found


def draft_press_release(meeting: Meeting, *, report: MeetingReport | None = None) -> str:
    """Draft the press release as plain German text. Reads only; no side effects."""
    report = report or meeting_report(meeting)
    quotes = quotable(meeting)
    quoted = {q.person_id for q in quotes}
    hide = name_pattern(full_names(people_of(meeting).exclude(pk__in=quoted)))
    with translation.override("de"):
        parts = [
            meeting.title,
            _lead(report),
            *([_quotes(quotes)] if quotes else []),
            *(_stations(report) if report.stations else []),
            _figures(report),
            *([_captions(report)] if report.photos else []),
        ]
    return "\n\n".join(scrub(part, hide) for part in parts) + "\n"


def _lead(report: MeetingReport) -> str:
    meeting = report.meeting
    day = formats.date_format(timezone.localtime(meeting.starts_at), "j. F Y")
    text = f"{_people(report.participants)} trafen sich am {day} zum „{meeting.title}“"
    if meeting.host:
        text += f" bei {meeting.host.name}"
        if meeting.host.town:
            text += f" in {meeting.host.town}"
    text += "."
    kinds = [f"{FROM_KIND[k.kind]} ({k.count})" for k in report.by_kind if k.count]
    if kinds:
        text += f" Sie kamen aus {_join(kinds)}."
    if meeting.venue:
        text += f" Veranstaltungsort: {meeting.venue}."
    return text


def _quotes(quotes: list[Quote]) -> str:
    lines = []
    for quote in quotes:
        who = quote.person.full_name
        if quote.person.organisation:
            who += f" ({quote.person.organisation.name})"
        lines.append(f"„{quote.text.strip()}“, so {who}.")
    return " ".join(lines)


def _stations(report: MeetingReport) -> list[str]:
    """One paragraph to open, then one per station."""
    count = len(report.stations)
    word = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
    if report.meeting.format == Meeting.Format.STATIONS:
        noun = "Dialogstation" if count == 1 else "Dialogstationen"
    else:
        noun = "Thementisch" if count == 1 else "Thementische"
        word = "ein" if count == 1 else word
    verb = "griff" if count == 1 else "griffen"
    text = f"Das Netzwerk lebt vom konkreten Austausch: {word.capitalize()} {noun} {verb} "
    text += "die Themen der Teilnehmenden auf."
    noun = "Die Station" if report.meeting.format == Meeting.Format.STATIONS else "Der Tisch"
    return [text, *(_station(summary, noun) for summary in report.stations)]


def _station(summary: StationSummary, noun: str) -> str:
    text = f"{noun} „{summary.station.title}“"
    if summary.key_points:
        text += f" zeigte: {_sentences(summary.key_points)}"
    else:
        text += " tauschte Erfahrungen aus."
    if summary.concerns:
        text += f" Geäußerte Sorgen: {_sentences(summary.concerns)}"
    if summary.ideas:
        text += f" Ideen: {_sentences(summary.ideas)}"
    if summary.follow_ups:
        text += f" Verabredet wurde: {_sentences(summary.follow_ups)}"
    return text


def _figures(report: MeetingReport) -> str:
    text = (
        f"Bei dem Treffen sind {report.new_contacts} neue Kontakte entstanden: So viele Paare "
        f"von Teilnehmenden kamen in den Gesprächsrunden zum ersten Mal zusammen. "
        f"{report.cross_kind_contacts} der {report.pairs_met} Begegnungen brachten Menschen aus "
        f"unterschiedlichen Bereichen zusammen – aus Unternehmen, Kommunen und Politik."
    )
    if report.confirmed_contacts:
        text += f" {report.confirmed_contacts} Kontakte haben die Teilnehmenden bestätigt."
    if report.returning == 0:
        text += " Für alle Teilnehmenden war es das erste Netzwerktreffen."
    elif report.first_timers == 0:
        text += " Alle Teilnehmenden waren schon bei einem früheren Treffen dabei."
    else:
        verb = "war" if report.returning == 1 else "waren"
        text += (
            f" {_people(report.returning)} {verb} schon bei einem früheren Treffen dabei, "
            f"{report.first_timers} {'kam' if report.first_timers == 1 else 'kamen'} zum "
            "ersten Mal."
        )
    return text


def _captions(report: MeetingReport) -> str:
    lines = ["Bildunterschriften:"]
    for photo in report.photos:
        caption = photo.caption.strip() or report.meeting.title
        lines.append(f"{PHOTO_KIND.get(photo.kind, 'Foto')}: {caption}")
    return "\n".join(lines)


def _people(count: int) -> str:
    return "Eine Teilnehmerin oder ein Teilnehmer" if count == 1 else f"{count} Teilnehmende"


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " und " + items[-1]


def _sentences(notes) -> str:
    return " ".join(_sentence(note.text) for note in notes)


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text[-1:] in '.!?“"' else text + "."


@transaction.atomic
def save_press_release(*, meeting: Meeting, text: str) -> None:
    """Keep the organisers' edited text. Side effects: updates Meeting.press_release."""
    meeting.press_release = text
    meeting.save(update_fields=["press_release"])


@transaction.atomic
def redraft_press_release(*, meeting: Meeting) -> str:
    """Replace the saved text by a fresh draft and return it.

    Side effects: overwrites Meeting.press_release (the organisers' edits are gone).
    """
    text = draft_press_release(meeting)
    save_press_release(meeting=meeting, text=text)
    return text


@transaction.atomic
def add_quote(*, meeting: Meeting, person: Person, text: str) -> Quote:
    """Record a quote for the press release. Raises NotQuotable without a standing consent.

    Side effects: creates a Quote row.
    """
    if not Person.objects.with_consent(ConsentPurpose.QUOTES).filter(pk=person.pk).exists():
        raise NotQuotable(person)
    return Quote.objects.create(meeting=meeting, person=person, text=text.strip())


class NotQuotable(Exception):
    """The person has no standing consent to be quoted."""


@transaction.atomic
def delete_quote(*, quote: Quote) -> None:
    """Side effects: deletes the Quote row (a saved press release keeps its text)."""
    quote.delete()
