"""Without JavaScript the coach cannot speak while typing: every coached form says its
advice after a plain submit instead, naming the field, and never blocks the save."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from growth.models import Experiment, PlanComment, QuarterlyReview, SupportCommitment
from tests.growth.test_plans import (
    commitment_post,
    experiment_edit_post,
    experiment_post,
    make_experiment,
    make_plan,
    url,
)
from tests.growth.test_reviews import create_url, review_data
from tests.growth.test_reviews import make_plan as make_due_plan

VAGUE = "I want to show more ownership"


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield


def test_experiment_form_advice_after_plain_submit(client, org):
    make_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_create", org.engineer.pk), experiment_post(what_to_try=VAGUE), follow=True
    )

    assert Experiment.objects.filter(what_to_try=VAGUE).exists()
    assertContains(response, "Coach on “What will be tried”")
    assertContains(response, "more ownership")


def test_experiment_edit_advice_after_plain_submit(client, org):
    experiment = make_experiment(make_plan(org.engineer), "Reproduce the baseline")
    client.force_login(org.engineer)

    response = client.post(
        url("experiment_edit", experiment.pk),
        experiment_edit_post(experiment, success_signal=VAGUE),
        follow=True,
    )

    assertContains(response, "Coach on “How success will be recognised”")


def test_commitment_form_advice_after_plain_submit(client, org):
    make_plan(org.engineer)
    client.force_login(org.manager)

    response = client.post(
        url("commitment_create", org.engineer.pk),
        commitment_post(description="Help Eli step up"),
        follow=True,
    )

    assert SupportCommitment.objects.filter(description="Help Eli step up").exists()
    assertContains(response, "Coach on “Description”")
    assertContains(response, "step up")


def test_comment_form_advice_after_plain_submit(client, org):
    make_plan(org.engineer)
    client.force_login(org.director)

    response = client.post(
        url("comment_create", org.engineer.pk), {"body": "Needs more impact"}, follow=True
    )

    assert PlanComment.objects.filter(body="Needs more impact").exists()
    assertContains(response, "Coach on “Comment”")


def test_review_form_advice_after_plain_submit(client, org):
    make_due_plan(org.engineer)
    client.force_login(org.engineer)

    response = client.post(
        create_url(org.engineer), review_data(what_changed="I showed more impact"), follow=True
    )

    assert QuarterlyReview.objects.count() == 1
    assertContains(response, "Coach on “What changed")


def test_specific_text_gets_no_advice(client, org):
    make_plan(org.engineer)
    client.force_login(org.director)

    response = client.post(
        url("comment_create", org.engineer.pk),
        {"body": "Ran the ablation with three seeds and reported the variance"},
        follow=True,
    )

    assertNotContains(response, "Coach on")


def test_htmx_submit_gets_no_advice_message(client, org):
    # The coach already spoke beside the field; a message would repeat it on the next page.
    make_plan(org.engineer)
    client.force_login(org.director)

    client.post(
        url("comment_create", org.engineer.pk),
        {"body": "Needs more impact"},
        headers={"HX-Request": "true"},
    )
    response = client.get(reverse("home"))

    assertNotContains(response, "Coach on")
