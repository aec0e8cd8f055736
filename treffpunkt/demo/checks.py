"""Checks of the demo data file, so that a broken file is named before anything is written."""

from treffpunkt.meetings.models import Meeting, Registration, StationNote
from treffpunkt.network.models import ConsentPurpose, OrganisationKind, Person


class DemoDataError(ValueError):
    """The demo data file is inconsistent; the message says where."""


def check_demo_data(data: dict) -> None:
    problems: list[str] = []
    try:
        _check(data, problems)
    except (KeyError, TypeError, AttributeError) as error:
        problems.append(f"a required entry is missing or of the wrong type: {error}")
    if problems:
        raise DemoDataError("Demo data: " + "; ".join(problems[:5]))


def _check(data: dict, problems: list[str]) -> None:
    organisations = {o["name"] for o in data["organisations"]}
    for o in data["organisations"]:
        if o["kind"] not in OrganisationKind.values:
            problems.append(f"organisation {o['name']!r} has unknown kind {o['kind']!r}")
    emails: set[str] = set()
    for p in data["people"]:
        email = p["email"].lower()
        if email in emails:
            problems.append(f"e-mail {email} is used twice")
        emails.add(email)
        if p["organisation"] not in organisations:
            problems.append(f"{email}: unknown organisation {p['organisation']!r}")
        if p.get("status", "member") not in Person.Status.values:
            problems.append(f"{email}: unknown status {p['status']!r}")
        for purpose in p.get("consents", []):
            if purpose not in ConsentPurpose.values:
                problems.append(f"{email}: unknown consent purpose {purpose!r}")
    for u in data["users"]:
        if u["person"].lower() not in emails:
            problems.append(f"login {u['username']}: unknown person {u['person']}")
    for key in ("past_meeting", "upcoming_meeting"):
        _check_meeting(key, data[key], organisations, emails, problems)


def _check_meeting(key, meeting, organisations, emails, problems) -> None:
    if meeting["host"] not in organisations:
        problems.append(f"{key}: unknown host {meeting['host']!r}")
    if meeting.get("format", "stations") not in Meeting.Format.values:
        problems.append(f"{key}: unknown format {meeting['format']!r}")
    for r in meeting.get("registrations", []):
        if r["person"].lower() not in emails:
            problems.append(f"{key}: registration of unknown person {r['person']}")
        if r["status"] not in Registration.Status.values:
            problems.append(f"{key}: unknown registration status {r['status']!r}")
    for q in meeting.get("quotes", []):
        if q["person"].lower() not in emails:
            problems.append(f"{key}: quote of unknown person {q['person']}")
    for s in meeting.get("stations", []):
        people = [s.get("moderator")] + [
            n.get(k) for n in s.get("notes", []) for k in ("author", "owner")
        ]
        for email in filter(None, people):
            if email.lower() not in emails:
                problems.append(f"{key}, station {s['title']!r}: unknown person {email}")
        for n in s.get("notes", []):
            if n["kind"] not in StationNote.Kind.values:
                problems.append(f"{key}, station {s['title']!r}: unknown note kind {n['kind']!r}")
