"""A meeting as an iCalendar event (RFC 5545), for e-mail attachments and feeds.

Hand-written because one VEVENT needs little: escaped text, UTC times, and lines folded at
75 octets. No Django import beyond the model's attributes, so it tests as a pure function.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//Treffpunkt//Treffpunkt//DE"
MIMETYPE = "text/calendar; charset=utf-8; method=PUBLISH"


@dataclass(frozen=True)
class Event:
    """What a calendar needs to know about one meeting."""

    uid: str
    summary: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    description: str = ""
    url: str = ""
    organiser_name: str = ""
    organiser_email: str = ""


def escape_text(value: str) -> str:
    """Escape a TEXT value (RFC 5545 §3.3.11): backslash, semicolon, comma, line breaks."""
    value = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def utc(moment: datetime) -> str:
    """A DATE-TIME in UTC form (``20250611T080000Z``); naive values are refused."""
    if moment.tzinfo is None:
        raise ValueError("iCalendar times must be aware datetimes.")
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """Fold a content line into pieces of at most 75 octets (RFC 5545 §3.1).

    Never splits inside a UTF-8 character: each continuation starts with one space.
    """
    pieces, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not pieces else 74  # continuation lines spend one octet on the space
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar(event: Event, *, now: datetime) -> str:
    """A VCALENDAR with METHOD:PUBLISH and the one VEVENT, as CRLF-terminated text."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(now)}",
        f"DTSTART:{utc(event.starts_at)}",
        f"DTEND:{utc(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.url:
        # URL is of value type URI, not TEXT: it is not escaped.
        lines.append(f"URL:{event.url}")
    if event.organiser_email:
        name = event.organiser_name.replace('"', "'")
        lines.append(f'ORGANIZER;CN="{name}":mailto:{event.organiser_email}')
    lines += ["STATUS:CONFIRMED", "TRANSP:OPAQUE", "END:VEVENT", "END:VCALENDAR"]
    return "".join(fold(line) + "\r\n" for line in lines)
