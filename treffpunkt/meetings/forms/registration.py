"""Forms of step 1: registration, the personal page, capacity and invitations."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from treffpunkt.network.models import (
    ConsentPurpose,
    ConsentText,
    Organisation,
    OrganisationKind,
    tidy_name,
)

from ..invitations import Audience
from ..registration import Registrant

TOPICS_MAX = 2000
ADDRESSES_MAX = 5000
MAX_SHOWN = 10  # invalid addresses quoted back in the message

CONSENT_UNAVAILABLE = _(
    "This consent cannot be given: the organisers have published no text for it, or a newer "
    "one. Nothing was saved; please read the consents again and tick them anew."
)


def topics_field() -> forms.CharField:
    return forms.CharField(
        label=_("Topics you would like to talk about"),
        help_text=_("Free text, for example: energy costs, skilled workers, AI in maintenance."),
        required=False,
        max_length=TOPICS_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class RegistrationForm(forms.Form):
    """Name, organisation (a listed one, or a new one with its kind), e-mail, topics, and
    the optional consents, each to the text shown (``consent_texts``, purpose → text)."""

    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.filter(listed=True).order_by("name"),
        required=False,
        empty_label=_("– not in the list: I enter it below –"),
    )
    new_organisation_name = forms.CharField(
        label=_("New organisation"), max_length=200, required=False
    )
    new_organisation_kind = forms.ChoiceField(
        label=_("Kind of the new organisation"),
        choices=[("", "–"), *OrganisationKind.choices],
        required=False,
    )
    topics = topics_field()
    consents = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": CONSENT_UNAVAILABLE},
    )

    def __init__(self, *args, consent_texts: dict[str, ConsentText], **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_texts = consent_texts
        self.fields["consents"].choices = [(str(t.pk), t.text) for t in consent_texts.values()]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean(self) -> dict:
        data = super().clean()
        chosen = data.get("organisation")
        name = tidy_name(data.get("new_organisation_name", ""))
        kind = data.get("new_organisation_kind", "")
        if chosen and name:
            self.add_error(
                "new_organisation_name",
                _("Either choose your organisation from the list or enter a new one, not both."),
            )
        elif not chosen and not name:
            self.add_error(
                "organisation",
                _("Choose your organisation from the list, or enter a new one below."),
            )
        elif name and not kind and "new_organisation_kind" not in self.errors:
            self.add_error(
                "new_organisation_kind",
                _("Please choose what kind of organisation “%(name)s” is.") % {"name": name},
            )
        data["new_organisation_name"] = name
        return data

    def consent_rows(self) -> list[dict]:
        """Each consent as the template shows it: purpose, text, and whether it is ticked."""
        ticked = set(self["consents"].value() or [])
        return [
            {
                "id": f"id_consent_{purpose}",
                "value": str(text.pk),
                "purpose": ConsentPurpose(purpose).label,
                "text": text,
                "checked": str(text.pk) in ticked,
            }
            for purpose, text in self.consent_texts.items()
        ]

    def registrant(self, *, email_proven: bool) -> Registrant:
        data = self.cleaned_data
        by_pk = {str(t.pk): t for t in self.consent_texts.values()}
        return Registrant(
            first_name=data["first_name"].strip(),
            last_name=data["last_name"].strip(),
            email=data["email"],
            organisation=data["organisation"],
            new_organisation_name=data["new_organisation_name"],
            new_organisation_kind=data["new_organisation_kind"],
            topics=data["topics"].strip(),
            consent_texts=[by_pk[pk] for pk in data["consents"]],
            email_proven=email_proven,
        )


class TopicsForm(forms.Form):
    topics = topics_field()


class GiveConsentForm(forms.Form):
    """One click to consent: the text shown must still be the current one."""

    text = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, consent_texts: dict[str, ConsentText], **kwargs):
        super().__init__(*args, **kwargs)
        self.consent_texts = consent_texts

    def clean_text(self) -> ConsentText:
        by_pk = {t.pk: t for t in self.consent_texts.values()}
        text = by_pk.get(self.cleaned_data["text"])
        if text is None:
            raise ValidationError(CONSENT_UNAVAILABLE)
        return text


class WithdrawConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices, widget=forms.HiddenInput)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, max_value=100_000)


ADDRESS_SEPARATORS = re.compile(r"[\s,;]+")


class InvitationForm(forms.Form):
    audiences = forms.MultipleChoiceField(
        label=_("Whom to invite"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (Audience.LOGINS, _("All members with a login")),
            (Audience.DIRECTORY, _("Everybody in the directory")),
            (Audience.PAST, _("Everybody who took part in an earlier meeting")),
        ],
    )
    addresses = forms.CharField(
        label=_("Further e-mail addresses"),
        help_text=_("One or more, separated by line breaks, commas or spaces."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    resend = forms.BooleanField(
        label=_("Send again to addresses that were invited before"), required=False
    )

    def clean_addresses(self) -> list[str]:
        raw = [
            a.strip("<>").lower() for a in ADDRESS_SEPARATORS.split(self.cleaned_data["addresses"])
        ]
        addresses = list(dict.fromkeys(a for a in raw if a))
        if len(addresses) > ADDRESSES_MAX:
            raise ValidationError(
                _("At most %(max)s addresses at once, please.") % {"max": ADDRESSES_MAX}
            )
        invalid = []
        for address in addresses:
            try:
                validate_email(address)
            except ValidationError:
                invalid.append(address)
        if invalid:
            shown = ", ".join(a[:80] for a in invalid[:MAX_SHOWN])
            if len(invalid) > MAX_SHOWN:
                shown += " " + _("and %(count)s more") % {"count": len(invalid) - MAX_SHOWN}
            raise ValidationError(
                _("These are not e-mail addresses: %(addresses)s. Nothing was sent.")
                % {"addresses": shown}
            )
        return addresses

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("audiences") and not data.get("addresses") and not self.errors:
            raise ValidationError(_("Choose whom to invite, or enter e-mail addresses."))
        return data
