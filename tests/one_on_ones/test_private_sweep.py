"""A private note's sentence reaches its author and nobody else, anywhere.

Every page of the permission matrix that each other role can reach (GET, 200),
the Django admin site as an admin and a superuser sees it, every calendar feed,
and the 1:1 pages of both members are fetched after the manager wrote a private
note with a unique sentence. The sentence must be in the author's own 1:1 page
and in nothing anyone else receives.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from one_on_ones import services
from tests.matrix import ROLE_FIXTURE
from tests.test_permission_matrix import CASES

SECRET = "Eli mentioned a job offer from Lumen Labs on the quiet"
ENGINEERS_SECRET = "I am weighing the Lumen Labs offer against staying"
OTHER_ROLES = ["person", "peer", "director", "other_manager", "other_director", "admin", "outsider"]


def _private_one_on_one(org: SimpleNamespace):
    today = timezone.localdate()
    one = services.log_one_on_one(
        engineer=org.engineer, manager=org.manager, day=today - timedelta(days=1)
    )
    services.save_shared_notes(one_on_one=one, actor=org.manager, version=1, text="Shared bit")
    services.save_private_note(one_on_one=one, author=org.manager, version=0, body=SECRET)
    services.save_private_note(
        one_on_one=one, author=org.engineer, version=0, body=ENGINEERS_SECRET
    )
    services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Next steps")
    services.log_one_on_one(
        engineer=org.engineer, manager=org.manager, day=today + timedelta(days=7)
    )
    return one


def _fetch(client, org, role: str, url: str) -> str:
    client.force_login(getattr(org, ROLE_FIXTURE[role]))
    response = client.get(url)
    return response.content.decode(errors="replace")


def _sweep_matrix(client, org) -> tuple[list[tuple[str, str]], int]:
    """Fetch every GET case each role other than the author reaches; (leaks, pages seen).

    Each case's builders run in a savepoint rolled back afterwards, as they may
    create objects (another 1:1, a renewed feed) the next case must not see.
    """
    leaks, seen = [], 0
    for case in CASES:
        if case.method != "get" or case.headers:
            continue
        with transaction.atomic():
            url = reverse(case.url_name, kwargs=case.kwargs(org))
            for role in OTHER_ROLES:
                if case.expected[role] != 200:
                    continue
                body = _fetch(client, org, role, url)
                seen += 1
                if SECRET in body or (role != "person" and ENGINEERS_SECRET in body):
                    leaks.append((role, url))
            transaction.set_rollback(True)
    return leaks, seen


def _admin_pages() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    return urls


@pytest.mark.django_db
def test_the_private_sentence_reaches_its_author_only(client, org):
    one = _private_one_on_one(org)
    # Everyone has a calendar feed, so every feed is swept too.
    feeds = {
        role: services.enable_calendar_feed(person=getattr(org, fixture))
        for role, fixture in ROLE_FIXTURE.items()
    }
    org.admin.is_superuser = True
    org.admin.save(update_fields=["is_superuser"])

    leaks, seen = _sweep_matrix(client, org)
    assert seen > 100  # the sweep really went round the app
    for url in _admin_pages():
        if SECRET in _fetch(client, org, "admin", url):
            leaks.append(("admin", url))
    client.logout()
    for role, token in feeds.items():
        body = client.get(reverse("calendar:feed", args=[token])).content.decode()
        if SECRET in body or ENGINEERS_SECRET in body:
            leaks.append((role, "calendar feed"))

    assert leaks == []
    detail = reverse("one_on_ones:detail", args=[one.pk])
    engineer_view = _fetch(client, org, "person", detail)
    assert "Shared bit" in engineer_view
    assert SECRET not in engineer_view
    assert ENGINEERS_SECRET in engineer_view  # the engineer's own note, to them
    assert SECRET in _fetch(client, org, "manager", detail)
    assert ENGINEERS_SECRET not in _fetch(client, org, "manager", detail)
