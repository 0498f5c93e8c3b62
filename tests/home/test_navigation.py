"""The main navigation names each role's places, and only those."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse


def _nav(client, person) -> list[str]:
    client.force_login(person)
    html = client.get(reverse("home")).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    return re.findall(r">([^<>]+)</a>", nav)


@pytest.mark.parametrize(
    ("role", "shown", "hidden"),
    [
        ("engineer", ["My plan", "1:1s", "Models"], ["My org", "Retention", "Job health"]),
        ("manager", ["My org", "Retention", "Models"], ["Job health", "Org setup"]),
        ("director", ["My org", "Retention", "Job health"], ["Org setup"]),
        ("admin", ["Job health", "Org setup"], ["Retention", "My org"]),
    ],
)
def test_each_role_sees_its_places(client, org, role, shown, hidden):
    links = _nav(client, getattr(org, role))

    assert set(shown) <= set(links)
    assert not set(hidden) & set(links)


def test_the_retention_dashboard_is_the_current_place_on_its_pages(client, org):
    client.force_login(org.director)
    html = client.get(reverse("retention:dashboard")).content.decode()

    assert re.search(r'aria-current="page">Retention</a>', html)
    assert not re.search(r'aria-current="page">Models</a>', html)
