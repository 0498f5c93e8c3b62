"""The calibration session: the director's grid, a rating's story and its change, the
cycle's history of changes. Who reaches it is in matrix_session.py; here, what it shows."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Level, Person
from calibration import services
from calibration.models import (
    CalibrationCycle,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)
from calibration.session import GRID_PAGE_SIZE, GridQuery, build_session
from tests.calibration.matrix_cycles import open_dana_cycle, period
from tests.calibration.matrix_session import calibrating_cycle, published_cycle

State = CalibrationCycle.State
HTMX = {"HX-Request": "true"}


@pytest.fixture
def cycle(org) -> CalibrationCycle:
    return calibrating_cycle(org)


def _session_url(cycle: CalibrationCycle, query: str = "") -> str:
    return reverse("calibration:session", args=[cycle.pk]) + query


def _rating_url(rating: Rating) -> str:
    return reverse("calibration:session_rating", args=[rating.pk])


def _names(response) -> list[str]:
    return [row.member.engineer.name for row in response.context["session"].rows]


def _get(client, org, url: str, **kwargs):
    client.force_login(org.director)
    return client.get(url, **kwargs)


# --- who reaches it -------------------------------------------------------------------------


def test_session_shows_the_director_every_engineer_and_dimension(client, org, cycle):
    response = _get(client, org, _session_url(cycle))

    assert response.status_code == 200
    assert _names(response) == [
        "Eli Engineer",
        "Mara Manager",
        "Omar Manager",
        "Priya Peer",
        "Sam Speech",
    ]
    dimensions = [d.name for d in response.context["session"].dimensions]
    assert dimensions == list(Dimension.objects.values_list("name", flat=True))
    for name in dimensions:
        assert name in response.content.decode()


@pytest.mark.parametrize("role", ["manager", "other_manager", "engineer", "other_director"])
def test_session_is_404_for_anyone_but_the_director(client, org, cycle, role):
    client.force_login(getattr(org, role))

    assert client.get(_session_url(cycle)).status_code == 404
    assert client.get(_rating_url(org.rating)).status_code == 404
    assert client.get(reverse("calibration:session_history", args=[cycle.pk])).status_code == 404


def test_session_is_not_open_while_drafting(client, org, caplog):
    drafting = open_dana_cycle(org)

    response = _get(client, org, _session_url(drafting))

    assert response.status_code == 403
    assert "The session opens when the cycle moves to calibrating" in caplog.text


# --- filters and sorting --------------------------------------------------------------------


def test_filter_by_manager(client, org, cycle):
    response = _get(client, org, _session_url(cycle, f"?manager={org.manager.pk}"))

    assert _names(response) == ["Eli Engineer", "Priya Peer"]
    assert "2 of 5 engineers" in response.content.decode()


def test_filter_by_level(client, org, cycle):
    response = _get(client, org, _session_url(cycle, f"?level={Level.SENIOR}"))

    assert _names(response) == ["Mara Manager", "Omar Manager"]


def test_filter_by_team(client, org, cycle):
    response = _get(client, org, _session_url(cycle, f"?team={org.speech.pk}"))

    assert _names(response) == ["Omar Manager", "Sam Speech"]


def test_filters_combine(client, org, cycle):
    query = f"?team={org.vision.pk}&level={Level.MID}"

    assert _names(_get(client, org, _session_url(cycle, query))) == ["Priya Peer"]


def test_a_filter_matching_nobody_says_so(client, org, cycle):
    response = _get(client, org, _session_url(cycle, f"?manager={org.outsider.pk}"))

    assert _names(response) == []
    assert "No engineer in this cycle matches these filters" in response.content.decode()


def test_unparseable_filters_are_ignored(client, org, cycle):
    response = _get(client, org, _session_url(cycle, "?manager=abc&level=wizard&sort=<b>"))

    assert len(_names(response)) == 5


@pytest.mark.parametrize(
    ("sort", "names"),
    [
        ("name", ["Eli", "Mara", "Omar", "Priya", "Sam"]),
        ("-name", ["Sam", "Priya", "Omar", "Mara", "Eli"]),
        # Dana rates Mara and Omar; Mara rates Eli and Priya; Omar rates Sam.
        ("manager", ["Mara", "Omar", "Eli", "Priya", "Sam"]),
        ("-manager", ["Sam", "Eli", "Priya", "Mara", "Omar"]),
        # Junior, Mid, Mid, Senior, Senior: the ladder's order, not the alphabet's.
        ("level", ["Eli", "Priya", "Sam", "Mara", "Omar"]),
        ("-level", ["Mara", "Omar", "Priya", "Sam", "Eli"]),
        ("team", ["Omar", "Sam", "Eli", "Mara", "Priya"]),
        ("-team", ["Eli", "Mara", "Priya", "Omar", "Sam"]),
    ],
)
def test_sort_by_people_columns(client, org, cycle, sort, names):
    response = _get(client, org, _session_url(cycle, f"?sort={sort}"))

    assert [n.split()[0] for n in _names(response)] == names


def test_sort_by_a_dimension_puts_the_unrated_last_both_ways(client, org, cycle):
    key = Dimension.objects.get(key="failure-documentation").key  # Eli 4, Priya 4, Sam 2

    ascending = _get(client, org, _session_url(cycle, f"?sort={key}"))
    descending = _get(client, org, _session_url(cycle, f"?sort=-{key}"))

    assert [n.split()[0] for n in _names(ascending)] == ["Sam", "Eli", "Priya", "Mara", "Omar"]
    assert [n.split()[0] for n in _names(descending)] == ["Eli", "Priya", "Sam", "Mara", "Omar"]


def test_sort_links_keep_the_filters_and_reverse_the_current_sort(client, org, cycle):
    response = _get(client, org, _session_url(cycle, f"?manager={org.manager.pk}&sort=level"))

    html = response.content.decode()
    assert f'href="{_session_url(cycle)}?manager={org.manager.pk}&amp;sort=-level"' in html
    assert 'aria-sort="ascending"' in html


def test_htmx_gets_the_grid_partial_only(client, org, cycle):
    response = _get(client, org, _session_url(cycle, "?sort=-name"), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="grid"')
    assert "Managers side by side" not in html
    assert "HX-Request" in response["Vary"]


def test_grid_controls_work_without_htmx(client, org, cycle):
    html = _get(client, org, _session_url(cycle)).content.decode()

    # The filter form is a plain GET form; every hx-get sits beside an href or action.
    assert re.search(r'<form method="get" action="[^"]+" hx-get=', html)
    for match in re.finditer(r"<a ([^>]*)hx-get=", html):
        assert "href=" in match.group(1)


# --- what the page argues ---------------------------------------------------------------------


def test_flags_explain_themselves_and_link_their_evidence(client, org, cycle):
    html = _get(client, org, _session_url(cycle)).content.decode()
    negative = WorkItem.objects.get(title="Seed variance study")
    late = WorkItem.objects.get(title="Ranker launch")

    assert "Negative result penalised?" in html
    assert "mostly negative results (1 of 1)" in html
    assert "Outcome-justified?" in html
    assert "shipping (“Shipped”)" in html
    assert "the last fifth of the period" in html
    assert "One work item only" in html
    assert reverse("calibration:work_item_detail", args=[negative.pk]) in html
    assert reverse("calibration:work_item_detail", args=[late.pk]) in html


def test_each_manager_gets_a_chart_with_a_text_alternative_and_leniency(client, org, cycle):
    html = _get(client, org, _session_url(cycle)).content.decode()
    summaries = {
        s.manager.name: s
        for s in build_session(cycle, query=GridQuery(), show_results=True).managers
    }

    # Mara: Eli 2, 4, 4, 3 and Priya 4, 4, 4, 4, 4 (Mid: five dimensions) → mean 3.67;
    # Omar: Sam 2 × 5 → 2.0; all 14 scores mean 3.07: Mara lenient, Omar severe.
    mara, omar = summaries["Mara Manager"], summaries["Omar Manager"]
    assert mara.counts == {1: 0, 2: 1, 3: 1, 4: 7}
    assert (mara.leniency.direction, omar.leniency.direction) == ("lenient", "severe")
    assert f"<strong>{mara.leniency.label}</strong>" in html
    assert mara.leniency.label.startswith("lenient: +")
    assert 'role="img" aria-labelledby="manager-' in html
    assert (
        "Mara Manager&#x27;s 9 draft scores for 2 engineers: 0 ones, 1 two, 1 three, 7 fours. "
        "As shares of 1 to 4: 0%, 11%, 11%, 78%; the whole cycle: 0%, 43%, 7%, 50%."
    ) in html
    assert summaries["Dana Director"].rated == 0
    assert "No draft scores yet." in html


def test_the_session_that_only_lowers_is_called_out(client, org, cycle):
    services.change_in_session(
        rating=_rating(cycle, "Priya"), actor=org.director, score=3, reason="r"
    )

    html = _get(client, org, _session_url(cycle)).content.decode()

    assert "changed <strong>1 of 14</strong> ratings: 0 raised, 1 lowered" in html
    assert "This session has only lowered ratings." in html
    assert "Committees lower far more often than they raise" in html


def test_a_session_that_also_raises_is_not_called_out(client, org, cycle):
    services.change_in_session(
        rating=_rating(cycle, "Priya"), actor=org.director, score=3, reason="r"
    )
    services.change_in_session(rating=org.rating, actor=org.director, score=3, reason="r")

    html = _get(client, org, _session_url(cycle)).content.decode()

    assert "1 raised, 1 lowered" in html
    assert "only lowered" not in html


def test_compression_is_named(client, org, cycle):
    # Lower a 4 and raise a 2 toward the middle: the spread shrinks.
    services.change_in_session(
        rating=_rating(cycle, "Priya"), actor=org.director, score=3, reason="r"
    )
    services.change_in_session(
        rating=_rating(cycle, "Sam"), actor=org.director, score=3, reason="r"
    )

    html = _get(client, org, _session_url(cycle)).content.decode()

    assert "The spread shrank:" in html


def test_results_stay_hidden_from_a_director_who_still_drafts(client, org, cycle):
    # Dana also drafts Mara's and Omar's ratings in an earlier cycle, unlocked: outcome-blind.
    start, _ = period()
    services.open_cycle(
        director=org.director,
        name="Earlier",
        period_start=start - timedelta(days=200),
        period_end=start - timedelta(days=10),
    )

    html = _get(client, org, _session_url(cycle)).content.decode()
    rating_html = _get(client, org, _rating_url(org.rating)).content.decode()

    assert "Negative result penalised?" not in html
    assert "Result: Negative" not in rating_html
    assert "Result hidden" in rating_html


# --- a rating and its change ------------------------------------------------------------------


def _rating(cycle: CalibrationCycle, first_name: str) -> Rating:
    """The engineer's rating on the first dimension."""
    return (
        Rating.objects.filter(member__cycle=cycle, member__engineer__name__startswith=first_name)
        .select_related("member__cycle", "member__engineer", "dimension")
        .order_by("dimension__order")[0]
    )


def _post(client, rating: Rating, data: dict, **kwargs):
    """Post a change as the form sends it, with the version the rating is at."""
    rating.refresh_from_db()
    return client.post(_rating_url(rating), {"version": rating.version, **data}, **kwargs)


def test_rating_page_tells_its_story(client, org, cycle):
    changed = Rating.objects.get(changes__stage=RatingChange.Stage.AFTER_RESULTS)

    html = _get(client, org, _rating_url(changed)).content.decode()

    assert "Changed after seeing results" in html
    assert "The write-up was more rigorous than I credited." in html
    assert "Mara Manager" in html
    assert "Result: Negative" in html
    assert "Designed the experiment" in html
    assert 'name="reason"' in html


def test_htmx_gets_the_rating_panel_only(client, org, cycle):
    response = _get(client, org, _rating_url(org.rating), headers=HTMX)

    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<section aria-labelledby="rating-heading"')


def test_a_change_without_a_reason_is_refused_and_nothing_saved(client, org, cycle):
    client.force_login(org.director)

    response = _post(client, org.rating, {"score": "3", "reason": "   "})

    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    org.rating.refresh_from_db()
    assert (org.rating.draft_score, org.rating.final_score) == (2, 2)
    assert not RatingChange.objects.filter(stage=RatingChange.Stage.SESSION).exists()


def test_a_change_to_the_same_score_is_refused(client, org, cycle):
    client.force_login(org.director)

    response = _post(client, org.rating, {"score": "2", "reason": "Same"})

    assert "The final score is already 2" in response.content.decode()
    assert not RatingChange.objects.filter(stage=RatingChange.Stage.SESSION).exists()


def test_a_change_is_recorded_with_who_and_why_and_the_draft_kept(client, org, cycle):
    client.force_login(org.director)
    query = f"?manager={org.manager.pk}&sort=-level"

    response = _post(
        client,
        org.rating,
        {
            "score": "3",
            "reason": "Rigorous negative result.",
            "manager": org.manager.pk,
            "sort": "-level",
        },
    )

    assert response.status_code == 302
    assert response["Location"] == _session_url(cycle, f"{query}#cell-{org.rating.pk}")
    org.rating.refresh_from_db()
    assert (org.rating.draft_score, org.rating.final_score) == (2, 3)
    change = RatingChange.objects.get(stage=RatingChange.Stage.SESSION)
    assert (change.actor, change.old_score, change.new_score) == (org.director, 2, 3)
    assert change.reason == "Rigorous negative result."
    page = client.get(response["Location"]).content.decode()
    assert "final 2 → 3" in page
    assert "draft 2" in page


def test_an_htmx_change_swaps_the_panel_the_cell_and_the_summary(client, org, cycle):
    client.force_login(org.director)

    response = _post(client, org.rating, {"score": "3", "reason": "Rigorous."}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Changed. Eli Engineer" in html
    assert re.search(rf'<template>\s*<td id="cell-{org.rating.pk}"[^>]* hx-swap-oob="true"', html)
    assert re.search(r'<section id="session-effect"[^>]* hx-swap-oob="true">', html)
    assert "1 raised, 0 lowered" in html
    assert "Rigorous." in html  # in the rating's history


def test_a_change_made_meanwhile_is_shown_not_overwritten(client, org, cycle):
    client.force_login(org.director)
    opened_at = Rating.objects.get(pk=org.rating.pk).version
    services.change_in_session(rating=org.rating, actor=org.director, score=3, reason="Tab A")

    response = client.post(
        _rating_url(org.rating), {"score": "4", "reason": "Tab B", "version": opened_at}
    )

    assert response.status_code == 200
    assert "This rating changed since you opened it: its final score is now 3" in (
        response.content.decode()
    )
    org.rating.refresh_from_db()
    assert org.rating.final_score == 3
    assert RatingChange.objects.filter(stage=RatingChange.Stage.SESSION).count() == 1


def test_an_htmx_change_without_a_reason_answers_the_panel_with_the_error(client, org, cycle):
    client.force_login(org.director)

    response = _post(client, org.rating, {"score": "3", "reason": ""}, headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in html
    assert "hx-swap-oob" not in html
    assert not RatingChange.objects.filter(stage=RatingChange.Stage.SESSION).exists()


def test_after_publishing_the_session_is_read_only(client, org, caplog):
    cycle = published_cycle(org)
    client.force_login(org.director)

    page = client.get(_session_url(cycle)).content.decode()
    rating_page = client.get(_rating_url(org.rating)).content.decode()
    response = _post(client, org.rating, {"score": "4", "reason": "Late"})

    assert "read-only" in page
    assert 'name="reason"' not in rating_page
    assert response.status_code == 403
    assert "The cycle is published" in caplog.text
    org.rating.refresh_from_db()
    assert org.rating.final_score == 3


# --- history ----------------------------------------------------------------------------------


def test_history_lists_who_changed_what_and_why(client, org, cycle):
    services.change_in_session(rating=org.rating, actor=org.director, score=3, reason="Rigor.")
    url = reverse("calibration:session_history", args=[cycle.pk])

    everything = _get(client, org, url).content.decode()
    after_results = _get(client, org, url + "?stage=after_results").content.decode()

    assert "2 changes" in everything
    assert "Rigor." in everything and "more rigorous than I credited" in everything
    assert "Dana Director" in everything and "Mara Manager" in everything
    assert "1 change<" in after_results
    assert "Rigor." not in after_results


# --- query counts -----------------------------------------------------------------------------

LEVELS = [Level.JUNIOR, Level.MID, Level.SENIOR, Level.STAFF]


def _big_cycle(org, size: int) -> CalibrationCycle:
    """A calibrating cycle of `size` engineers under Mara and Omar, rated on every
    applicable dimension with two work items each, a few changed: bulk-created."""
    start, end = period()
    teams = [org.vision, org.speech, None]
    people = Person.objects.bulk_create(
        Person(
            email=f"big{size}-{i}@example.com",
            name=f"Engineer {i:03d}",
            manager=org.manager if i % 2 else org.other_manager,
            team=teams[i % 3],
            level=LEVELS[i % 4],
            password="!",
        )
        for i in range(size)
    )
    cycle = CalibrationCycle.objects.create(
        name=f"Big {size}",
        director=org.director,
        period_start=start,
        period_end=end,
        state=State.CALIBRATING,
    )
    members = CycleMember.objects.bulk_create(
        CycleMember(cycle=cycle, engineer=p, manager=p.manager, locked_at=timezone.now())
        for p in people
    )
    items = WorkItem.objects.bulk_create(
        WorkItem(
            kind=WorkItem.Kind.EXPERIMENT,
            title=f"Study {i}",
            date=end - timedelta(days=i % 180),
            result=WorkItem.Result.values[i % 3],
            created_by=org.manager,
        )
        for i in range(2 * size)
    )
    dimensions = list(Dimension.objects.all())
    ratings = Rating.objects.bulk_create(
        Rating(
            member=member,
            dimension=dimension,
            draft_score=1 + (i + d) % 4,
            final_score=1 + (i + d + (i % 5 == 0)) % 4,
            justification="Shipped it." if d == 0 else "Fixed seeds, wrote it up.",
        )
        for i, member in enumerate(members)
        for d, dimension in enumerate(dimensions)
        if dimension.applies_to(member.engineer.level)
    )
    index = {m.pk: i for i, m in enumerate(members)}
    Through = Rating.evidence.through
    Through.objects.bulk_create(
        Through(rating_id=rating.pk, workitem_id=items[2 * index[rating.member_id] + k].pk)
        for rating in ratings
        for k in range(1 + index[rating.member_id] % 2)
    )
    return cycle


@pytest.mark.parametrize("size", [10, 200])
def test_session_grid_queries_do_not_grow_with_the_cycle(
    client, org, size, django_assert_num_queries
):
    cycle = _big_cycle(org, size)
    client.force_login(org.director)

    # Session and user, the cycle, results_hidden_from; dimensions, the cycle's counts
    # (one grouped query), its managers, its levels and teams, how many the filters let
    # through, the page's members with their people, their ratings, the ratings'
    # evidence; the roles (accounts' context processor).
    with django_assert_num_queries(13):
        response = client.get(_session_url(cycle, "?sort=-experiment-design"))

    assert response.status_code == 200
    assert response.context["session"].shown_count == size
    assert len(response.context["session"].rows) == min(size, GRID_PAGE_SIZE)


@pytest.mark.parametrize("size", [10, 200])
def test_filtered_grid_partial_queries_do_not_grow_either(
    client, org, size, django_assert_num_queries
):
    cycle = _big_cycle(org, size)
    client.force_login(org.director)

    with django_assert_num_queries(13):
        response = client.get(_session_url(cycle, f"?manager={org.manager.pk}"), headers=HTMX)

    assert response.content.decode().count('<th scope="row">') == min(size // 2, GRID_PAGE_SIZE)


def test_a_large_grid_is_paged_and_the_statistics_still_cover_everyone(client, org):
    cycle = _big_cycle(org, 120)
    client.force_login(org.director)

    first = client.get(_session_url(cycle))
    second = client.get(_session_url(cycle, "?page=2"))
    last = client.get(_session_url(cycle, "?page=99"))  # past the end: the last page

    body = first.content.decode()
    assert "All 120 engineers, sorted by engineer; showing 1–25 (page 1 of 5)" in body
    assert f'href="/calibration/cycles/{cycle.pk}/session/?page=2#grid"' in body
    assert _names(first)[:2] == ["Engineer 000", "Engineer 001"]
    assert _names(second)[:2] == ["Engineer 025", "Engineer 026"]
    assert _names(last) == [f"Engineer {i:03d}" for i in range(100, 120)]
    assert "showing 101–120 (page 5 of 5)" in last.content.decode()
    # Every page compares the managers over the whole cycle, not over its 25 rows.
    summaries = [(m.manager.name, m.engineers) for m in second.context["session"].managers]
    assert summaries == [("Mara Manager", 60), ("Omar Manager", 60)]
    assert "Flagged ratings on this page" in second.content.decode()


def test_grid_pages_keep_filters_and_sort_and_a_new_filter_starts_at_page_one(client, org):
    cycle = _big_cycle(org, 120)
    client.force_login(org.director)
    query = f"?manager={org.manager.pk}&sort=-name"

    response = client.get(_session_url(cycle, query + "&page=2"))

    body = response.content.decode()
    assert _names(response)[0] == "Engineer 069"  # Mara's 60, by name descending: 26th
    assert "60 of 120 engineers" in body
    assert f"?manager={org.manager.pk}&amp;sort=-name#grid" in body  # back to page 1
    # Sorting from page 2 starts the new order at its first page.
    sort_by_level = f"?manager={org.manager.pk}&amp;sort=level"
    assert f'href="{_session_url(cycle)}{sort_by_level}"' in body


def _cycle_of_many_managers(org, managers: int) -> CalibrationCycle:
    """A calibrating cycle of `managers` managers with two engineers each; manager k
    drafts every score as 1 + k % 4, so some are lenient, some severe, some in line."""
    start, end = period()
    bosses = Person.objects.bulk_create(
        Person(email=f"boss{k}@example.com", name=f"Boss {k:02d}", password="!")
        for k in range(managers)
    )
    people = Person.objects.bulk_create(
        Person(
            email=f"report{k}-{j}@example.com",
            name=f"Report {k:02d}-{j}",
            manager=bosses[k],
            level=Level.SENIOR,
            password="!",
        )
        for k in range(managers)
        for j in range(2)
    )
    cycle = CalibrationCycle.objects.create(
        name="Many managers",
        director=org.director,
        period_start=start,
        period_end=end,
        state=State.CALIBRATING,
    )
    members = CycleMember.objects.bulk_create(
        CycleMember(cycle=cycle, engineer=p, manager=p.manager, locked_at=timezone.now())
        for p in people
    )
    score = {b.pk: 1 + k % 4 for k, b in enumerate(bosses)}
    Rating.objects.bulk_create(
        Rating(
            member=m,
            dimension=d,
            draft_score=score[m.manager_id],
            final_score=score[m.manager_id],
            justification="Fixed seeds.",
        )
        for m in members
        for d in Dimension.objects.all()
    )
    return cycle


def test_many_managers_are_paged_the_furthest_from_the_cycle_first(client, org):
    cycle = _cycle_of_many_managers(org, 15)
    client.force_login(org.director)

    first = client.get(_session_url(cycle))
    rest = client.get(
        _session_url(cycle, "?managers_page=2"), headers={**HTMX, "HX-Target": "managers"}
    )

    body = first.content.decode()
    # Drafts of 1, 3 and 4 are flagged (the cycle's mean is 2.4, SD 1.08: offsets −1.29,
    # +0.55, +1.48); the four managers drafting 2 (−0.37) are in line.
    assert "11 of 15 managers flagged; showing 1–12, the furthest from the cycle" in body
    shown = [s.manager.name for s in first.context["session"].managers]
    assert shown == [
        *("Boss 03", "Boss 07", "Boss 11"),  # +1.48
        *("Boss 00", "Boss 04", "Boss 08", "Boss 12"),  # −1.29
        *("Boss 02", "Boss 06", "Boss 10", "Boss 14"),  # +0.55
        "Boss 01",  # in line, by name
    ]
    assert "?managers_page=2#managers" in body
    # htmx swaps the managers' section alone, with the other three in line.
    page_two = rest.content.decode()
    assert '<section id="managers"' in page_two
    assert 'id="grid"' not in page_two
    assert re.findall(r'<h3 id="manager-\d+">([^<]+)</h3>', page_two) == [
        "Boss 05",
        "Boss 09",
        "Boss 13",
    ]
    assert "HX-Target" in rest["Vary"]
