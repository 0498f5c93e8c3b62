from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.form_tools import DateInput
from calibration.models import SCORES, Anchor, CalibrationCycle, Rating, WorkItem
from growth.panels import CoachedTextarea

SCORE_ERROR = "Choose a score from 1 to 4."
REASON_REQUIRED = "Your draft is locked: say why you change it after seeing results."


class CycleForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="For example “H1 2026”.")
    period_start = forms.DateField(label="Period starts", widget=DateInput)
    period_end = forms.DateField(
        label="Period ends",
        widget=DateInput,
        help_text="Evidence is work dated within the period.",
    )

    @classmethod
    def fresh(cls) -> CycleForm:
        # The half-year just ending is the usual cycle.
        today = timezone.localdate()
        return cls(initial={"period_start": today - timedelta(days=182), "period_end": today})


class AdvanceForm(forms.Form):
    """The state the director asks the cycle to move to (the service refuses going back)."""

    to = forms.ChoiceField(choices=CalibrationCycle.State.choices)


class DraftRatingForm(forms.Form):
    """One dimension's draft: a score, a justification in terms of process, and evidence
    chosen from the work items of the period that involve the engineer.

    The evidence choices are the items already fetched for the page (no query per
    form); once the draft is locked, a change also needs a reason.
    """

    score = forms.TypedChoiceField(
        coerce=int,
        choices=[(s, str(s)) for s in SCORES],
        widget=forms.RadioSelect,
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )
    justification = forms.CharField(
        max_length=3000,
        widget=CoachedTextarea,
        help_text="How the work was done (design, evidence, write-up), not how it turned out.",
        error_messages={"required": "Say why, in terms of process."},
    )
    evidence = forms.TypedMultipleChoiceField(
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Cite at least one work item as evidence."},
    )

    def __init__(
        self,
        data=None,
        *,
        items: Sequence[WorkItem],
        anchors: Sequence[Anchor],
        engineer_name: str,
        locked: bool,
        rating: Rating | None = None,
        **kwargs,
    ) -> None:
        if rating is not None and data is None:
            kwargs["initial"] = {
                "score": rating.draft_score,
                "justification": rating.justification,
                "evidence": [item.pk for item in rating.evidence.all()],
            }
        super().__init__(data, **kwargs)
        by_score = {anchor.score: anchor.behaviour for anchor in anchors}
        score_field = self.fields["score"]
        assert isinstance(score_field, forms.ChoiceField)
        score_field.choices = [
            (s, f"{s}: {by_score[s]}" if s in by_score else str(s)) for s in SCORES
        ]
        evidence_field = self.fields["evidence"]
        assert isinstance(evidence_field, forms.ChoiceField)
        evidence_field.choices = [(item.pk, item.title) for item in items]
        evidence_field.error_messages["invalid_choice"] = (
            f"Choose evidence from the list: work items from the cycle's period that "
            f"involve {engineer_name}."
        )
        self.items = {item.pk: item for item in items}
        if locked:
            self.fields["reason"] = forms.CharField(
                max_length=2000,
                label="Why change it after seeing results?",
                widget=forms.Textarea(attrs={"rows": 2}),
                error_messages={"required": REASON_REQUIRED},
                help_text="Recorded as “changed after seeing results”.",
            )

    def selected(self) -> set[int]:
        """The evidence ticked: as sent, or as saved."""
        value = self["evidence"].value() or []
        ids = set()
        for raw in value:
            try:
                ids.add(int(raw))
            except (TypeError, ValueError):
                continue
        return ids

    def evidence_items(self) -> list[WorkItem]:
        return [self.items[pk] for pk in self.cleaned_data["evidence"]]
