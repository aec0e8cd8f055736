from django import forms
from django.contrib import admin

from .models import (
    Assignment,
    ContactConfirmation,
    Encounter,
    Invitation,
    Job,
    Meeting,
    Photo,
    Quote,
    Registration,
    Station,
    StationNote,
)
from .photos import prepare_image


class StationInline(admin.TabularInline):
    model = Station
    fields = ["position", "title", "moderator", "capacity"]
    autocomplete_fields = ["moderator"]
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "format", "host", "status", "capacity"]
    list_filter = ["status", "format", "starts_at"]
    search_fields = ["title", "venue", "host__name"]
    date_hierarchy = "starts_at"
    autocomplete_fields = ["host"]
    list_select_related = ["host"]
    inlines = [StationInline]

    def get_readonly_fields(self, request, obj=None):
        # Seats change on the meeting's registrations page, which refuses fewer seats than
        # people seated and moves the waitlist up; a plain save here would do neither.
        return ["capacity"] if obj is not None else []


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "status", "created_at"]
    list_filter = ["status", "meeting"]
    search_fields = ["person__first_name", "person__last_name", "person__email", "topics"]
    list_select_related = ["person", "meeting"]
    autocomplete_fields = ["person", "meeting"]


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "moderator", "capacity"]
    list_filter = ["meeting"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting", "moderator"]
    autocomplete_fields = ["moderator", "meeting"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["meeting", "round", "station", "person"]
    list_filter = ["meeting", "round"]
    search_fields = ["person__first_name", "person__last_name", "station__title"]
    list_select_related = ["meeting", "station", "person"]
    autocomplete_fields = ["person", "station", "meeting"]


@admin.register(StationNote)
class StationNoteAdmin(admin.ModelAdmin):
    list_display = ["station", "kind", "text", "owner"]
    list_filter = ["kind", "station__meeting"]
    search_fields = ["text", "station__title"]
    list_select_related = ["station", "owner"]
    autocomplete_fields = ["station", "author", "owner"]


@admin.register(Encounter)
class EncounterAdmin(admin.ModelAdmin):
    """Read-only: encounters are recorded from held rounds, never typed in."""

    list_display = ["meeting", "round", "person_a", "person_b"]
    list_filter = ["meeting", "round"]
    list_select_related = ["meeting", "person_a", "person_b"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "meeting", "person", "sent_at"]
    list_filter = ["meeting", ("sent_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "person__last_name"]
    list_select_related = ["meeting", "person"]
    autocomplete_fields = ["person", "meeting"]


class PhotoAdminForm(forms.ModelForm):
    """The admin's upload goes through the same checks as the photo page: an image of an
    accepted format and size, re-encoded without EXIF (camera, GPS) under a random name."""

    class Meta:
        model = Photo
        fields = ["meeting", "image", "kind", "caption", "people"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image and image != self.initial.get("image"):  # a new upload, not the stored file
            return prepare_image(image)
        return image


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["__str__", "meeting", "kind", "uploaded_at"]
    list_filter = ["meeting", "kind"]
    search_fields = ["caption"]
    autocomplete_fields = ["meeting", "people"]


@admin.register(Quote)
class QuoteAdmin(admin.ModelAdmin):
    list_display = ["person", "meeting", "text"]
    list_filter = ["meeting"]
    search_fields = ["text", "person__last_name"]
    list_select_related = ["person", "meeting"]
    autocomplete_fields = ["person", "meeting"]


@admin.register(ContactConfirmation)
class ContactConfirmationAdmin(admin.ModelAdmin):
    list_display = ["person", "contact", "meeting", "created_at"]
    list_filter = ["meeting"]
    list_select_related = ["person", "contact", "meeting"]
    autocomplete_fields = ["person", "contact", "meeting"]


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["kind", "meeting", "status", "done", "total", "created_at"]
    list_filter = ["status", "kind"]
    readonly_fields = [
        "kind",
        "meeting",
        "status",
        "done",
        "total",
        "message",
        "result",
        "created_by",
        "finished_at",
    ]
