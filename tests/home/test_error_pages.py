"""Refusals are pages in the site's layout that say why (403) or say nothing of what
exists (404), for a signed-in person and for nobody signed in."""

from __future__ import annotations

from django.urls import reverse

from tests.growth.builders import engineer_plan


def test_a_refusal_says_which_rule_refused(client, org):
    engineer_plan(org)
    client.force_login(org.manager)

    response = client.get(reverse("growth:plan_edit", kwargs={"person_id": org.engineer.pk}))

    body = response.content.decode()
    assert response.status_code == 403
    assert "You can't do that here" in body
    assert "Only the engineer edits their growth plan." in body
    assert "Nothing was changed." in body
    assert '<nav class="site-nav"' in body  # the site around it, not a bare error


def test_outside_the_reporting_line_is_a_plain_not_found(client, org):
    engineer_plan(org)
    client.force_login(org.other_manager)

    response = client.get(reverse("growth:plan_detail", kwargs={"person_id": org.engineer.pk}))

    body = response.content.decode()
    assert response.status_code == 404
    assert "Nothing here" in body
    assert org.engineer.name not in body


def test_not_found_renders_for_nobody_signed_in(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Nothing here" in response.content.decode()
