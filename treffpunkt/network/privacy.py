"""The network app's entries in the personal-data register (see ``treffpunkt.privacy``)."""

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult

from treffpunkt.privacy import Category, register

from .models import Consent, ConsentText, Network, Organisation, Person, Profile, Tag

MEMBERSHIP = _("Art. 6(1)(b) GDPR: membership of the network")
CONSENT = _("Art. 6(1)(a) GDPR: consent")
UNTIL_LEAVING = _("Until the person leaves the network or asks for erasure")

register.declare(
    Person,
    subjects=("pk",),
    personal={
        "first_name": Category.IDENTITY,
        "last_name": Category.IDENTITY,
        "email": Category.CONTACT,
        "function": Category.IDENTITY,
        "organisation": Category.IDENTITY,
        "status": Category.IDENTITY,
        "user": Category.ACCOUNT,
        "created_at": Category.IDENTITY,
    },
    other=["id"],
    purpose=_("Member directory and running the network's meetings"),
    retention=UNTIL_LEAVING,
    legal_basis=MEMBERSHIP,
)
register.declare(
    Profile,
    subjects=("person",),
    personal={
        "person": Category.PROFILE,
        "challenges": Category.PROFILE,
        "offers": Category.PROFILE,
        "needs": Category.PROFILE,
        "interests": Category.PROFILE,
        "updated_at": Category.PROFILE,
    },
    other=["id"],
    purpose=_("Profile in the directory and contact suggestions"),
    retention=UNTIL_LEAVING,
    legal_basis=MEMBERSHIP,
)
register.declare(
    Consent,
    subjects=("person",),
    personal={
        "person": Category.CONSENT,
        "text": Category.CONSENT,
        "given_at": Category.CONSENT,
        "withdrawn_at": Category.CONSENT,
    },
    other=["id"],
    purpose=_("Proof of consent (Art. 7(1) GDPR)"),
    retention=_("Three years after the consent was withdrawn"),
    legal_basis=_("Art. 6(1)(c) GDPR: legal obligation to demonstrate consent"),
)
User = get_user_model()
register.declare(
    User,
    subjects=("person",),
    personal={
        "username": Category.ACCOUNT,
        "first_name": Category.ACCOUNT,
        "last_name": Category.ACCOUNT,
        "email": Category.ACCOUNT,
        "password": Category.ACCOUNT,
        "last_login": Category.ACCOUNT,
        "date_joined": Category.ACCOUNT,
    },
    other=["id", "is_superuser", "is_staff", "is_active", "groups", "user_permissions"],
    purpose=_("Logging in"),
    retention=UNTIL_LEAVING,
    legal_basis=MEMBERSHIP,
)
# Organisations are legal entities; their records hold no personal data of their own.
for model in (Network, Organisation, ConsentText, Tag):
    register.declare(
        model,
        subjects=(),
        personal={},
        other=[f.name for f in model._meta.get_fields() if f.concrete],
        purpose="",
        retention="",
        legal_basis="",
    )
register.declare(
    LogEntry,
    subjects=("user__person",),
    personal={
        "user": Category.ACCOUNT,
        "object_repr": Category.IDENTITY,
        "change_message": Category.CONTENT,
        "action_time": Category.ACCOUNT,
    },
    other=["id", "content_type", "object_id", "action_flag"],
    purpose=_("Audit trail of organisers' changes in the admin"),
    retention=_("Two years"),
    legal_basis=_("Art. 6(1)(f) GDPR: legitimate interest in accountable administration"),
)
# Background task rows carry ids and counts as arguments, never names or addresses.
register.declare(
    DBTaskResult,
    subjects=(),
    personal={},
    other=[f.name for f in DBTaskResult._meta.get_fields() if f.concrete],
    purpose="",
    retention="",
    legal_basis="",
)
register.declare(
    Session,
    subjects=(),
    personal={"session_data": Category.ACCOUNT},
    other=["session_key", "expire_date"],
    purpose=_("Keeping a person logged in"),
    retention=_("Until the session expires (two weeks)"),
    legal_basis=MEMBERSHIP,
)

# Failed logins (django-axes), to stop password guessing; successful logins are not logged.
LOGIN_SECURITY = _("Art. 6(1)(f) GDPR: legitimate interest in protecting accounts")
FAILED_LOGIN_FIELDS = {
    "username": Category.ACCOUNT,
    "ip_address": Category.ACCOUNT,
    "user_agent": Category.ACCOUNT,
    "attempt_time": Category.ACCOUNT,
}
for model, extra in (
    (AccessAttempt, ["http_accept", "path_info", "get_data", "post_data",
                     "failures_since_start"]),
    (AccessFailureLog, ["http_accept", "path_info", "locked_out"]),
    (AccessLog, ["http_accept", "path_info", "logout_time", "session_hash"]),
):  # fmt: skip
    register.declare(
        model,
        subjects=("username",),
        personal=FAILED_LOGIN_FIELDS,
        other=["id", *extra],  # the request's form data is stored with the password masked
        purpose=_("Stopping password guessing on the login pages"),
        retention=_(
            "A lock ends 15 minutes after the last failed login; `treffpunkt axes_reset` "
            "deletes the records (run it daily)"
        ),
        legal_basis=LOGIN_SECURITY,
    )
register.declare(
    AccessAttemptExpiration,
    subjects=("access_attempt",),
    personal={},
    other=["access_attempt", "expires_at"],
    purpose=_("Stopping password guessing on the login pages"),
    retention=_("Deleted with its failed login"),
    legal_basis=LOGIN_SECURITY,
)
