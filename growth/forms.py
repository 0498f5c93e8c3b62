from __future__ import annotations

import re
from datetime import date

from django import forms
from django.db import models
from django.utils import timezone

from accounts.form_tools import DateInput
from growth.models import Experiment, GrowthPlan, PlanComment, SupportCommitment, Transition
from growth.widgets import CoachedTextarea

CLOSING_STATUSES = [
    (Experiment.Status.DONE.value, Experiment.Status.DONE.label),
    (Experiment.Status.ABANDONED.value, Experiment.Status.ABANDONED.label),
]
LEARNED_REQUIRED = "What was learned? Closing an experiment records what it taught you."


# C0 and C1 control characters and DEL, except tab (\x09) and newline (\x0a).
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def plain_text(value: str) -> str:
    """Text as typed, less what no page shows: control characters go, line ends are newlines.

    Tabs and newlines stay. A pasted terminal escape, NUL or bell means nothing
    on a page and breaks exports and the history's word diffs. Browsers send a
    textarea's line ends as CRLF; a lone CR is an old line end too, so it becomes
    a newline rather than gluing two lines together.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL_CHARACTERS.sub("", value)


class PlainTextField(forms.CharField):
    """A CharField that stores `plain_text`: cleaned before `required` and `max_length`."""

    def to_python(self, value):
        if isinstance(value, str):
            value = plain_text(value)
        return super().to_python(value)


def plain_text_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """ModelForm `formfield_callback`: every free-text model field becomes a PlainTextField."""
    if isinstance(db_field, (models.CharField, models.TextField)) and not db_field.choices:
        kwargs.setdefault("form_class", PlainTextField)
    return db_field.formfield(**kwargs)


class PlainTextModelForm(forms.ModelForm):
    """The base of growth's ModelForms: their Meta inherits `PlainTextModelForm.Meta`."""

    class Meta:
        formfield_callback = plain_text_formfield


class VersionField(forms.IntegerField):
    """The version the form was opened at; the save only goes through if it still holds."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=0, **kwargs)


# Per-row forms (close, edit) carry no `load` trigger: a page of twenty empty
# experiments must not ask the coach twenty times on load.
def _quiet_coached(rows: int = 3) -> CoachedTextarea:
    return CoachedTextarea({"rows": rows, "hx-trigger": "input changed delay:400ms"})


class PlanForm(PlainTextModelForm):
    version = VersionField()

    class Meta(PlainTextModelForm.Meta):
        model = GrowthPlan
        fields = ["aspiration", "gap", "transition"]
        labels = {"transition": "The transition it aims at"}
        widgets = {"aspiration": CoachedTextarea({"rows": 4}), "gap": CoachedTextarea({"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        transition = self.fields["transition"]
        assert isinstance(transition, forms.ModelChoiceField)
        transition.queryset = Transition.objects.order_by("order")
        transition.empty_label = "No transition (top of the ladder)"


class ExperimentDueDateForm(PlainTextModelForm):
    """One rule for an experiment's due date, on create and on edit."""

    def clean_due_date(self) -> date:
        due = self.cleaned_data["due_date"]
        # An edit may keep the date the experiment already has, even once that
        # day has passed: an overdue experiment must stay editable (to close it,
        # or fix its wording) without inventing a new timebox. Any *other* past
        # day is refused, as on create: that would be rewriting the timebox
        # after the fact (or a typo such as year 1).
        unchanged = self.instance.pk is not None and due == self.instance.due_date
        if due < timezone.localdate() and not unchanged:
            raise forms.ValidationError(
                "The due date is in the past. Pick a day from today on: an experiment "
                "needs time to run."
            )
        return due


class ExperimentCreateForm(ExperimentDueDateForm):
    class Meta(PlainTextModelForm.Meta):
        model = Experiment
        fields = ["hypothesis", "what_to_try", "success_signal", "due_date"]
        widgets = {
            "hypothesis": CoachedTextarea({"rows": 2}),
            "what_to_try": CoachedTextarea({"rows": 2}),
            "success_signal": CoachedTextarea({"rows": 2}),
            "due_date": DateInput(),
        }


class ExperimentForm(ExperimentDueDateForm):
    """Editing an experiment: every field, status and what was learned included."""

    version = VersionField()

    class Meta(PlainTextModelForm.Meta):
        model = Experiment
        fields = ["hypothesis", "what_to_try", "success_signal", "due_date", "status", "learned"]
        widgets = {
            "hypothesis": _quiet_coached(2),
            "what_to_try": _quiet_coached(2),
            "success_signal": _quiet_coached(2),
            "due_date": DateInput(),
            "learned": _quiet_coached(2),
        }

    def clean(self) -> dict:
        cleaned = super().clean() or self.cleaned_data
        status = cleaned.get("status")
        if status in dict(CLOSING_STATUSES) and not cleaned.get("learned", "").strip():
            self.add_error("learned", LEARNED_REQUIRED)
        return cleaned


class ExperimentCloseForm(forms.Form):
    status = forms.ChoiceField(label="Close as", choices=CLOSING_STATUSES, widget=forms.RadioSelect)
    learned = PlainTextField(
        label="What was learned?",
        max_length=Experiment._meta.get_field("learned").max_length,
        widget=_quiet_coached(2),
        error_messages={"required": LEARNED_REQUIRED},
    )
    version = VersionField()


class CommitmentForm(PlainTextModelForm):
    class Meta(PlainTextModelForm.Meta):
        model = SupportCommitment
        fields = ["kind", "description", "due_date", "status"]
        labels = {"kind": "Kind of support"}
        widgets = {"description": _quiet_coached(2), "due_date": DateInput()}


class CommitmentEditForm(CommitmentForm):
    version = VersionField()


class CommentForm(PlainTextModelForm):
    class Meta(PlainTextModelForm.Meta):
        model = PlanComment
        fields = ["body"]
        labels = {"body": "Comment"}
        widgets = {"body": CoachedTextarea({"rows": 3})}
