"""Who may see and change what: the one rule set every view and template asks.

Roles:

- **organiser** runs the network: an active staff account (the admin is theirs).
- **moderator** of a station: the person set as the station's moderator.
- **member**: a person of the network with a login.
- **guest** (a minister, the press): a person with a login and the guest status.
- everybody else, logged in without a person or anonymous, sees only public pages.

Each predicate tests one condition per line so the tests can cover each one; later issues
add permissions here rather than checking roles in views.
"""

import rules

from treffpunkt.network.models import ConsentPurpose, Person


@rules.predicate
def is_organiser(user) -> bool:
    if not user.is_authenticated:
        return False
    if not user.is_active:
        return False
    return user.is_staff


def person_of(user) -> Person | None:
    """The Person behind a login, or None (anonymous, or an account without a person)."""
    if not user.is_authenticated:
        return None
    return getattr(user, "person", None)


@rules.predicate
def is_member(user) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return person.status == Person.Status.MEMBER


@rules.predicate
def is_guest(user) -> bool:
    person = person_of(user)
    if person is None:
        return False
    return person.status == Person.Status.GUEST


@rules.predicate
def is_self(user, person) -> bool:
    own = person_of(user)
    if own is None or person is None:
        return False
    return own.pk == person.pk


@rules.predicate
def is_listed_in_directory(user, person) -> bool:
    if person is None:
        return False
    return person.has_consent(ConsentPurpose.DIRECTORY)


@rules.predicate
def shares_contact_details(user, person) -> bool:
    if person is None:
        return False
    return person.has_consent(ConsentPurpose.CONTACT_SHARING)


@rules.predicate
def is_station_moderator(user, station) -> bool:
    own = person_of(user)
    if own is None or station is None:
        return False
    return station.moderator_id == own.pk


@rules.predicate
def is_published(user, meeting) -> bool:
    if meeting is None:
        return False
    return meeting.status != meeting.Status.DRAFT


@rules.predicate
def is_listed_organisation(user, organisation) -> bool:
    if organisation is None:
        return False
    return organisation.listed


@rules.predicate
def is_note_author(user, note) -> bool:
    own = person_of(user)
    if own is None or note is None:
        return False
    return note.author_id == own.pk


@rules.predicate
def moderates_the_notes_station(user, note) -> bool:
    if note is None:
        return False
    return is_station_moderator(user, note.station)


@rules.predicate
def is_cleared_photo(user, photo) -> bool:
    """Everybody tagged on the photo consents to photos (and somebody is tagged)."""
    if photo is None:
        return False
    from treffpunkt.meetings.photos import is_cleared  # the meetings app imports this module

    return is_cleared(photo)


# The directory: organisations are public when listed; people only to members and only with
# their consent to be listed; contact details only with their consent to share them.
rules.add_perm("network.see_organisation", is_organiser | is_listed_organisation)
rules.add_perm("network.see_person", is_organiser | is_self | (is_member & is_listed_in_directory))
rules.add_perm(
    "network.see_contact_details", is_organiser | is_self | (is_member & shares_contact_details)
)

# Meetings: published ones are public; registrations (names!) are the organisers'.
rules.add_perm("meetings.see_meeting", is_organiser | is_published)
rules.add_perm("meetings.see_registrations", is_organiser)
rules.add_perm("meetings.manage_meeting", is_organiser)
rules.add_perm("meetings.check_in", is_organiser)
rules.add_perm("meetings.edit_station_notes", is_organiser | is_station_moderator)
# Step 6, after the meeting: a moderator changes only the notes they wrote for their station;
# photos leave the organisers' view only for members and only with everybody's consent.
rules.add_perm(
    "meetings.change_station_note", is_organiser | (is_note_author & moderates_the_notes_station)
)
rules.add_perm("meetings.see_photo", is_organiser | (is_member & is_cleared_photo))
