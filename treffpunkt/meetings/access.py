"""The only way to fetch a meeting for a viewer (rule ``meetings.see_meeting``)."""

from django.http import Http404

from .models import Meeting


def get_meeting_for_user(user, pk: int) -> Meeting:
    """The meeting, or 404 when it does not exist or is a draft ``user`` may not see."""
    try:
        return Meeting.objects.visible_to(user).select_related("host").get(pk=pk)
    except Meeting.DoesNotExist:
        raise Http404 from None
