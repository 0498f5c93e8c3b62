"""Free text from growth forms is saved without control characters.

A terminal escape, a NUL or a bell pasted into a plan has no meaning on a page
and can break exports and the history's diffs; newlines and tabs are kept, and
a browser's \r\n line ends are stored as \n.
"""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django import forms as django_forms
from django.urls import reverse

from growth import forms as growth_forms
from growth.models import Experiment, GrowthPlan, PlanComment, Transition
from growth.review_forms import QuarterlyReviewForm

DIRTY = "\x00\x07abc\x1b"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("\x00\x07abc\x1b", "abc"),
        ("line one\r\nline two\rline three", "line one\nline two\nline three"),
        ("keeps\ttabs\nand newlines", "keeps\ttabs\nand newlines"),
        ("\x1b[31mred\x1b[0m \x7fdel \x85next", "[31mred[0m del next"),
        ("  \x00  ", ""),
    ],
)
def test_plain_text_field_strips_control_characters(typed, stored):
    field = growth_forms.PlainTextField(required=False)

    assert field.clean(typed) == stored


def test_plain_text_field_only_control_characters_is_empty_and_required():
    field = growth_forms.PlainTextField()

    with pytest.raises(django_forms.ValidationError, match="required"):
        field.clean("\x00\x07\x1b")


def test_plain_text_field_counts_length_after_stripping():
    field = growth_forms.PlainTextField(max_length=3)

    assert field.clean("\x00abc\x07") == "abc"


EXPERIMENT = {
    "hypothesis": DIRTY,
    "what_to_try": DIRTY,
    "success_signal": DIRTY,
    "due_date": "2026-10-01",
}


def _experiment() -> Experiment:
    return Experiment(
        hypothesis="h", what_to_try="w", success_signal="s", due_date=date(2026, 10, 1)
    )


@pytest.mark.parametrize(
    ("make_form", "text_fields"),
    [
        (
            lambda: growth_forms.PlanForm({"aspiration": DIRTY, "gap": DIRTY, "version": "0"}),
            ["aspiration", "gap"],
        ),
        (lambda: growth_forms.ExperimentCreateForm(EXPERIMENT), list(EXPERIMENT)[:3]),
        (
            lambda: growth_forms.ExperimentForm(
                {**EXPERIMENT, "status": "done", "learned": DIRTY, "version": "1"},
                instance=_experiment(),
            ),
            [*list(EXPERIMENT)[:3], "learned"],
        ),
        (
            lambda: growth_forms.ExperimentCloseForm(
                {"status": "done", "learned": DIRTY, "version": "1"}
            ),
            ["learned"],
        ),
        (
            lambda: growth_forms.CommitmentForm(
                {
                    "kind": "project",
                    "description": DIRTY,
                    "due_date": "2026-10-01",
                    "status": "open",
                }
            ),
            ["description"],
        ),
        (
            lambda: growth_forms.CommitmentEditForm(
                {
                    "kind": "project",
                    "description": DIRTY,
                    "due_date": "2026-10-01",
                    "status": "open",
                    "version": "1",
                }
            ),
            ["description"],
        ),
        (lambda: growth_forms.CommentForm({"body": DIRTY}), ["body"]),
        (
            lambda: QuarterlyReviewForm(
                {"what_changed": DIRTY, "next_quarter": DIRTY, "manager_note": DIRTY},
                experiments=[],
                quarter="2026-Q3",
                is_manager=True,
                can_close=False,
            ),
            ["what_changed", "next_quarter", "manager_note"],
        ),
    ],
    ids=[
        "plan",
        "experiment-create",
        "experiment-edit",
        "experiment-close",
        "commitment",
        "commitment-edit",
        "comment",
        "review",
    ],
)
def test_every_growth_form_strips_control_characters(db, make_form, text_fields):
    form = make_form()

    assert form.is_valid(), form.errors
    assert {name: form.cleaned_data[name] for name in text_fields} == dict.fromkeys(
        text_fields, "abc"
    )


def test_review_form_experiment_notes_strip_control_characters(org):
    plan = GrowthPlan.objects.create(
        engineer=org.engineer, aspiration="a", gap="g", next_review_due=date(2026, 9, 30)
    )
    experiment = Experiment.objects.create(
        plan=plan, hypothesis="h", what_to_try="w", success_signal="s", due_date=date(2026, 10, 1)
    )
    form = QuarterlyReviewForm(
        {
            "what_changed": "w",
            "next_quarter": "n",
            f"progress_{experiment.pk}": "progressing",
            f"note_{experiment.pk}": "two\r\nlines\x00",
        },
        experiments=[experiment],
        quarter="2026-Q3",
        is_manager=False,
        can_close=True,
    )

    assert form.is_valid(), form.errors
    assert form.progress == {experiment.pk: ("progressing", "two\nlines")}


def test_saved_plan_and_comment_hold_no_control_characters(client, org):
    client.force_login(org.engineer)
    transition = Transition.objects.get(from_level="junior")

    client.post(
        reverse("growth:plan_edit", args=[org.engineer.pk]),
        {
            "aspiration": "Design \x1b[1mablations\x1b[0m\r\nthat isolate one variable",
            "gap": "\x00I change several things per run\x07",
            "transition": str(transition.pk),
            "version": "0",
        },
    )
    plan = GrowthPlan.objects.get(engineer=org.engineer)
    client.post(reverse("growth:comment_create", args=[org.engineer.pk]), {"body": DIRTY})

    assert plan.aspiration == "Design [1mablations[0m\nthat isolate one variable"
    assert plan.gap == "I change several things per run"
    assert PlanComment.objects.get().body == "abc"


def test_every_text_field_of_every_growth_form_is_plain_text():
    # A new form (or field) that forgets PlainTextModelForm / PlainTextField fails here.
    from django.forms import BaseForm

    from growth import review_forms

    checked = []
    for module in (growth_forms, review_forms):
        for form_class in vars(module).values():
            if not (isinstance(form_class, type) and issubclass(form_class, BaseForm)):
                continue
            for name, field in form_class.base_fields.items():
                if isinstance(field, django_forms.CharField):
                    checked.append(f"{form_class.__name__}.{name}")
                    assert isinstance(field, growth_forms.PlainTextField), checked[-1]

    assert "CommentForm.body" in checked
    assert "QuarterlyReviewForm.what_changed" in checked
