"""The form that starts a printout."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..printing import PRINTOUTS


class PrintoutForm(forms.Form):
    printout = forms.ChoiceField(
        label=_("Printout"),
        choices=[(p.key, p.label) for p in PRINTOUTS.values()],
        error_messages={"invalid_choice": _("There is no such printout: choose one of the list.")},
    )
