"""Forms of the stations part: grouping topics, naming and editing stations, wishes."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..models import Station
from ..stations import Moderator, StationChange, StationDraft
from ..topic_groups import TopicBoard
from .fields import ChoicesById

NEW_GROUP = "new"


def _group_choices(board: TopicBoard) -> list[tuple[str, str]]:
    return [
        (str(group.label), f"{number}. {group.name}")
        for number, group in enumerate(board.groups, start=1)
    ]


class GroupCountForm(forms.Form):
    """How many groups the topics should fall into."""

    k = forms.IntegerField(label=_("Number of groups"))

    def __init__(self, *args, board: TopicBoard, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = board.max_groups
        field = self.fields["k"]
        field.widget.attrs.update(min=1, max=self.limit)
        field.error_messages["invalid"] = _("Enter a whole number of groups.")
        field.error_messages["required"] = _("Enter a whole number of groups.")

    def clean_k(self) -> int:
        k = self.cleaned_data["k"]
        if not 1 <= k <= self.limit:
            raise forms.ValidationError(
                _("Choose between 1 and %(limit)s groups."), params={"limit": self.limit}
            )
        return k


class MergeForm(forms.Form):
    source = forms.TypedChoiceField(label=_("Merge group"), coerce=int)
    target = forms.TypedChoiceField(label=_("into group"), coerce=int)

    def __init__(self, *args, board: TopicBoard, **kwargs):
        super().__init__(*args, **kwargs)
        choices = _group_choices(board)
        for name in ("source", "target"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _(
                "That group does not exist any more; please try again."
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("source") is not None and cleaned.get("source") == cleaned.get("target"):
            raise forms.ValidationError(_("Choose two different groups to merge."))
        return cleaned


class MoveForm(forms.Form):
    """One choice per topic: its group, another group, or a new one (to split a group)."""

    def __init__(self, *args, board: TopicBoard, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [*_group_choices(board), (NEW_GROUP, _("a new group"))]
        for group in board.groups:
            for registration in group.registrations:
                field = forms.ChoiceField(
                    label=registration.person.full_name, choices=choices, initial=str(group.label)
                )
                field.error_messages["invalid_choice"] = _(
                    "That group does not exist any more; please try again."
                )
                # The selects sit beside their topics, outside the <form> element.
                field.widget.attrs["form"] = "move-form"
                self.fields[f"topic-{registration.pk}"] = field

    def moves(self) -> dict[int, int | None]:
        """Registration id -> its new group (None: a new group), for the topics that moved."""
        found: dict[int, int | None] = {}
        for name in self.changed_data:
            value = self.cleaned_data[name]
            found[int(name.removeprefix("topic-"))] = None if value == NEW_GROUP else int(value)
        return found


class StationProposalForm(forms.Form):
    """A topic group that may become a station (prefix: the group's label)."""

    create = forms.BooleanField(label=_("Create this station"), required=False, initial=True)
    title = forms.CharField(label=_("Station title"), max_length=200, required=False)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000, required=False)

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, prefix=f"group-{group.label}", **kwargs)
        self.group = group
        self.fields["title"].initial = group.name
        self.fields["capacity"].initial = group.suggested_capacity
        self.fields["capacity"].error_messages["min_value"] = _("The capacity must be at least 1.")
        self.fields["capacity"].widget.attrs["min"] = 1
        for field in self.fields.values():  # the inputs sit in the group's card, outside <form>
            field.widget.attrs["form"] = "create-form"

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("create") and not (cleaned.get("title") or "").strip():
            self.add_error("title", _("A station needs a title."))
        if cleaned.get("create") and "capacity" in cleaned and cleaned["capacity"] is None:
            self.add_error("capacity", _("Enter a capacity."))
        return cleaned

    def draft(self) -> StationDraft | None:
        if not self.cleaned_data.get("create"):
            return None
        terms = ", ".join(self.group.terms)
        description = _("Topics: %(terms)s") % {"terms": terms} if terms else ""
        return StationDraft(
            title=self.cleaned_data["title"].strip(),
            capacity=self.cleaned_data["capacity"],
            description=str(description),
        )


class StationForm(forms.Form):
    """One station on the stations page. The moderator is chosen from registered people.

    A plain form (not a ModelForm), so that nothing touches the station until the service
    saves the change.
    """

    station = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    moderator = forms.TypedChoiceField(
        label=_("Moderator"), coerce=int, required=False, empty_value=None
    )
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    position = forms.IntegerField(label=_("Order"), min_value=0, max_value=10000)

    def __init__(self, *args, station: Station | None, moderators: list[Moderator], **kwargs):
        super().__init__(*args, **kwargs)
        self.station = station
        self.registered = {m.person.pk for m in moderators}
        choices = [("", _("– nobody yet –"))]
        choices += [(str(m.person.pk), m.label) for m in moderators]
        current = station.moderator if station else None
        if current is not None and current.pk not in self.registered:
            # Shown so the page says who it is; saving it is refused with a clear message.
            choices.append((str(current.pk), _("%(name)s – not registered") % {"name": current}))
        self.fields["moderator"].choices = choices
        messages = {
            "title": {"required": _("A station needs a title.")},
            "moderator": {
                "invalid_choice": _("The moderator must be registered for this meeting.")
            },
            "capacity": {
                "min_value": _("The capacity must be at least 1."),
                "required": _("Enter a capacity."),
            },
        }
        for name, errors in messages.items():
            self.fields[name].error_messages.update(errors)
        self.fields["capacity"].widget.attrs["min"] = 1

    @staticmethod
    def initial_for(station: Station) -> dict:
        return {
            "station": station.pk,
            "title": station.title,
            "description": station.description,
            "moderator": str(station.moderator_id) if station.moderator_id else "",
            "capacity": station.capacity,
            "position": station.position,
        }

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("A station needs a title."))
        return title

    def clean_moderator(self):
        moderator = self.cleaned_data["moderator"]
        if moderator is not None and moderator not in self.registered:
            raise forms.ValidationError(_("The moderator must be registered for this meeting."))
        return moderator

    def clean_station(self) -> int:
        if self.station is None or self.cleaned_data["station"] != self.station.pk:
            raise forms.ValidationError(_("The stations changed meanwhile; please try again."))
        return self.cleaned_data["station"]

    def change(self) -> StationChange:
        data = self.cleaned_data
        return StationChange(
            station=self.station,
            title=data["title"],
            description=data["description"],
            moderator_id=data["moderator"],
            capacity=data["capacity"],
            position=data["position"],
        )


class BaseStationFormSet(forms.BaseFormSet):
    def __init__(self, *args, stations, moderators: list[Moderator], **kwargs):
        self.stations = list(stations)
        self.moderators = moderators
        kwargs.setdefault("initial", [StationForm.initial_for(s) for s in self.stations])
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        station = self.stations[index] if index is not None and index < len(self.stations) else None
        return {"station": station, "moderators": self.moderators}

    def clean(self):
        if self.total_form_count() != len(self.stations):
            raise forms.ValidationError(_("The stations changed meanwhile; please try again."))

    def changes(self) -> list[StationChange]:
        return [form.change() for form in self.forms]


StationFormSet = forms.formset_factory(
    StationForm, formset=BaseStationFormSet, extra=0, max_num=200, absolute_max=200
)


class AddStationForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].error_messages["required"] = _("A station needs a title.")
        self.fields["capacity"].error_messages["min_value"] = _("The capacity must be at least 1.")

    def draft(self) -> StationDraft:
        return StationDraft(
            title=self.cleaned_data["title"].strip(), capacity=self.cleaned_data["capacity"]
        )


class WishForm(forms.Form):
    stations = ChoicesById(
        label=_("Stations I especially want to visit"),
        queryset=Station.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, stations, limit: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.limit = limit
        self.fields["stations"].queryset = stations
        self.fields["stations"].help_text = ngettext_lazy(
            "Choose up to %(limit)s station.", "Choose up to %(limit)s stations.", "limit"
        ) % {"limit": limit}
        self.fields["stations"].error_messages["invalid_choice"] = _(
            "That station does not exist any more; please choose again."
        )

    def clean_stations(self):
        stations = self.cleaned_data["stations"]
        if len(stations) > self.limit:
            raise forms.ValidationError(
                ngettext_lazy(
                    "Choose at most %(limit)s station.",
                    "Choose at most %(limit)s stations.",
                    "limit",
                ),
                params={"limit": self.limit},
            )
        return stations
