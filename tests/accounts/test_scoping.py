from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Person
from tests.conftest import build_chain_org


def test_visible_to_is_self_and_subtree(org):
    visible = set(Person.objects.visible_to(org.director).values_list("email", flat=True))
    assert visible == {
        "dana@example.com",
        "mara@example.com",
        "eli@example.com",
        "priya@example.com",
        "omar@example.com",
        "sam@example.com",
    }


def test_engineer_sees_only_themselves(org):
    assert list(Person.objects.visible_to(org.engineer)) == [org.engineer]


def test_manager_does_not_see_peer_managers_reports(org):
    visible = set(Person.objects.visible_to(org.manager))
    assert org.other_engineer not in visible
    assert org.director not in visible
    assert visible == {org.manager, org.engineer, org.peer}


@pytest.mark.parametrize("size", [10, 1000])
def test_visible_to_returns_exact_subtree_of_five_levels_in_one_query(db, size):
    top = build_chain_org(size, depth=5)
    deepest = Person.objects.order_by("-pk").first()
    # Walk up from the deepest person by hand to know the chain depth for sure.
    chain, p = [], deepest
    while p.manager_id:
        p = Person.objects.get(pk=p.manager_id)
        chain.append(p)
    assert len(chain) == 4

    with CaptureQueriesContext(connection) as ctx:
        ids = set(Person.objects.visible_to(top).values_list("pk", flat=True))
    assert len(ctx.captured_queries) == 1
    assert len(ids) == size

    middle = chain[1]  # two levels above the deepest person
    with CaptureQueriesContext(connection) as ctx:
        mid_ids = set(Person.objects.visible_to(middle).values_list("pk", flat=True))
    assert len(ctx.captured_queries) == 1
    expected = {middle.pk}
    frontier = {middle.pk}
    while frontier:
        frontier = set(Person.objects.filter(manager_id__in=frontier).values_list("pk", flat=True))
        expected |= frontier
    assert mid_ids == expected
    assert deepest.pk in mid_ids
    assert top.pk not in mid_ids


def test_anonymous_sees_nobody(org):
    from django.contrib.auth.models import AnonymousUser

    assert not Person.objects.visible_to(AnonymousUser()).exists()
