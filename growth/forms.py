from __future__ import annotations

from django import forms
from django.utils import timezone

from growth.models import Experiment, GrowthPlan, PlanComment, SupportCommitment, Transition
from growth.widgets import CoachedTextarea

CLOSING_STATUSES = [
    (Experiment.Status.DONE.value, Experiment.Status.DONE.label),
    (Experiment.Status.ABANDONED.value, Experiment.Status.ABANDONED.label),
]
LEARNED_REQUIRED = "What was learned? Closing an experiment records what it taught you."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class VersionField(forms.IntegerField):
    """The version the form was opened at; the save only goes through if it still holds."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=0, **kwargs)


# Per-row forms (close, edit) carry no `load` trigger: a page of twenty empty
# experiments must not ask the coach twenty times on load.
def _quiet_coached(rows: int = 3) -> CoachedTextarea:
    return CoachedTextarea({"rows": rows, "hx-trigger": "input changed delay:400ms"})


class PlanForm(forms.ModelForm):
    version = VersionField()

    class Meta:
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


class ExperimentCreateForm(forms.ModelForm):
    class Meta:
        model = Experiment
        fields = ["hypothesis", "what_to_try", "success_signal", "due_date"]
        widgets = {
            "hypothesis": CoachedTextarea({"rows": 2}),
            "what_to_try": CoachedTextarea({"rows": 2}),
            "success_signal": CoachedTextarea({"rows": 2}),
            "due_date": DateInput(),
        }

    def clean_due_date(self):
        due = self.cleaned_data["due_date"]
        if due < timezone.localdate():
            raise forms.ValidationError(
                "The due date is in the past. Pick a day from today on: a new experiment "
                "needs time to run."
            )
        return due


class ExperimentForm(forms.ModelForm):
    """Editing an experiment: every field, status and what was learned included."""

    version = VersionField()

    class Meta:
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
    learned = forms.CharField(
        label="What was learned?",
        max_length=Experiment._meta.get_field("learned").max_length,
        widget=_quiet_coached(2),
        error_messages={"required": LEARNED_REQUIRED},
    )
    version = VersionField()


class CommitmentForm(forms.ModelForm):
    class Meta:
        model = SupportCommitment
        fields = ["kind", "description", "due_date", "status"]
        labels = {"kind": "Kind of support"}
        widgets = {"description": _quiet_coached(2), "due_date": DateInput()}


class CommitmentEditForm(CommitmentForm):
    version = VersionField()


class CommentForm(forms.ModelForm):
    class Meta:
        model = PlanComment
        fields = ["body"]
        labels = {"body": "Comment"}
        widgets = {"body": CoachedTextarea({"rows": 3})}
