"""Step 6, after the meeting: photos, station notes, contact confirmations, report, press."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from treffpunkt.permissions import person_of

from .. import contacts as contact_service
from .. import notes as note_service
from .. import photos as photo_service
from .. import press
from ..access import (
    get_meeting_for_organiser,
    get_note_for_editor,
    get_photo_for_organiser,
    get_photo_for_viewer,
    get_quote_for_organiser,
    get_registration_by_token,
    get_station_for_moderator,
)
from ..forms.after import (
    ContactsForm,
    NoteForm,
    PhotoForm,
    PhotoUploadForm,
    PressReleaseForm,
    QuoteForm,
)
from ..jobs import start_job
from ..models import Meeting, Station
from ..report import meeting_report
from .personal import personal_page

# Photos (organisers) ------------------------------------------------------------------------


@login_required
def photo_list(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    form = PhotoUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        photo = photo_service.add_photo(
            meeting=meeting,
            image=form.cleaned_data["image"],
            kind=form.cleaned_data["kind"],
            caption=form.cleaned_data["caption"],
        )
        messages.success(request, _("The photo is stored. Now tag the people on it."))
        return redirect("photo", photo.pk)
    photos = [
        (photo, photo_service.is_cleared(photo), photo_service.without_photo_consent(photo))
        for photo in photo_service.photos_with_people(meeting)
    ]
    return render(
        request, "meetings/after/photos.html", {"meeting": meeting, "form": form, "photos": photos}
    )


@login_required
def photo_edit(request, photo_pk: int):
    photo = get_photo_for_organiser(request.user, photo_pk)
    initial = {"kind": photo.kind, "caption": photo.caption, "people": photo.people.all()}
    form = PhotoForm(request.POST or None, initial=initial, meeting=photo.meeting)
    if request.method == "POST" and form.is_valid():
        photo_service.update_photo(photo=photo, **form.cleaned_data)
        messages.success(request, _("The photo is saved."))
        return redirect("photos", photo.meeting_id)
    return render(
        request,
        "meetings/after/photo_edit.html",
        {"meeting": photo.meeting, "photo": photo, "form": form},
    )


@login_required
def photo_delete(request, photo_pk: int):
    photo = get_photo_for_organiser(request.user, photo_pk)
    if request.method == "POST":
        photo_service.delete_photo(photo=photo)
        messages.success(request, _("The photo is deleted."))
        return redirect("photos", photo.meeting_id)
    return render(
        request, "meetings/after/photo_delete.html", {"meeting": photo.meeting, "photo": photo}
    )


@never_cache
def photo_image(request, photo_pk: int):
    """The image itself, after the permission check; never cached, so a withdrawn consent
    takes the photo away on the next request."""
    photo = get_photo_for_viewer(request.user, photo_pk)
    try:
        file = photo.image.open("rb")
    except FileNotFoundError:  # the file is gone from the disk: nothing to show
        raise Http404 from None
    return FileResponse(file, content_type="image/jpeg")


# Station notes (moderators and organisers) --------------------------------------------------


@login_required
def station_notes(request, station_pk: int):
    station = get_station_for_moderator(request.user, station_pk)
    form = NoteForm(request.POST or None, station=station, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        note_service.add_note(station=station, author=person_of(request.user), **form.cleaned_data)
        messages.success(request, _("The note is saved."))
        return redirect("station_notes", station.pk)
    notes = [
        (note, request.user.has_perm("meetings.change_station_note", note))
        for note in note_service.station_notes(station)
    ]
    context = {"meeting": station.meeting, "station": station, "form": form, "notes": notes}
    return render(request, "meetings/after/notes.html", context)


@login_required
def note_edit(request, note_pk: int):
    note = get_note_for_editor(request.user, note_pk)
    initial = {"kind": note.kind, "text": note.text, "owner": note.owner_id}
    form = NoteForm(
        request.POST or None,
        initial=initial,
        station=note.station,
        viewer=request.user,
        keep=note.owner,
    )
    if request.method == "POST" and form.is_valid():
        note_service.update_note(note=note, **form.cleaned_data)
        messages.success(request, _("The note is saved."))
        return redirect("station_notes", note.station_id)
    context = {"meeting": note.station.meeting, "station": note.station, "note": note}
    return render(request, "meetings/after/note_edit.html", {**context, "form": form})


@login_required
def note_delete(request, note_pk: int):
    note = get_note_for_editor(request.user, note_pk)
    if request.method == "POST":
        note_service.delete_note(note=note)
        messages.success(request, _("The note is deleted."))
        return redirect("station_notes", note.station_id)
    context = {"meeting": note.station.meeting, "station": note.station, "note": note}
    return render(request, "meetings/after/note_delete.html", context)


@login_required
def my_stations(request):
    """The stations the logged-in person moderates, newest meeting first."""
    own = person_of(request.user)
    stations = (
        Station.objects.filter(moderator=own)
        .exclude(meeting__status=Meeting.Status.DRAFT)
        .select_related("meeting")
        .order_by("-meeting__starts_at", "position", "pk")
        if own
        else Station.objects.none()
    )
    return render(request, "meetings/after/my_stations.html", {"stations": stations})


# Contact confirmations (participants, through their personal link) --------------------------


@personal_page
def registration_contacts(request, token: str):
    registration = get_registration_by_token(token)
    may_confirm = contact_service.may_confirm_contacts(registration)
    context = {
        "registration": registration,
        "meeting": registration.meeting,
        "may_confirm": may_confirm,
    }
    if not may_confirm:
        status = 403 if request.method == "POST" else 200
        return render(request, "meetings/after/contacts.html", context, status=status)
    mates = contact_service.group_mates(registration)
    initial = {"contacts": list(contact_service.confirmed_ids(registration))}
    # Unticking everybody posts nothing at all: bind the form to any POST, even an empty one.
    data = request.POST if request.method == "POST" else None
    form = ContactsForm(data, initial=initial, mates=mates)
    if request.method == "POST" and form.is_valid():
        contact_service.confirm_contacts(
            registration=registration, shown=mates, chosen=list(form.cleaned_data["contacts"])
        )
        messages.success(request, _("Thank you: your contacts are saved."))
        return redirect("registration_contacts", token)
    return render(
        request, "meetings/after/contacts.html", {**context, "form": form, "mates": mates}
    )


# The report and the press release (organisers) ----------------------------------------------


@login_required
def report(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    return render(
        request,
        "meetings/after/report.html",
        {"meeting": meeting, "report": meeting_report(meeting)},
    )


@login_required
@require_POST
def report_pdf(request, pk: int):
    from ..tasks import make_report_pdf

    meeting = get_meeting_for_organiser(request.user, pk)
    job = start_job(
        meeting=meeting,
        kind=_("Meeting report (PDF)"),
        user=request.user,
        task=make_report_pdf,
        language=get_language(),
    )
    return redirect("job", meeting.pk, job.pk)


@login_required
def press_release(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    action = request.POST.get("action") if request.method == "POST" else None
    text = meeting.press_release or press.draft_press_release(meeting)
    quotes = _quotes_with_consent(meeting)
    stale = [quote for quote, usable in quotes if not usable]
    text_form = PressReleaseForm(request.POST if action == "save" else None, initial={"text": text})
    quote_form = QuoteForm(request.POST if action == "quote" else None, meeting=meeting)
    if action == "save" and text_form.is_valid():
        _refuse_withdrawn(text_form, stale)
    if action == "save" and text_form.is_valid():
        press.save_press_release(meeting=meeting, text=text_form.cleaned_data["text"])
        messages.success(request, _("The press release is saved."))
        return redirect("press_release", meeting.pk)
    if action == "quote" and quote_form.is_valid():
        press.add_quote(meeting=meeting, **quote_form.cleaned_data)
        messages.success(request, _("The quote is saved. Draft the press release again to use it."))
        return redirect("press_release", meeting.pk)
    context = {
        "meeting": meeting,
        "text_form": text_form,
        "quote_form": quote_form,
        "quotes": quotes,
        "saved": bool(meeting.press_release),
        "withdrawn": press.no_longer_quotable(text, stale),
    }
    return render(request, "meetings/after/press_release.html", context)


def _refuse_withdrawn(form: PressReleaseForm, stale: list) -> None:
    people = press.no_longer_quotable(form.cleaned_data["text"], stale)
    if people:
        names = ", ".join(p.full_name for p in people)
        form.add_error(
            "text",
            _(
                "The text still quotes or names %(names)s, who no longer consent to be "
                "quoted: take them out first. Nothing was saved."
            )
            % {"names": names},
        )


def _quotes_with_consent(meeting: Meeting) -> list[tuple]:
    usable = {q.pk for q in press.quotable(meeting)}
    return [(q, q.pk in usable) for q in meeting.quotes.select_related("person")]


@login_required
def press_release_redraft(request, pk: int):
    meeting = get_meeting_for_organiser(request.user, pk)
    if request.method == "POST":
        press.redraft_press_release(meeting=meeting)
        messages.success(request, _("The press release is drafted again from the report."))
        return redirect("press_release", meeting.pk)
    return render(request, "meetings/after/press_release_redraft.html", {"meeting": meeting})


@login_required
@require_POST
def quote_delete(request, quote_pk: int):
    quote = get_quote_for_organiser(request.user, quote_pk)
    press.delete_quote(quote=quote)
    messages.success(request, _("The quote is deleted."))
    return redirect("press_release", quote.meeting_id)


urlpatterns = [
    path("meetings/<int:pk>/photos/", photo_list, name="photos"),
    path("photos/<int:photo_pk>/", photo_edit, name="photo"),
    path("photos/<int:photo_pk>/delete/", photo_delete, name="photo_delete"),
    path("photos/<int:photo_pk>/image/", photo_image, name="photo_image"),
    path("stations/<int:station_pk>/notes/", station_notes, name="station_notes"),
    path("notes/<int:note_pk>/edit/", note_edit, name="note_edit"),
    path("notes/<int:note_pk>/delete/", note_delete, name="note_delete"),
    path("my-stations/", my_stations, name="my_stations"),
    path("r/<str:token>/contacts/", registration_contacts, name="registration_contacts"),
    path("meetings/<int:pk>/report/", report, name="meeting_report"),
    path("meetings/<int:pk>/report/pdf/", report_pdf, name="meeting_report_pdf"),
    path("meetings/<int:pk>/press-release/", press_release, name="press_release"),
    path(
        "meetings/<int:pk>/press-release/redraft/",
        press_release_redraft,
        name="press_release_redraft",
    ),
    path("quotes/<int:quote_pk>/delete/", quote_delete, name="quote_delete"),
]
