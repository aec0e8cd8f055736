"""The only ways to fetch meetings and what hangs off them for a viewer.

Each helper applies the rules of ``treffpunkt.permissions``: 404 when the object does not
exist or is hidden from the viewer, PermissionDenied when the viewer may see it but not do
what the page does. Views never fetch these objects another way.
"""

import re

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Invitation, Job, Meeting, Photo, Quote, Registration, Station, StationNote

SECRET_SHAPE = re.compile(r"[A-Za-z0-9_-]{1,64}")  # secrets.token_urlsafe's alphabet


def get_meeting_for_user(user, pk: int) -> Meeting:
    """The meeting, or 404 when it does not exist or is a draft ``user`` may not see."""
    try:
        return Meeting.objects.visible_to(user).select_related("host").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None


def get_meeting_for_organiser(user, pk: int) -> Meeting:
    """The meeting for pages that run it (plan, check-in, registrations): organisers only."""
    meeting = get_meeting_for_user(user, pk)
    if not user.has_perm("meetings.manage_meeting", meeting):
        raise PermissionDenied
    return meeting


def get_meeting_for_checkin(user, pk: int) -> Meeting:
    """The meeting for the check-in at the door: for those who may check people in."""
    meeting = get_meeting_for_user(user, pk)
    if not user.has_perm("meetings.check_in", meeting):
        raise PermissionDenied
    return meeting


def _require_plausible_secret(secret: str) -> None:
    """404 for anything our tokens and codes can never be (they are URL-safe base64): the
    database never sees it (PostgreSQL refuses a NUL byte with an error, not a miss)."""
    if not SECRET_SHAPE.fullmatch(secret or ""):
        raise Http404


def get_registration_by_token(token: str) -> Registration:
    """The registration behind a personal link; the token is the only key needed."""
    _require_plausible_secret(token)
    try:
        return Registration.objects.select_related("meeting", "person").get(token=token)
    except Registration.DoesNotExist:
        raise Http404 from None


def get_registration_for_checkin(user, meeting: Meeting, code: str) -> Registration:
    """The registration a badge's QR code names, for an organiser checking people in."""
    if not user.has_perm("meetings.check_in", meeting):
        raise PermissionDenied
    _require_plausible_secret(code)
    try:
        return meeting.registrations.select_related("person").get(checkin_code=code)
    except Registration.DoesNotExist:
        raise Http404 from None


def get_station_for_moderator(user, pk: int) -> Station:
    """A station whose notes ``user`` may edit: its moderator, or an organiser."""
    try:
        station = Station.objects.select_related("meeting", "moderator").get(pk=pk)
    except Station.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("meetings.see_meeting", station.meeting):
        raise Http404
    if not user.has_perm("meetings.edit_station_notes", station):
        raise PermissionDenied
    return station


def get_station_for_organiser(user, meeting_pk: int, station_pk: int) -> Station:
    """A station of the meeting, for the organisers' station pages."""
    meeting = get_meeting_for_organiser(user, meeting_pk)
    try:
        return meeting.stations.select_related("meeting").get(pk=station_pk)
    except Station.DoesNotExist:
        raise Http404 from None


def get_job_for_organiser(user, meeting_pk: int, job_pk: int) -> Job:
    meeting = get_meeting_for_organiser(user, meeting_pk)
    try:
        return meeting.jobs.select_related("meeting").get(pk=job_pk)
    except Job.DoesNotExist:
        raise Http404 from None


def get_photo_for_organiser(user, pk: int) -> Photo:
    """A photo for the pages that upload, tag and delete photos: organisers only."""
    try:
        photo = Photo.objects.select_related("meeting").get(pk=pk)
    except Photo.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("meetings.manage_meeting", photo.meeting):
        raise PermissionDenied
    return photo


def get_photo_for_viewer(user, pk: int) -> Photo:
    """A photo to look at: 404, never 403, for anyone who may not see it (it is personal)."""
    from .photos import with_people

    try:
        photo = with_people(Photo.objects.select_related("meeting")).get(pk=pk)
    except Photo.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("meetings.see_meeting", photo.meeting):
        raise Http404
    if not user.has_perm("meetings.see_photo", photo):
        raise Http404
    return photo


def get_note_for_editor(user, pk: int) -> StationNote:
    """A station note to change or delete: an organiser, or the moderator who wrote it."""
    try:
        note = StationNote.objects.select_related("station__meeting", "station__moderator").get(
            pk=pk
        )
    except StationNote.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("meetings.see_meeting", note.station.meeting):
        raise Http404
    if not user.has_perm("meetings.edit_station_notes", note.station):
        raise PermissionDenied
    if not user.has_perm("meetings.change_station_note", note):
        raise PermissionDenied
    return note


def get_quote_for_organiser(user, pk: int) -> Quote:
    try:
        quote = Quote.objects.select_related("meeting", "person").get(pk=pk)
    except Quote.DoesNotExist:
        raise Http404 from None
    if not user.has_perm("meetings.manage_meeting", quote.meeting):
        raise PermissionDenied
    return quote


def get_invitation_by_token(token: str) -> Invitation:
    """The invitation behind a personal invitation link (it only prefills the form)."""
    _require_plausible_secret(token)
    try:
        return Invitation.objects.select_related("meeting", "person__organisation").get(token=token)
    except Invitation.DoesNotExist:
        raise Http404 from None


def get_registration_for_organiser(user, meeting_pk: int, registration_pk: int) -> Registration:
    """A registration of a meeting, for the organisers' registration management."""
    meeting = get_meeting_for_organiser(user, meeting_pk)
    try:
        registration = meeting.registrations.select_related("person").get(pk=registration_pk)
    except Registration.DoesNotExist:
        raise Http404 from None
    registration.meeting = meeting
    return registration
