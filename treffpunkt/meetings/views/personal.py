"""The participant's personal page behind ``/r/<token>/``: their registration, schedule,
topics, consents and cancelling. The token is the only key; the page never names others."""

from functools import wraps

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treffpunkt.network.models import Consent, ConsentPurpose
from treffpunkt.network.services import withdraw_consent

from ..access import get_registration_by_token
from ..forms.registration import GiveConsentForm, TopicsForm, WithdrawConsentForm
from ..models import Assignment, Registration
from ..registration import (
    cancel_registration,
    current_consent_texts,
    give_consent_by_link,
    update_topics,
)

Status = Registration.Status


def personal_page(view):
    """Headers for pages reached through a secret link: the token must not leak to other
    sites through the Referer header, nor to a shared cache or a search engine."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        # same-origin, not no-referrer: with no-referrer browsers send "Origin: null" on the
        # page's own forms, which the CSRF check refuses.
        response["Referrer-Policy"] = "same-origin"
        response["Cache-Control"] = "private, no-store"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapper


def _can_change(registration: Registration) -> bool:
    return registration.status in (Status.CONFIRMED, Status.WAITLISTED) and not (
        registration.meeting.is_past
    )


def _consent_rows(registration: Registration, texts: dict) -> list[dict]:
    standing = {
        c.text.purpose: c
        for c in Consent.objects.filter(
            person=registration.person, withdrawn_at__isnull=True
        ).select_related("text")
    }
    requested = set(registration.requested_consents.values_list("purpose", flat=True))
    return [
        {
            "purpose": purpose,
            "label": label,
            "text": texts.get(purpose),
            "given": standing.get(purpose),
            "requested": purpose in requested,
        }
        for purpose, label in ConsentPurpose.choices
    ]


def _schedule(registration: Registration) -> list[Assignment]:
    if registration.status not in Registration.SEATED:
        return []
    return list(
        Assignment.objects.filter(meeting=registration.meeting, person=registration.person)
        .select_related("station")
        .order_by("round")
    )


@personal_page
def personal(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_registration_by_token(token)
    return _personal_response(
        request, registration, TopicsForm(initial={"topics": registration.topics})
    )


def _personal_response(request, registration, topics_form, status: int = 200) -> HttpResponse:
    context = {
        "registration": registration,
        "meeting": registration.meeting,
        "token": registration.token,
        "position": registration.waitlist_position(),
        "consents": _consent_rows(registration, current_consent_texts()),
        "schedule": _schedule(registration),
        "can_change": _can_change(registration),
        "topics_form": topics_form,
    }
    return render(request, "meetings/registration/personal.html", context, status=status)


@personal_page
@require_POST
def personal_topics(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_registration_by_token(token)
    form = TopicsForm(request.POST)
    if not _can_change(registration):
        messages.error(request, _("This registration can no longer be changed."))
        return redirect("registration_personal", token)
    if not form.is_valid():
        return _personal_response(request, registration, form, status=400)
    update_topics(registration=registration, topics=form.cleaned_data["topics"].strip())
    messages.success(request, _("Your topics are saved."))
    return redirect("registration_personal", token)


@personal_page
@require_POST
def personal_give_consent(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_registration_by_token(token)
    form = GiveConsentForm(request.POST, consent_texts=current_consent_texts())
    if form.is_valid():
        text = form.cleaned_data["text"]
        give_consent_by_link(registration=registration, text=text, now=timezone.now())
        messages.success(request, _("Thank you: your consent is recorded."))
    else:
        messages.error(request, " ".join(form.errors.get("text", [_("Nothing was changed.")])))
    return redirect("registration_personal", token)


@personal_page
@require_POST
def personal_withdraw_consent(request: HttpRequest, token: str) -> HttpResponse:
    registration = get_registration_by_token(token)
    form = WithdrawConsentForm(request.POST)
    if form.is_valid():
        withdraw_consent(person=registration.person, purpose=form.cleaned_data["purpose"])
        messages.success(request, _("Your consent is withdrawn."))
    else:
        messages.error(request, _("Nothing was changed."))
    return redirect("registration_personal", token)


@personal_page
def personal_cancel(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation; POST cancels."""
    registration = get_registration_by_token(token)
    if request.method == "POST" and _can_change(registration):
        cancel_registration(registration=registration)
        messages.success(request, _("Your registration is cancelled."))
        return redirect("registration_personal", token)
    return render(
        request,
        "meetings/registration/cancel.html",
        {
            "registration": registration,
            "meeting": registration.meeting,
            "token": token,
            "can_change": _can_change(registration),
        },
    )


urlpatterns = [
    path("r/<str:token>/", personal, name="registration_personal"),
    path("r/<str:token>/topics/", personal_topics, name="registration_topics"),
    path("r/<str:token>/consent/", personal_give_consent, name="registration_consent_give"),
    path(
        "r/<str:token>/consent/withdraw/",
        personal_withdraw_consent,
        name="registration_consent_withdraw",
    ),
    path("r/<str:token>/cancel/", personal_cancel, name="registration_cancel"),
]
