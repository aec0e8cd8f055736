"""The network app's entries in the personal-data register (see ``treffpunkt.privacy``)."""

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
