"""Forms for evidence: a work item with its contributors, and confirming a contribution.

The people and experiments a form offers are fetched once by the view and passed
in, so a form with many contributor rows costs no query per row; the service
(calibration.services.add_work_item) checks scope, shares and the linked
experiment again, and its errors are shown on the form.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils import timezone

from accounts import form_tools
from accounts.models import Person
from calibration.models import Contribution, WorkItem
from calibration.services import ContributorInput

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
OUTSIDE_SCOPE = (
    "Choose someone in your reporting line: you add work items for yourself and the "
    "people below you. Ask their manager to add the others."
)
MAX_CONTRIBUTORS = 20
DEFAULT_ROWS = 4


class DateInput(form_tools.DateInput):
    def format_value(self, value: Any) -> str | None:
        # An <input type="date"> holds a date or nothing: typed text that is not a date
        # (from a hand-made URL, say) is left out rather than made into invalid HTML.
        formatted = super().format_value(value)
        return formatted if formatted and ISO_DATE.fullmatch(formatted) else None


class WorkItemForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=WorkItem.Kind.choices)
    day = forms.DateField(label="Date", widget=DateInput(), help_text="When the work was done.")
    link = forms.URLField(
        required=False,
        assume_scheme="https",
        help_text="The write-up, pull request, dashboard or design doc.",
    )
    write_up = forms.CharField(
        label="Write-up",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=(
            "How the work was done: the hypothesis, baselines, what changed between runs, "
            "what was learned. Keep the result for the field below: managers drafting "
            "ratings do not see it."
        ),
    )
    result = forms.ChoiceField(
        choices=WorkItem.Result.choices,
        widget=forms.RadioSelect,
        help_text=(
            "Recorded, never scored. A rigorous experiment with a negative result is "
            "evidence like any other."
        ),
    )
    linked_experiment = forms.TypedChoiceField(
        label="Growth-plan experiment",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="Optional: the experiment from a contributor's growth plan this is evidence of.",
    )

    def __init__(self, *args: Any, experiments: Sequence[Any] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        by_engineer: dict[str, list[tuple[int, str]]] = {}
        for experiment in experiments:
            owner = experiment.plan.engineer.name
            by_engineer.setdefault(owner, []).append((experiment.pk, str(experiment)))
        field = self.fields["linked_experiment"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "None"), *by_engineer.items()]

    def clean_day(self):
        day = self.cleaned_data["day"]
        if day > timezone.localdate():
            raise forms.ValidationError("Evidence is work already done: the date can't be ahead.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if not data.get("link") and not (data.get("write_up") or "").strip():
            raise forms.ValidationError("Give a link or a write-up: evidence others can read.")
        return data


class PersonChoiceField(forms.TypedChoiceField):
    """One of the people passed in; anyone else is refused with OUTSIDE_SCOPE."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(coerce=int, error_messages={"invalid_choice": OUTSIDE_SCOPE}, **kwargs)


class ContributorForm(forms.Form):
    person = PersonChoiceField(label="Who")
    role = forms.ChoiceField(choices=[("", "—"), *Contribution.Role.choices])
    share = forms.IntegerField(
        label="Share of credit (%)", required=False, min_value=1, max_value=100
    )
    statement = forms.CharField(
        label="What they did",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, people: Sequence[Person] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.people = {person.pk: person for person in people}
        field = self.fields["person"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "—"), *((p.pk, p.name) for p in people)]

    def contributor(self) -> ContributorInput:
        data = self.cleaned_data
        return ContributorInput(
            person=self.people[data["person"]],
            role=data["role"],
            share=data["share"],
            statement=data["statement"],
        )


class BaseContributorFormSet(forms.BaseFormSet):
    """Rows left empty are ignored, whichever they are; at least one must be filled."""

    def initial_form_count(self) -> int:
        # The first row may come prefilled (the person the page is about) and still be
        # left empty or cleared: no row counts as an "initial", required one.
        return 0

    def clean(self) -> None:
        super().clean()
        if not any(form.has_changed() for form in self.forms):
            raise forms.ValidationError("Name at least one contributor and their role.")

    def contributors(self) -> list[ContributorInput]:
        """The filled rows, as the service takes them (after is_valid)."""
        return [form.contributor() for form in self.forms if form.has_changed()]


def contributor_formset(
    data: Any = None, *, people: Sequence[Person], rows: int = DEFAULT_ROWS, initial=None
) -> BaseContributorFormSet:
    """`rows` contributor rows (more when the form comes back with more)."""
    formset_class = formset_factory(
        ContributorForm,
        formset=BaseContributorFormSet,
        extra=max(1, min(rows, MAX_CONTRIBUTORS)),
        max_num=MAX_CONTRIBUTORS,
        validate_max=True,
    )
    formset = formset_class(
        data, prefix="contributors", form_kwargs={"people": people}, initial=initial
    )
    assert isinstance(formset, BaseContributorFormSet)
    return formset


class ConfirmContributionForm(forms.Form):
    statement = forms.CharField(
        label="Your contribution, in your words",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Confirm it as it stands, or correct it: what you did on this work.",
    )
