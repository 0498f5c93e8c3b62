"""API tokens: created and revoked by their person in the browser, stored hashed,
shown once."""

from __future__ import annotations

from django.urls import reverse

from retention.models import ApiToken
from retention.services import hash_token
from tests.retention.builders import a_model


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(client, org):
    client.force_login(org.engineer)

    created = client.post(
        reverse("retention:token_create"), {"name": "nightly training", "expires_in_days": "30"}
    )
    again = client.get(reverse("retention:token_list"))

    raw = created.context["raw_token"]
    token = ApiToken.objects.get()
    assert created.status_code == 200
    assert raw in created.content.decode()
    assert raw not in again.content.decode()
    assert f"{token.prefix}…" in again.content.decode()
    assert token.token_hash == hash_token(raw) and raw not in token.token_hash
    assert (token.person, token.name) == (org.engineer, "nightly training")
    assert "no-store" in created["Cache-Control"]


def test_a_token_works_until_its_person_revokes_it(client, org):
    model = a_model(org)
    client.force_login(org.engineer)
    raw = client.post(
        reverse("retention:token_create"), {"name": "ci", "expires_in_days": ""}
    ).context["raw_token"]
    headers = {"Authorization": f"Bearer {raw}"}
    before = client.get(f"/api/models/{model.pk}", headers=headers)

    revoked = client.post(reverse("retention:token_revoke", args=[ApiToken.objects.get().pk]))
    after = client.get(f"/api/models/{model.pk}", headers=headers)

    assert before.status_code == 200
    assert revoked.status_code == 302
    assert after.status_code == 401
    assert ApiToken.objects.get().expires_at is None  # "Never"


def test_nobody_else_sees_or_revokes_a_persons_tokens(client, org):
    client.force_login(org.engineer)
    client.post(reverse("retention:token_create"), {"name": "mine", "expires_in_days": "90"})
    token = ApiToken.objects.get()

    client.force_login(org.manager)
    listed = client.get(reverse("retention:token_list")).content.decode()
    revoke = client.post(reverse("retention:token_revoke", args=[token.pk]))

    assert "mine" not in listed
    assert revoke.status_code == 404
    assert ApiToken.objects.get().revoked_at is None


def test_a_token_needs_a_name(client, org):
    client.force_login(org.engineer)

    response = client.post(reverse("retention:token_create"), {"name": "", "expires_in_days": "30"})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()
