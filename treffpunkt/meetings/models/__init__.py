"""The meetings app's models, one module per concept."""

from .encounter import ContactConfirmation, Encounter
from .job import Job
from .media import Photo, Quote
from .meeting import Invitation, Meeting, new_token
from .registration import Registration, new_checkin_code
from .station import Assignment, Station, StationNote

__all__ = [
    "Assignment",
    "ContactConfirmation",
    "Encounter",
    "Invitation",
    "Job",
    "Meeting",
    "Photo",
    "Quote",
    "Registration",
    "Station",
    "StationNote",
    "new_checkin_code",
    "new_token",
]
