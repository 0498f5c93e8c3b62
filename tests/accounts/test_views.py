from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Person, Team
from accounts.org_tree import CHART_ROWS
from tests.conftest import build_chain_org, make_person


class _OrgTreeParser(HTMLParser):
    """Reads the `.org-tree` nested list back as [(name, [children...]), ...]."""

    def __init__(self) -> None:
        super().__init__()
        self.roots: list = []
        self.lists: list[list] = []  # the open <ul>s: the list each one fills
        self.nodes: list[list] = []  # the open <li>s: [name, children]
        self.in_link = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "ul" and (self.lists or ("class", "org-tree") in attrs):
            self.lists.append(self.nodes[-1][1] if self.lists else self.roots)
        elif self.lists and tag == "li":
            node: list = ["", []]
            self.lists[-1].append(node)
            self.nodes.append(node)
        elif self.lists and tag == "a" and ("class", "org-open") not in attrs:
            self.in_link = True  # the person's name, not the "show reports" link

    def handle_endtag(self, tag: str) -> None:
        if not self.lists:
            return
        if tag == "ul":
            self.lists.pop()
        elif tag == "li":
            self.nodes.pop()
        elif tag == "a":
            self.in_link = False

    def handle_data(self, data: str) -> None:
        if self.in_link:
            self.nodes[-1][0] += data.strip()


def _as_tuples(nodes: list) -> list[tuple[str, list]]:
    return [(name, _as_tuples(children)) for name, children in nodes]


def org_tree(response) -> list[tuple[str, list]]:
    parser = _OrgTreeParser()
    parser.feed(response.content.decode())
    return _as_tuples(parser.roots)


def tree_size(tree: list[tuple[str, list]]) -> int:
    return sum(1 + tree_size(children) for _, children in tree)


def profile_url(person: Person) -> str:
    return reverse("home:person_detail", args=[person.pk])


def big_org(size: int) -> Person:
    """A five-level org under one person who is admin, director and manager at once."""
    top = build_chain_org(size, depth=5)
    Person.objects.filter(pk=top.pk).update(is_staff=True)
    top.refresh_from_db()
    vision, speech = Team.objects.create(name="Vision"), Team.objects.create(name="Speech")
    below = list(Person.objects.below(top).values_list("pk", flat=True))
    Person.objects.filter(pk__in=below[::2]).update(team=vision)
    Person.objects.filter(pk__in=below[1::2]).update(team=speech)
    return top


# Org chart


def test_org_chart_shows_the_directors_subtree_nested(client, org):
    client.force_login(org.director)

    response = client.get(reverse("accounts:org_chart"))

    assert org_tree(response) == [
        (
            "Dana Director",
            [
                ("Mara Manager", [("Eli Engineer", []), ("Priya Peer", [])]),
                ("Omar Manager", [("Sam Speech", [])]),
            ],
        )
    ]
    assertContains(response, "6 people in your reporting line")
    for outsider in ("Olu Director", "Pat Manager", "Fay Far", "Ada Admin", "Otto Outsider"):
        assertNotContains(response, outsider)


def test_org_chart_shows_level_and_team_per_person(client, org):
    client.force_login(org.manager)

    response = client.get(reverse("accounts:org_chart"))

    assertContains(response, "Junior · Vision")
    assertContains(response, "Senior · Vision · 2 direct reports")


def test_org_chart_of_an_engineer_is_just_them(client, org):
    client.force_login(org.engineer)

    response = client.get(reverse("accounts:org_chart"))

    assert org_tree(response) == [("Eli Engineer", [])]
    assertContains(response, "1 person in your reporting line")


def test_org_chart_hides_deactivated_people_and_keeps_their_reports(client, org):
    Person.objects.filter(pk__in=[org.manager.pk, org.other_engineer.pk]).update(is_active=False)
    client.force_login(org.director)

    response = client.get(reverse("accounts:org_chart"))

    assert org_tree(response) == [
        (
            "Dana Director",
            [("Eli Engineer", []), ("Priya Peer", []), ("Omar Manager", [])],
        )
    ]
    assertContains(response, "4 people in your reporting line")


@pytest.mark.parametrize("size", [10, 300])
def test_org_chart_queries_do_not_grow_with_the_org(
    client, db, django_assert_max_num_queries, size
):
    top = big_org(size)
    client.force_login(top)

    # session, user, roles, who reports to whom, the people shown
    with django_assert_max_num_queries(5):
        response = client.get(reverse("accounts:org_chart"))

    assertContains(response, f"{size} people in your reporting line")
    direct_reports = Person.objects.filter(manager=top).count()
    # Whole levels while they fit; beyond that, the first level and links to open the rest.
    shown = size if size <= CHART_ROWS else 1 + direct_reports
    assert tree_size(org_tree(response)) == shown


def test_org_chart_of_a_large_org_opens_level_by_level(client, db):
    top = big_org(300)
    first = Person.objects.filter(manager=top).order_by("name").first()
    client.force_login(top)

    response = client.get(reverse("accounts:org_chart"))

    assert len(response.content) < 40_000
    assert [children for _, children in org_tree(response)[0][1]][0] == []
    assertContains(
        response,
        f'<a class="org-open" href="?open={first.pk}#person-{first.pk}"'
        f' hx-get="{reverse("accounts:org_chart")}?open={first.pk}" hx-target="this"'
        f' hx-swap="outerHTML">Show reports<span class="visually-hidden"> of {first.name}'
        "</span></a>",
        html=True,
    )


def test_org_chart_link_opens_the_line_down_to_a_person(client, db):
    top = big_org(300)
    first = Person.objects.filter(manager=top).order_by("name").first()
    second = Person.objects.filter(manager=first).order_by("name").first()
    below_second = list(Person.objects.filter(manager=second).values_list("name", flat=True))
    client.force_login(top)

    response = client.get(reverse("accounts:org_chart"), {"open": second.pk})

    ((_, level_one),) = org_tree(response)
    opened = dict(level_one)[first.name]
    assert [name for name, _ in opened] == [second.name]
    assert sorted(name for name, _ in dict(opened)[second.name]) == sorted(below_second)


def test_org_chart_htmx_gets_just_the_branch(client, db):
    top = big_org(300)
    first = Person.objects.filter(manager=top).order_by("name").first()
    client.force_login(top)

    response = client.get(
        reverse("accounts:org_chart"), {"open": first.pk}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assertNotContains(response, "<html")
    for report in Person.objects.filter(manager=first):
        assertContains(response, f'<li id="person-{report.pk}">')
    assert "HX-Request" in response["Vary"]


@pytest.mark.parametrize(("viewer", "target"), [("director", "far_engineer"), ("engineer", "peer")])
def test_org_chart_will_not_open_anyone_outside_the_line(client, org, viewer, target):
    client.force_login(getattr(org, viewer))

    response = client.get(reverse("accounts:org_chart"), {"open": getattr(org, target).pk})

    assert response.status_code == 404


def test_org_chart_renders_a_chain_120_levels_deep(client, db):
    top = make_person("chain0@example.com", "Chain 0")
    manager = top
    for i in range(1, 121):
        manager = make_person(f"chain{i}@example.com", f"Chain {i}", manager=manager)
    client.force_login(top)

    first_page = client.get(reverse("accounts:org_chart"))
    response = client.get(reverse("accounts:org_chart"), {"open": manager.pk})

    assert tree_size(org_tree(first_page)) <= CHART_ROWS
    assert response.status_code == 200
    tree = org_tree(response)
    depth = 0
    while tree:
        assert len(tree) == 1
        assert tree[0][0] == f"Chain {depth}"
        tree = tree[0][1]
        depth += 1
    assert depth == 121
