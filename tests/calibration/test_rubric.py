"""The rubric: six process dimensions weighted by level, anchors 1–4, edited in the admin
by people ops, read by everyone on one page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from accounts.models import Level
from calibration.models import (
    Anchor,
    CalibrationCycle,
    Contribution,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)
from calibration.rubric_defaults import seed_rubric

KEYS = [
    "experiment-design",
    "evidence-and-statistics",
    "failure-documentation",
    "reproducibility",
    "production-thinking",
    "organizational-leverage",
]
CAREER_CONTENT = [WorkItem, Contribution, CalibrationCycle, CycleMember, Rating, RatingChange]
# Words of outcome-justified ratings: an anchor names behaviour, never how the work turned out.
OUTCOME_WORDS = re.compile(
    r"accuracy|\bsota\b|state of the art|beat the baseline|\bshipped\b|\bwon\b|\bwins?\b",
    re.IGNORECASE,
)


@pytest.fixture
def rubric(db) -> None:
    # The migration seeds these; a transactional test elsewhere may have flushed them.
    seed_rubric(Dimension, Anchor)


def _weights(key: str) -> list[Decimal]:
    d = Dimension.objects.get(key=key)
    return [d.weight_junior, d.weight_mid, d.weight_senior, d.weight_staff]


def test_the_defaults_are_the_six_process_dimensions_in_order(rubric):
    assert list(Dimension.objects.values_list("key", flat=True)) == KEYS
    assert not Dimension.objects.filter(name__icontains="outcome").exists()


@pytest.mark.parametrize(
    ("key", "weights"),
    [
        ("experiment-design", [1, 1, 1, 1]),
        ("evidence-and-statistics", [1, 1, 1, 1]),
        ("failure-documentation", [1, 1, 1, 1]),
        ("reproducibility", [1, 1, 1, 1]),
        ("production-thinking", [0, 1, 1, 1]),
        ("organizational-leverage", [0, 0, 1, 1]),
    ],
)
def test_weights_per_level(rubric, key, weights):
    assert _weights(key) == [Decimal(w) for w in weights]


def test_production_thinking_counts_from_mid_and_leverage_from_senior(rubric):
    counted = {
        level: [d.key for d in Dimension.objects.all() if d.applies_to(level)]
        for level in Level.values
    }

    assert counted["junior"] == KEYS[:4]
    assert counted["mid"] == KEYS[:5]
    assert counted["senior"] == KEYS
    assert counted["staff"] == KEYS


def test_each_dimension_has_an_anchor_for_scores_1_to_4(rubric):
    for dimension in Dimension.objects.all():
        anchors = list(dimension.anchors.order_by("score"))
        assert [a.score for a in anchors] == [1, 2, 3, 4], dimension.key
        assert all(len(a.behaviour) > 60 for a in anchors), dimension.key
        assert len({a.behaviour for a in anchors}) == 4


def test_no_anchor_speaks_of_outcomes(rubric):
    found = [
        (a.dimension.key, a.score, match.group())
        for a in Anchor.objects.select_related("dimension")
        if (match := OUTCOME_WORDS.search(a.behaviour))
    ]

    assert found == []


def test_seeding_again_restores_the_defaults_and_adds_nothing(rubric):
    dimension = Dimension.objects.get(key="reproducibility")
    dimension.name = "Rerunnability"
    dimension.save()
    Anchor.objects.filter(dimension=dimension, score=1).update(behaviour="edited")

    seed_rubric(Dimension, Anchor)

    assert Dimension.objects.count() == 6
    assert Anchor.objects.count() == 24
    dimension.refresh_from_db()
    assert dimension.name == "Reproducibility"
    assert dimension.anchors.get(score=1).behaviour != "edited"


# --- the admin: people ops edit the rubric, and nothing else of calibration ------------


@pytest.mark.parametrize("model", CAREER_CONTENT, ids=lambda m: m.__name__)
def test_calibration_content_is_not_registered_in_the_admin(model):
    assert not admin.site.is_registered(model)


@pytest.mark.parametrize("model", CAREER_CONTENT, ids=lambda m: m.__name__)
def test_admin_has_no_page_for_calibration_content_even_for_a_superuser(client, org, model):
    client.force_login(org.admin)

    response = client.get(f"/admin/calibration/{model._meta.model_name}/")

    assert response.status_code == 404


def test_admin_lists_and_opens_dimensions_with_their_anchors(client, org, rubric):
    client.force_login(org.admin)
    dimension = Dimension.objects.get(key="production-thinking")

    changelist = client.get(reverse("admin:calibration_dimension_changelist"))
    change = client.get(reverse("admin:calibration_dimension_change", args=[dimension.pk]))

    assert changelist.status_code == change.status_code == 200
    body = change.content.decode()
    assert 'name="anchors-TOTAL_FORMS" value="4"' in body
    assert dimension.anchors.get(score=3).behaviour[:40] in body


def test_admin_edits_a_weight_and_an_anchor(client, org, rubric):
    client.force_login(org.admin)
    dimension = Dimension.objects.get(key="organizational-leverage")
    anchors = list(dimension.anchors.order_by("score"))
    data = {
        "name": dimension.name,
        "key": dimension.key,
        "description": dimension.description,
        "order": dimension.order,
        "weight_junior": "0",
        "weight_mid": "0.5",
        "weight_senior": "1",
        "weight_staff": "1.5",
        "anchors-TOTAL_FORMS": "4",
        "anchors-INITIAL_FORMS": "4",
        "anchors-MIN_NUM_FORMS": "0",
        "anchors-MAX_NUM_FORMS": "4",
    }
    for i, anchor in enumerate(anchors):
        data |= {
            f"anchors-{i}-id": anchor.pk,
            f"anchors-{i}-dimension": dimension.pk,
            f"anchors-{i}-score": anchor.score,
            f"anchors-{i}-behaviour": anchor.behaviour,
        }
    data["anchors-3-behaviour"] = "A practice they proposed is the default in three teams."
    url = reverse("admin:calibration_dimension_change", args=[dimension.pk])

    response = client.post(url, data)

    assert response.status_code == 302
    assert _weights("organizational-leverage") == [
        Decimal("0"),
        Decimal("0.5"),
        Decimal("1"),
        Decimal("1.5"),
    ]
    dimension.refresh_from_db()
    assert dimension.applies_to("mid")
    assert dimension.anchors.get(score=4).behaviour.startswith("A practice they proposed")


def test_the_rubric_is_not_editable_by_people_who_are_not_admins(client, org, rubric):
    client.force_login(org.director)

    response = client.get(reverse("admin:calibration_dimension_changelist"))

    assert response.status_code == 302  # to the admin's own sign-in


# --- the rubric page ---------------------------------------------------------------------


def test_rubric_page_shows_dimensions_levels_and_anchors(client, org, rubric):
    client.force_login(org.outsider)

    body = client.get(reverse("calibration:rubric")).content.decode()

    for dimension in Dimension.objects.all():
        assert dimension.name in body
        for anchor in dimension.anchors.all():
            assert f"<dt>Score {anchor.score}</dt><dd>{escape(anchor.behaviour)}</dd>" in body
    assert "Counts for: Mid, Senior, Staff." in body
    assert "Counts for: Senior, Staff." in body
    assert "Counts for: Junior, Mid, Senior, Staff." in body
    assert "There is no outcome dimension" in body


def test_rubric_page_marks_what_counts_at_the_viewers_level(client, org, rubric):
    client.force_login(org.engineer)  # Junior

    body = client.get(reverse("calibration:rubric")).content.decode()

    def heading(key: str) -> str:
        start = body.index(f'id="dimension-{key}-heading"')
        return body[start : body.index("</h2>", start)]

    assert "Counts at your level" in heading("experiment-design")
    assert "Counts at your level" not in heading("production-thinking")
    assert "Counts at your level" not in heading("organizational-leverage")
    assert "At your level (Junior)" in body


@pytest.mark.parametrize("extra", [0, 3])
def test_rubric_page_queries_do_not_grow_with_the_rubric(
    client, org, rubric, django_assert_num_queries, extra
):
    for i in range(extra):
        dimension = Dimension.objects.create(key=f"extra-{i}", name=f"Extra {i}", description="d")
        Anchor.objects.bulk_create(
            Anchor(dimension=dimension, score=s, behaviour="b") for s in (1, 2, 3, 4)
        )
    client.force_login(org.engineer)

    # session, user, roles (the nav), dimensions, anchors
    with django_assert_num_queries(5):
        response = client.get(reverse("calibration:rubric"))

    assert response.status_code == 200
