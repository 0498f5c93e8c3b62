from __future__ import annotations

from dataclasses import dataclass

from django import forms

from growth.forms import LEARNED_REQUIRED, PlainTextField
from growth.models import Experiment, QuarterlyReview, question
from growth.quarters import Quarter
from growth.review_services import (
    ABANDONED,
    COMPLETED,
    NO_PROGRESS,
    closing_status,
    progress_choices,
)
from growth.widgets import CoachedTextarea

# What a closed experiment already is, so reviewing it again needs no clicks.
INITIAL_PROGRESS: dict[str, str] = {
    Experiment.Status.DONE: COMPLETED,
    Experiment.Status.ABANDONED: ABANDONED,
}

CLOSING_NOTE_HELP = (
    "Closing it as completed or abandoned? Say what was learned: "
    "the note is kept as the experiment's “What was learned”."
)


@dataclass
class ExperimentRow:
    experiment: Experiment
    progress: forms.BoundField
    note: forms.BoundField


class QuarterlyReviewForm(forms.Form):
    """One quarter's review: progress per experiment, then the quarter's texts.

    `quarter` travels with the form so a review opened in two tabs cannot be
    submitted twice for the same quarter. `can_close` (rules.can_close_experiment)
    says whether "completed" and "abandoned" close an experiment, and so need
    its note to say what was learned, or are the manager's view of its progress.
    """

    quarter = PlainTextField(widget=forms.HiddenInput, required=False)
    what_changed = PlainTextField(
        label=question(QuarterlyReview, "what_changed"), max_length=2000, widget=CoachedTextarea
    )
    next_quarter = PlainTextField(
        label=question(QuarterlyReview, "next_quarter"), max_length=2000, widget=CoachedTextarea
    )
    manager_note = PlainTextField(
        label=question(QuarterlyReview, "manager_note"),
        max_length=2000,
        required=False,
        widget=CoachedTextarea,
    )

    def __init__(
        self,
        data=None,
        *,
        experiments: list[Experiment],
        quarter: str,
        is_manager: bool,
        can_close: bool,
    ) -> None:
        super().__init__(data, initial={"quarter": quarter})
        self.experiments = experiments
        self.expected_quarter = quarter
        self.can_close = can_close
        if not is_manager:
            # Only the manager writes the manager's note; a posted value is ignored.
            del self.fields["manager_note"]
        for e in experiments:
            self.fields[f"progress_{e.pk}"] = forms.ChoiceField(
                label="Progress" if can_close else "Progress as you see it",
                choices=progress_choices(can_close=can_close),
                initial=INITIAL_PROGRESS.get(e.status, NO_PROGRESS),
                widget=forms.RadioSelect,
            )
            self.fields[f"note_{e.pk}"] = PlainTextField(
                label="Note on this experiment",
                max_length=1000,
                required=False,
                help_text=CLOSING_NOTE_HELP if can_close else "",
                widget=CoachedTextarea(attrs={"rows": 2}),
            )

    def experiment_rows(self) -> list[ExperimentRow]:
        return [
            ExperimentRow(e, self[f"progress_{e.pk}"], self[f"note_{e.pk}"])
            for e in self.experiments
        ]

    def clean(self) -> dict:
        cleaned = self.cleaned_data
        if self.can_close:
            for e in self.experiments:
                choice = cleaned.get(f"progress_{e.pk}", NO_PROGRESS)
                if closing_status(e, choice) and not cleaned.get(f"note_{e.pk}"):
                    self.add_error(f"note_{e.pk}", LEARNED_REQUIRED)
        posted = cleaned.get("quarter")
        if posted and posted != self.expected_quarter:
            # The plan moved on since this form was opened: that quarter is reviewed.
            raise forms.ValidationError(
                f"The {Quarter.parse(posted)} review has already been submitted. "
                f"The next review is for {Quarter.parse(self.expected_quarter)}."
            )
        return cleaned

    @property
    def progress(self) -> dict[int, tuple[str, str]]:
        return {
            e.pk: (self.cleaned_data[f"progress_{e.pk}"], self.cleaned_data[f"note_{e.pk}"])
            for e in self.experiments
        }


class CompareForm(forms.Form):
    """Two versions of a plan to compare: review ids, or "current" for the live plan."""

    a = forms.ChoiceField(label="Compare")
    b = forms.ChoiceField(label="with")

    def __init__(self, data=None, *, choices: list[tuple[str, str]]) -> None:
        super().__init__(data, label_suffix="")
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
