"""The central rule set, one condition at a time."""

import pytest
from django.contrib.auth.models import AnonymousUser

from treffpunkt.network.access import visible_people
from treffpunkt.network.models import ConsentPurpose, Person
from treffpunkt.network.services import withdraw_consent
from treffpunkt.permissions import is_guest, is_member, is_organiser


def test_organiser_is_an_active_staff_login(organiser):
    assert is_organiser(organiser) is True
    organiser.is_active = False
    assert is_organiser(organiser) is False


def test_staff_flag_is_what_makes_an_organiser(member):
    assert is_organiser(member) is False
    member.is_staff = True
    assert is_organiser(member) is True


def test_anonymous_has_no_role():
    anonymous = AnonymousUser()

    assert (is_organiser(anonymous), is_member(anonymous), is_guest(anonymous)) == (False,) * 3


def test_a_login_without_a_person_is_neither_member_nor_guest(outsider):
    assert (is_member(outsider), is_guest(outsider)) == (False, False)


def test_member_and_guest_follow_the_persons_status(member, guest):
    assert (is_member(member), is_guest(member)) == (True, False)
    assert (is_member(guest), is_guest(guest)) == (False, True)


def test_moderator_edits_only_the_notes_of_their_own_station(
    moderator, member, organiser, ki_station
):
    from treffpunkt.meetings.models import Station

    other = Station.objects.create(meeting=ki_station.meeting, title="Energie", capacity=10)

    assert moderator.has_perm("meetings.edit_station_notes", ki_station) is True
    assert moderator.has_perm("meetings.edit_station_notes", other) is False
    assert member.has_perm("meetings.edit_station_notes", ki_station) is False
    assert organiser.has_perm("meetings.edit_station_notes", other) is True


def test_a_member_sees_a_person_only_while_their_directory_consent_stands(member, moderator):
    max_ = moderator.person

    assert member.has_perm("network.see_person", max_) is True
    withdraw_consent(person=max_, purpose=ConsentPurpose.DIRECTORY)
    max_ = Person.objects.get(pk=max_.pk)
    assert member.has_perm("network.see_person", max_) is False


def test_a_guest_sees_only_themselves(guest, member):
    assert guest.has_perm("network.see_person", member.person) is False
    assert guest.has_perm("network.see_person", guest.person) is True


@pytest.mark.parametrize("role", ["organiser", "member", "guest", "outsider", "moderator"])
def test_people_lists_agree_with_the_rule(
    request, role, member, moderator, guest, hidden_participant
):
    user = request.getfixturevalue(role)

    listed = set(visible_people(user))

    assert listed == {p for p in Person.objects.all() if user.has_perm("network.see_person", p)}


def test_only_organisers_see_registrations(organiser, member, moderator, upcoming_meeting):
    assert organiser.has_perm("meetings.see_registrations", upcoming_meeting) is True
    assert member.has_perm("meetings.see_registrations", upcoming_meeting) is False
    assert moderator.has_perm("meetings.see_registrations", upcoming_meeting) is False


def test_drafts_are_the_organisers_only(organiser, member, draft_meeting, upcoming_meeting):
    assert organiser.has_perm("meetings.see_meeting", draft_meeting) is True
    assert member.has_perm("meetings.see_meeting", draft_meeting) is False
    assert AnonymousUser().has_perm("meetings.see_meeting", upcoming_meeting) is True
