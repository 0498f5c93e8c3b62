from __future__ import annotations

from django import forms

from notifications.kinds import KINDS


class EmailChoicesForm(forms.Form):
    emailed = forms.MultipleChoiceField(
        label="Also send me an email for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["emailed"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(kind.key, kind.label) for kind in KINDS.values()]
