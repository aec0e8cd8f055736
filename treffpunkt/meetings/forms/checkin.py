"""Forms of the check-in at the door: the search, and somebody who came unregistered."""

from django import forms
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import Organisation, OrganisationKind, tidy_name

from ..checkin import WalkIn


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name or organisation"),
        max_length=100,
        error_messages={
            "required": _("Enter a name or an organisation to search for."),
            "max_length": _("Enter at most %(limit_value)d characters to search for."),
        },
    )


class WalkInForm(forms.Form):
    first_name = forms.CharField(label=_("First name"), max_length=100)  # the model's lengths
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(
        label=_("E-mail (optional)"),
        required=False,
        help_text=_("An address already in the directory finds that person."),
    )
    organisation = forms.CharField(
        label=_("Organisation (optional)"),
        max_length=200,
        required=False,
        help_text=_("Choose one from the directory or type a new one."),
        widget=forms.TextInput(attrs={"list": "organisations", "autocomplete": "off"}),
    )
    organisation_kind = forms.ChoiceField(
        label=_("Kind of a new organisation"),
        choices=[("", "–"), *OrganisationKind.choices],
        required=False,
    )
    allow_over_capacity = forms.BooleanField(
        label=_("Add this person even though the meeting is full"), required=False
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        name = tidy_name(data.get("organisation", ""))
        kind_given = data.get("organisation_kind") or self.has_error("organisation_kind")
        if name and not kind_given and Organisation.objects.named(name) is None:
            self.add_error(
                "organisation_kind",
                _("“%(name)s” is not in the directory yet: choose its kind to add it.")
                % {"name": name},
            )
        return data

    def walk_in(self) -> WalkIn:
        data = self.cleaned_data
        return WalkIn(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            organisation_name=data["organisation"],
            organisation_kind=data["organisation_kind"],
        )
