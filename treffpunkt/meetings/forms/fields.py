"""Form fields shared by the meeting forms."""

from django import forms
from django.core.exceptions import ValidationError

BIGGEST_ID = 2**63 - 1  # database ids are 64-bit; SQLite raises OverflowError beyond


class ChoicesById(forms.ModelMultipleChoiceField):
    """Several objects chosen by id; an id no database column can hold is an invalid value
    with the field's message, not a server error."""

    def _check_values(self, value):
        for pk in value or ():
            try:
                too_big = abs(int(pk)) > BIGGEST_ID
            except (TypeError, ValueError):
                continue  # not a number: the parent class says so
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)
