from django.contrib import admin
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from .models import Consent, ConsentText, Network, Organisation, Person, Profile, Tag

admin.site.site_header = _("Treffpunkt administration")
admin.site.site_title = _("Treffpunkt")
admin.site.index_title = _("Run the network")


@admin.register(Network)
class NetworkAdmin(admin.ModelAdmin):
    list_display = ["name", "office_email"]

    def has_add_permission(self, request):
        # One instance serves one network: the single row is created on demand.
        return not Network.objects.exists() and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False


class PersonInlineFormSet(BaseInlineFormSet):
    """Two rows with one e-mail address (in any case) are refused here: the database would
    refuse the second row only while saving, after the first was written."""

    def clean(self) -> None:
        super().clean()
        seen: set[str] = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            email = (form.cleaned_data.get("email") or "").lower()
            if email and email in seen:
                form.add_error("email", _("This e-mail address is given twice above."))
            seen.add(email)


class PersonInline(admin.TabularInline):
    model = Person
    formset = PersonInlineFormSet
    fields = ["first_name", "last_name", "email", "function", "status"]
    extra = 0
    show_change_link = True


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "sector", "town", "listed"]
    list_filter = ["kind", "listed", "town"]
    search_fields = ["name", "sector", "town"]
    inlines = [PersonInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


class ProfileInline(admin.StackedInline):
    model = Profile
    filter_horizontal = ["interests"]
    can_delete = False


class ConsentInline(admin.TabularInline):
    model = Consent
    fields = ["text", "given_at", "withdrawn_at"]
    extra = 0


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "organisation", "function", "status", "email"]
    list_filter = ["status", "organisation__kind", "consents__text__purpose"]
    search_fields = ["first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation", "user"]
    inlines = [ProfileInline, ConsentInline]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]


@admin.register(ConsentText)
class ConsentTextAdmin(admin.ModelAdmin):
    list_display = ["purpose", "version", "published_at"]
    list_filter = ["purpose"]

    def get_readonly_fields(self, request, obj=None):
        # People consented to exactly this wording: a new wording is a new version.
        if obj and obj.consent_set.exists():
            return ["purpose", "version", "text"]
        return []


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ["person", "text", "given_at", "withdrawn_at"]
    list_filter = ["text__purpose", ("withdrawn_at", admin.EmptyFieldListFilter)]
    search_fields = ["person__first_name", "person__last_name", "person__email"]
    list_select_related = ["person", "text"]
    autocomplete_fields = ["person"]
