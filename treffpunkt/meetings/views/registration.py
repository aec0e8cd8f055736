"""Step 1 of the meeting path: the public registration form and the organisers'
registrations and invitations (the participant's own page is ``personal.py``)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone, translation
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from treffpunkt.network.models import ConsentPurpose
from treffpunkt.permissions import person_of

from ..access import (
    get_invitation_by_token,
    get_meeting_for_organiser,
    get_meeting_for_user,
    get_registration_for_organiser,
)
from ..forms.registration import (
    CapacityForm,
    InvitationForm,
    RegistrationForm,
)
from ..invitations import create_invitations, invitation_recipients
from ..jobs import start_job
from ..models import Invitation, Meeting, Registration
from ..registration import (
    RegistrationError,
    cancel_registration,
    current_consent_texts,
    register,
    set_capacity,
)
from .personal import personal_page

Status = Registration.Status


# --- the public registration form --------------------------------------------------------


def register_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return _registration_form(request, meeting, invitation=None)


@personal_page
def invitation_page(request: HttpRequest, token: str) -> HttpResponse:
    """The invitation link opens the registration form, prefilled for the invited address."""
    invitation = get_invitation_by_token(token)
    return _registration_form(request, invitation.meeting, invitation=invitation)


def _registration_form(request, meeting: Meeting, invitation: Invitation | None) -> HttpResponse:
    texts = current_consent_texts()
    is_open = meeting.registration_is_open()
    form = RegistrationForm(initial=_initial(request, invitation), consent_texts=texts)
    if request.method == "POST" and is_open:
        form = RegistrationForm(request.POST, consent_texts=texts)
        if form.is_valid():
            email = form.cleaned_data["email"]
            registrant = form.registrant(email_proven=_email_proven(request, invitation, email))
            try:
                result = register(meeting=meeting, registrant=registrant)
            except RegistrationError as error:
                form.add_error(None, error.message)
            else:
                _tell_outcome(request, result, registrant)
                return redirect("register_thanks", meeting.pk)
    return render(
        request,
        "meetings/registration/register.html",
        {
            "meeting": meeting,
            "form": form,
            "is_open": is_open,
            "invitation": invitation,
            "opens_at": _opens_later(meeting),
        },
    )


def _opens_later(meeting: Meeting):
    opens = meeting.registration_opens_at
    if meeting.status == Meeting.Status.PUBLISHED and opens and opens > timezone.now():
        return opens
    return None


def _initial(request, invitation: Invitation | None) -> dict:
    person = invitation.person if invitation else person_of(request.user)
    initial = {"email": invitation.email} if invitation else {}
    if person is not None:
        initial.update(first_name=person.first_name, last_name=person.last_name)
        initial.setdefault("email", person.email)
        if person.organisation and person.organisation.listed:
            initial["organisation"] = person.organisation
    return initial


def _email_proven(request, invitation: Invitation | None, email: str) -> bool:
    """Whether ``email`` is known to be the registrant's: the invitation was sent to it, or
    it is the address of the person logged in."""
    if invitation is not None and invitation.email.lower() == email:
        return True
    person = person_of(request.user)
    return person is not None and person.email.lower() == email


def _tell_outcome(request, result, registrant) -> None:
    values = {"meeting": result.registration.meeting.title, "email": registrant.email}
    if not registrant.email_proven:
        # Anybody can type anybody's address: whether it was known, registered already or
        # waitlisted goes only to that address, never onto this page.
        messages.success(
            request,
            _(
                "Thank you. We have sent an e-mail to %(email)s: it says whether you have a "
                "seat or a place on the waitlist, and holds your personal link."
            )
            % values,
        )
    else:
        _tell_details(request, result, values)
    if registrant.consent_texts and not result.consents_applied:
        messages.info(
            request,
            _(
                "Please confirm the consents you ticked through the personal link in the "
                "e-mail: they count only then, so that nobody can consent in your name."
            ),
        )


def _tell_details(request, result, values: dict) -> None:
    """The outcome itself, for a registrant whose address is proven theirs."""
    if result.outcome == "already" and not result.link_sent:
        messages.info(
            request,
            _(
                "You are registered for this meeting already. Your personal link went to "
                "%(email)s a few minutes ago: please look for that e-mail (also among spam)."
            )
            % values,
        )
    elif result.outcome == "already":
        messages.info(
            request,
            _(
                "You are registered for this meeting already. We have sent your personal "
                "link to %(email)s again."
            )
            % values,
        )
    elif result.outcome == Status.WAITLISTED:
        values["position"] = result.registration.waitlist_position()
        messages.warning(
            request,
            _(
                "The meeting is full: you are on the waitlist, in place %(position)s. We will "
                "write to %(email)s as soon as a seat is free for you."
            )
            % values,
        )
    else:
        messages.success(
            request,
            _(
                "You are registered for %(meeting)s. We have sent a confirmation with your "
                "personal link to %(email)s."
            )
            % values,
        )


def register_thanks(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request.user, pk)
    return render(request, "meetings/registration/thanks.html", {"meeting": meeting})


# --- the organisers' pages ---------------------------------------------------------------


@login_required
def registrations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_organiser(request.user, pk)
    return _registrations_response(
        request, meeting, CapacityForm(initial={"capacity": meeting.capacity})
    )


def _registrations_response(request, meeting, capacity_form, status: int = 200) -> HttpResponse:
    rows = list(
        meeting.registrations.select_related("person__organisation").order_by("created_at", "pk")
    )
    counts = dict.fromkeys(Status.values, 0)
    position = 0
    for registration in rows:
        counts[registration.status] += 1
        if registration.status == Status.WAITLISTED:
            position += 1
            registration.position = position
    texts = current_consent_texts()
    context = {
        "meeting": meeting,
        "registrations": rows,
        "counts": counts,
        "seated": counts[Status.CONFIRMED] + counts[Status.ATTENDED],
        "capacity_form": capacity_form,
        "missing_consent_texts": [
            label for purpose, label in ConsentPurpose.choices if purpose not in texts
        ],
    }
    return render(request, "meetings/registration/registrations.html", context, status=status)


@login_required
@require_POST
def registrations_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_organiser(request.user, pk)
    form = CapacityForm(request.POST)
    if form.is_valid():
        try:
            promoted = set_capacity(meeting=meeting, capacity=form.cleaned_data["capacity"])
        except RegistrationError as error:
            form.add_error("capacity", error.message)
        else:
            messages.success(
                request,
                _("The meeting now has %(capacity)s seats.") % {"capacity": meeting.capacity},
            )
            _tell_promoted(request, promoted)
            return redirect("registrations", meeting.pk)
    return _registrations_response(request, meeting, form, status=400)


def _tell_promoted(request, promoted: list[Registration]) -> None:
    if promoted:
        messages.info(
            request,
            _("Moved up from the waitlist and told by e-mail: %(names)s")
            % {"names": ", ".join(r.person.full_name for r in promoted)},
        )


@login_required
@require_POST
def registrations_cancel(request: HttpRequest, pk: int, registration_pk: int) -> HttpResponse:
    registration = get_registration_for_organiser(request.user, pk, registration_pk)
    try:
        promoted = cancel_registration(registration=registration)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The registration of %(name)s is cancelled.")
            % {"name": registration.person.full_name},
        )
        _tell_promoted(request, promoted)
    return redirect("registrations", pk)


@login_required
def invitations(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_organiser(request.user, pk)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        recipients = invitation_recipients(
            meeting=meeting, audiences=data["audiences"], addresses=data["addresses"]
        )
        batch = create_invitations(meeting=meeting, recipients=recipients, resend=data["resend"])
        skipped = _("Left out: %(registered)s registered already, %(sent)s invited before.") % {
            "registered": batch.already_registered,
            "sent": batch.already_sent,
        }
        if not batch.to_send:
            messages.info(request, _("There was nobody to invite.") + " " + skipped)
            return redirect("invitations", meeting.pk)
        from ..tasks import send_invitations

        job = start_job(
            meeting=meeting,
            kind=_("Invitations"),
            user=request.user,
            task=send_invitations,
            invitation_ids=batch.to_send,
            language=get_language(),
        )
        messages.info(
            request,
            ngettext(
                "Sending %(count)s invitation.",
                "Sending %(count)s invitations.",
                len(batch.to_send),
            )
            % {"count": len(batch.to_send)}
            + " "
            + skipped,
        )
        return redirect("job", meeting.pk, job.pk)
    return _invitations_response(request, meeting, form)


def _invitation_job_kinds() -> set[str]:
    """The job's kind is stored in the language of the organiser who started it."""
    kinds = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            kinds.add(_("Invitations"))
    return kinds


def _invitations_response(request, meeting: Meeting, form) -> HttpResponse:
    registered = {
        email.lower()
        for email in meeting.registrations.exclude(status=Status.CANCELLED).values_list(
            "person__email", flat=True
        )
    }
    invited = list(meeting.invitations.order_by("email"))
    for invitation in invited:
        invitation.registered = invitation.email.lower() in registered
    context = {
        "meeting": meeting,
        "form": form,
        "invitations": invited,
        "sent_count": sum(1 for i in invited if i.sent_at),
        "registered_count": sum(1 for i in invited if i.registered),
        "jobs": meeting.jobs.filter(kind__in=_invitation_job_kinds())[:5],
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "meetings/registration/invitations.html", context, status=status)


urlpatterns = [
    path("meetings/<int:pk>/register/", register_page, name="register"),
    path("meetings/<int:pk>/register/thanks/", register_thanks, name="register_thanks"),
    path("invitation/<str:token>/", invitation_page, name="invitation"),
    path("meetings/<int:pk>/registrations/", registrations, name="registrations"),
    path(
        "meetings/<int:pk>/registrations/capacity/",
        registrations_capacity,
        name="registrations_capacity",
    ),
    path(
        "meetings/<int:pk>/registrations/<int:registration_pk>/cancel/",
        registrations_cancel,
        name="registrations_cancel",
    ),
    path("meetings/<int:pk>/invitations/", invitations, name="invitations"),
]
