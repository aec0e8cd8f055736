"""Forms of step 6, after the meeting: photos, station notes, contacts, quotes, press release."""

from django import forms
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import ConsentPurpose, Person

from ..models import Meeting, Photo, Station, StationNote
from ..notes import note_people
from ..photos import prepare_image, taggable_people
from .fields import ChoicesById


class PersonChoice(forms.ModelChoiceField):
    def label_from_instance(self, person: Person) -> str:
        return _person_label(person)


class PeopleChoice(ChoicesById):
    def label_from_instance(self, person: Person) -> str:
        return _person_label(person)


def _person_label(person: Person) -> str:
    if person.organisation_id:
        return f"{person.full_name} ({person.organisation.name})"
    return person.full_name


class PhotoUploadForm(forms.Form):
    image = forms.FileField(
        label=_("Photo"), help_text=_("A JPEG, PNG or WebP image of at most 15 MB.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Photo.Kind.choices)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)

    def clean_image(self):
        # Re-encoded here, so the view stores a clean JPEG without metadata or nothing.
        return prepare_image(self.cleaned_data["image"])


class PhotoForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Photo.Kind.choices)
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    people = PeopleChoice(
        label=_("People on the photo"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("Only people registered for this meeting can be tagged."),
        },
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = taggable_people(meeting)


class NoteForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=StationNote.Kind.choices)
    text = forms.CharField(
        label=_("Text"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    owner = PersonChoice(
        label=_("Owner of the follow-up"),
        queryset=Person.objects.none(),
        required=False,
        help_text=_("Who takes care of it; only for follow-ups."),
        error_messages={
            "invalid_choice": _("Choose the owner among the people of this meeting."),
        },
    )

    def __init__(self, *args, station: Station, viewer, keep: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = note_people(station, viewer=viewer, keep=keep)

    def clean(self):
        data = super().clean()
        kind, owner = data.get("kind"), data.get("owner")
        if kind == StationNote.Kind.FOLLOW_UP and owner is None and "owner" not in self.errors:
            self.add_error("owner", _("A follow-up needs an owner: choose who takes care of it."))
        if kind and kind != StationNote.Kind.FOLLOW_UP and owner is not None:
            self.add_error("owner", _("Only a follow-up has an owner: leave the owner empty."))
        return data


class ContactsForm(forms.Form):
    contacts = PeopleChoice(
        label=_("People I really made contact with"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": _("You can only confirm people you shared a group with."),
        },
    )

    def __init__(self, *args, mates: list[Person], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].queryset = Person.objects.filter(
            pk__in=[p.pk for p in mates]
        ).select_related("organisation")


class QuoteForm(forms.Form):
    person = PersonChoice(
        label=_("Who said it"),
        queryset=Person.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Only participants who consented to being quoted can be quoted. "
                "Ask the person for their consent first."
            ),
        },
    )
    text = forms.CharField(
        label=_("Quote"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = taggable_people(meeting).filter(
            pk__in=Person.objects.with_consent(ConsentPurpose.QUOTES).values("pk")
        )


class PressReleaseForm(forms.Form):
    text = forms.CharField(
        label=_("Press release"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 24}),
    )
