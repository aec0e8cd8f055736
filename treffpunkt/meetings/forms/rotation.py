from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Meeting


class RotationSettingsForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["rounds", "rotation"]
        widgets = {"rotation": forms.RadioSelect}

    def clean_rounds(self) -> int:
        rounds = self.cleaned_data["rounds"]
        if not 1 <= rounds <= 20:
            raise forms.ValidationError(_("A meeting has between 1 and 20 rounds."))
        if rounds < self.instance.rounds_held:
            raise forms.ValidationError(
                _("%(held)s rounds have been held already."),
                params={"held": self.instance.rounds_held},
            )
        return rounds


class MoveForm(forms.Form):
    """Move one person to another station in one round."""

    person = forms.TypedChoiceField(label=_("Person"), coerce=int)
    round = forms.TypedChoiceField(label=_("Round"), coerce=int)
    station = forms.TypedChoiceField(label=_("Station"), coerce=int)

    def __init__(self, *args, people, stations, rounds: int, first_open_round: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.pk, p.full_name) for p in people]
        self.fields["round"].choices = [
            (r, _("Round %(number)s") % {"number": r + 1}) for r in range(first_open_round, rounds)
        ]
        self.fields["station"].choices = [(s.pk, s.title) for s in stations]


class ChoiceForm(forms.Form):
    """Free choice: a participant picks a station for each round that is still open."""

    def __init__(
        self, *args, stations, rounds: range, current: dict[int, int], full: dict, **kwargs
    ):
        super().__init__(*args, **kwargs)
        for r in rounds:
            choices = [("", _("— no choice yet —"))]
            for station in stations:
                label = station.title
                if full.get((r, station.pk)) and current.get(r) != station.pk:
                    label = _("%(station)s (full)") % {"station": station.title}
                choices.append((station.pk, label))
            self.fields[f"round_{r}"] = forms.TypedChoiceField(
                label=_("Round %(number)s") % {"number": r + 1},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=current.get(r),
            )

    def choices(self) -> dict[int, int | None]:
        return {int(name.split("_")[1]): value for name, value in self.cleaned_data.items()}
