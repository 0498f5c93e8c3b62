"""Cycles, drafting, results and the export, through the pages each role reaches.

Who gets 404/403 on which URL is in matrix_cycles.py; these tests read what the pages
say: outcome-blind drafting, engineers who never see drafts or others' ratings, bad
input that changes nothing, and query counts that do not grow with the cycle.
"""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import Person
from calibration import services
from calibration.forms import REASON_REQUIRED
from calibration.models import (
    CalibrationCycle,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)
from tests.calibration.matrix_cycles import (
    JUSTIFICATION,
    applicable,
    eli_member,
    open_dana_cycle,
    period,
    publish,
    rate_all,
    work_item,
)
from tests.conftest import make_person

State = CalibrationCycle.State
RESULT_LABELS = [label for _, label in WorkItem.Result.choices]


@pytest.fixture
def cycle(org):
    return open_dana_cycle(org)


@pytest.fixture
def member(org, cycle):
    return eli_member(org)


@pytest.fixture
def item(org):
    return work_item(org)


def _member(cycle: CalibrationCycle, person: Person) -> CycleMember:
    return cycle.members.select_related("cycle", "engineer", "manager").get(engineer=person)


def _rating_data(dimension: Dimension, **overrides) -> dict:
    data = {
        "score": "3",
        "justification": JUSTIFICATION,
        "evidence": [],
    }
    data.update(overrides)
    return {f"d{dimension.pk}-{key}": value for key, value in data.items()}


def _save_url(member: CycleMember, dimension: Dimension) -> str:
    return reverse("calibration:draft_save", args=[member.pk, dimension.pk])


def _text(response) -> str:
    return response.content.decode()


# --- the list ---------------------------------------------------------------------------


def test_cycle_list_shows_each_role_the_cycles_they_take_part_in(client, org, cycle):
    url = reverse("calibration:cycle_list")
    detail = reverse("calibration:cycle_detail", args=[cycle.pk])

    client.force_login(org.director)
    director_page = _text(client.get(url))
    client.force_login(org.other_manager)
    manager_page = _text(client.get(url))
    client.force_login(org.engineer)
    engineer_page = _text(client.get(url))
    client.force_login(org.other_director)
    other_page = _text(client.get(url))

    assert "Cycles you run" in director_page and detail in director_page
    assert "Cycles with people you manage" in manager_page and detail in manager_page
    assert detail not in engineer_page and "No calibration cycles for you yet" in engineer_page
    assert detail not in other_page


def test_an_engineer_finds_their_results_in_the_list_once_published(client, org, cycle, item):
    member = eli_member(org)
    rate_all(member, [item])
    publish(org)
    client.force_login(org.engineer)

    page = _text(client.get(reverse("calibration:cycle_list")))

    assert reverse("calibration:results", args=[member.pk]) in page
    assert reverse("calibration:cycle_detail", args=[cycle.pk]) not in page


# --- opening a cycle ---------------------------------------------------------------------


def test_a_director_opens_a_cycle_over_their_line(client, org):
    start, end = period()
    client.force_login(org.director)

    response = client.post(
        reverse("calibration:cycle_new"),
        {"name": "H2", "period_start": start.isoformat(), "period_end": end.isoformat()},
    )

    cycle = CalibrationCycle.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calibration:cycle_detail", args=[cycle.pk])
    assert (cycle.name, cycle.director, cycle.state) == ("H2", org.director, State.DRAFTING)
    assert set(cycle.members.values_list("engineer__name", flat=True)) == {
        "Mara Manager",
        "Eli Engineer",
        "Priya Peer",
        "Omar Manager",
        "Sam Speech",
    }


def test_an_overlapping_cycle_is_refused_with_the_reason(client, org, cycle):
    start, end = period()
    client.force_login(org.director)

    response = client.post(
        reverse("calibration:cycle_new"),
        {"name": "Again", "period_start": start.isoformat(), "period_end": end.isoformat()},
    )

    assert response.status_code == 200
    assert "is already in “H1” for an overlapping period" in _text(response)
    assert CalibrationCycle.objects.count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(client, org):
    start, end = period()
    client.force_login(org.director)

    response = client.post(
        reverse("calibration:cycle_new"),
        {"name": "Back", "period_start": end.isoformat(), "period_end": start.isoformat()},
    )

    assert response.status_code == 200
    assert "The period ends before it starts." in _text(response)
    assert not CalibrationCycle.objects.exists()


def test_a_manager_without_managers_below_cannot_open_a_cycle(client, org):
    client.force_login(org.manager)

    response = client.get(reverse("calibration:cycle_new"))

    assert response.status_code == 403


# --- the cycle page and moving it forward ------------------------------------------------


def test_the_director_sees_every_member_by_manager_with_draft_progress(client, org, cycle, item):
    member = eli_member(org)
    dimension = applicable(member)[0]
    services.save_draft_rating(
        member=member,
        actor=org.manager,
        dimension=dimension,
        score=3,
        justification=JUSTIFICATION,
        evidence=[item],
    )
    client.force_login(org.director)

    page = _text(client.get(reverse("calibration:cycle_detail", args=[cycle.pk])))

    for name in ("Dana Director", "Mara Manager", "Omar Manager"):
        assert f"Rated by {name}" in page
    assert f"1 of {len(applicable(member))} dimensions" in page
    assert "Sam Speech" in page
    assert JUSTIFICATION not in page  # progress, not drafts


def test_a_manager_sees_only_the_people_below_them(client, org, cycle):
    client.force_login(org.manager)

    page = _text(client.get(reverse("calibration:cycle_detail", args=[cycle.pk])))

    assert "Eli Engineer" in page and "Priya Peer" in page
    assert "Sam Speech" not in page
    assert "Rated by Dana Director" not in page  # Mara's own rating is not hers to follow
    assert reverse("calibration:cycle_advance", args=[cycle.pk]) not in page


def test_the_director_moves_the_cycle_forward(client, org, cycle):
    client.force_login(org.director)

    response = client.post(
        reverse("calibration:cycle_advance", args=[cycle.pk]), {"to": State.CALIBRATING}
    )

    cycle.refresh_from_db()
    assert response.status_code == 302
    assert cycle.state == State.CALIBRATING


@pytest.mark.parametrize(
    ("now", "to"),
    [
        (State.CALIBRATING, State.DRAFTING),
        (State.PUBLISHED, State.CALIBRATING),
        (State.DRAFTING, State.PUBLISHED),  # skipping the session
        (State.DRAFTING, State.DRAFTING),
    ],
)
def test_moving_a_cycle_backwards_or_skipping_is_refused(client, org, cycle, now, to):
    CalibrationCycle.objects.filter(pk=cycle.pk).update(state=now)
    client.force_login(org.director)

    response = client.post(reverse("calibration:cycle_advance", args=[cycle.pk]), {"to": to})

    cycle.refresh_from_db()
    assert response.status_code == 200
    assert "A cycle moves forward one step at a time" in _text(response)
    assert cycle.state == now


# --- drafting ------------------------------------------------------------------------------


def test_the_manager_drafts_a_rating_with_evidence(client, org, member, item):
    dimension = applicable(member)[0]
    client.force_login(org.manager)

    response = client.post(
        _save_url(member, dimension), _rating_data(dimension, evidence=[str(item.pk)])
    )

    rating = Rating.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#dimension-{dimension.pk}")
    assert (rating.draft_score, rating.final_score) == (3, 3)
    assert list(rating.evidence.all()) == [item]


def test_the_draft_page_lists_anchors_and_evidence_of_the_period(client, org, member, item):
    late = work_item(org, title="Late study", days_ago=400)
    theirs = work_item(org, engineer=org.peer, title="Priya's study")
    client.force_login(org.manager)

    page = _text(client.get(reverse("calibration:draft", args=[member.pk])))

    dimensions = applicable(member)
    for dimension in Dimension.objects.all():
        assert (dimension.name in page) == (dimension in dimensions)
    anchor = dimensions[0].anchors.get(score=3)
    assert anchor.behaviour in page
    assert item.title in page and "designed the experiment" in page
    assert late.title not in page and theirs.title not in page


def test_saving_with_htmx_answers_the_dimension_section(client, org, member, item):
    dimension = applicable(member)[0]
    client.force_login(org.manager)

    response = client.post(
        _save_url(member, dimension),
        _rating_data(dimension, evidence=[str(item.pk)]),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "<html" not in _text(response)
    assert f'id="dimension-{dimension.pk}"' in _text(response)
    assert f"{dimension.name} is saved." in _text(response)


def _bad_inputs(org, item):
    outside = work_item(org, title="Last year's study", days_ago=400)
    not_theirs = work_item(org, engineer=org.peer, title="Priya's study")
    ok = [str(item.pk)]
    return {
        "no evidence": ({"evidence": []}, "Cite at least one work item as evidence."),
        "score 5": ({"score": "5", "evidence": ok}, "Choose a score from 1 to 4."),
        "score 0": ({"score": "0", "evidence": ok}, "Choose a score from 1 to 4."),
        "no score": ({"score": "", "evidence": ok}, "Choose a score from 1 to 4."),
        "outside the period": (
            {"evidence": [str(outside.pk)]},
            "Choose evidence from the list: work items from the cycle",
        ),
        "not involving Eli": (
            {"evidence": [str(not_theirs.pk)]},
            "Choose evidence from the list: work items from the cycle",
        ),
        "no justification": ({"justification": "  ", "evidence": ok}, "Say why"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "no evidence",
        "score 5",
        "score 0",
        "no score",
        "outside the period",
        "not involving Eli",
        "no justification",
    ],
)
def test_bad_drafts_show_field_errors_and_save_nothing(client, org, member, item, case):
    overrides, error = _bad_inputs(org, item)[case]
    dimension = applicable(member)[0]
    client.force_login(org.manager)

    response = client.post(_save_url(member, dimension), _rating_data(dimension, **overrides))

    assert response.status_code == 200
    assert error in _text(response)
    assert not Rating.objects.exists()


def test_a_dimension_not_rated_at_the_level_is_not_found(client, org, member, item):
    junior_free = [d for d in Dimension.objects.all() if not d.applies_to(member.engineer.level)]
    client.force_login(org.manager)

    response = client.post(
        _save_url(member, junior_free[0]),
        _rating_data(junior_free[0], evidence=[str(item.pk)]),
    )

    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_locking_before_every_dimension_is_rated_is_refused(client, org, member, item):
    client.force_login(org.manager)

    response = client.post(reverse("calibration:draft_lock", args=[member.pk]))

    member.refresh_from_db()
    assert response.status_code == 200
    assert "Rate every dimension before locking the draft." in _text(response)
    assert member.locked_at is None


def test_after_locking_a_change_needs_a_reason_recorded_as_after_results(client, org, member, item):
    rate_all(member, [item])
    client.force_login(org.manager)
    assert client.post(reverse("calibration:draft_lock", args=[member.pk])).status_code == 302
    dimension = applicable(member)[0]
    change = _rating_data(dimension, score="2", evidence=[str(item.pk)])

    page = _text(client.get(reverse("calibration:draft", args=[member.pk])))
    refused = client.post(_save_url(member, dimension), change)
    unchanged = Rating.objects.get(dimension=dimension)
    accepted = client.post(
        _save_url(member, dimension),
        {**change, f"d{dimension.pk}-reason": "The write-up shows no seeds were fixed"},
    )

    assert "Why change it after seeing results?" in page
    assert refused.status_code == 200 and REASON_REQUIRED in _text(refused)
    assert unchanged.draft_score == 3
    assert accepted.status_code == 302
    rating = Rating.objects.get(dimension=dimension)
    assert (rating.draft_score, rating.changed_after_results) == (2, True)
    history = RatingChange.objects.get()
    assert (history.stage, history.old_score, history.new_score) == (
        RatingChange.Stage.AFTER_RESULTS,
        3,
        2,
    )
    assert "Changed after seeing results" in _text(
        client.get(reverse("calibration:draft", args=[member.pk]))
    )


def test_the_director_reads_a_draft_without_a_form(client, org, member, item):
    rate_all(member, [item])
    client.force_login(org.director)

    page = _text(client.get(reverse("calibration:draft", args=[member.pk])))

    assert JUSTIFICATION in page
    assert "Read only: Mara Manager drafts these ratings." in page
    assert reverse("calibration:draft_lock", args=[member.pk]) not in page


# --- outcome-blind drafting ----------------------------------------------------------------


def _mara_pages(org, cycle, items) -> list[str]:
    eli, priya = _member(cycle, org.engineer), _member(cycle, org.peer)
    urls = [
        reverse("calibration:cycle_list"),
        reverse("calibration:cycle_detail", args=[cycle.pk]),
        reverse("calibration:draft", args=[eli.pk]),
        reverse("calibration:draft", args=[priya.pk]),
        reverse("calibration:cycle_export", args=[cycle.pk]),
        reverse("calibration:results", args=[eli.pk]),
        # The evidence pages, where results are recorded.
        reverse("calibration:work_item_list"),
        reverse("calibration:attribution", args=[org.engineer.pk]),
        reverse("calibration:rubric"),
    ]
    urls += [reverse("calibration:work_item_detail", args=[i.pk]) for i in items]
    return urls


def _reachable(client, urls: list[str]) -> dict[str, str]:
    answers = {url: client.get(url) for url in urls}
    return {url: _text(r) for url, r in answers.items() if r.status_code == 200}


def test_a_drafting_manager_sees_no_result_anywhere_until_their_drafts_are_locked(
    client, org, cycle
):
    items = [
        work_item(org, title="Seed study", result=WorkItem.Result.POSITIVE),
        work_item(org, title="Tokenizer study", result=WorkItem.Result.NEGATIVE),
        work_item(org, engineer=org.peer, title="Label audit", result=WorkItem.Result.INCONCLUSIVE),
    ]
    eli, priya = _member(cycle, org.engineer), _member(cycle, org.peer)
    rate_all(eli, items[:2])
    rate_all(priya, items[2:])
    client.force_login(org.manager)
    urls = _mara_pages(org, cycle, items)

    while_drafting = _reachable(client, urls)
    services.lock_draft(member=eli, actor=org.manager)
    one_locked = _reachable(client, urls)
    services.lock_draft(member=priya, actor=org.manager)
    all_locked = _reachable(client, urls)

    assert len(while_drafting) >= 4  # the list, the cycle and both drafts at least
    for pages in (while_drafting, one_locked):
        leaks = {url: [r for r in RESULT_LABELS if r in text] for url, text in pages.items()}
        assert {url: found for url, found in leaks.items() if found} == {}
    eli_draft = all_locked[reverse("calibration:draft", args=[eli.pk])]
    assert "Positive" in eli_draft and "Negative" in eli_draft
    assert "Inconclusive" in all_locked[reverse("calibration:draft", args=[priya.pk])]


def test_results_stay_hidden_from_a_manager_drafting_in_another_cycle(client, org, cycle):
    item = work_item(org, result=WorkItem.Result.NEGATIVE)
    eli = eli_member(org)
    rate_all(eli, [item])
    publish(org)
    start, end = period()
    services.open_cycle(director=org.director, name="Next", period_start=start, period_end=end)
    client.force_login(org.manager)

    page = _text(client.get(reverse("calibration:results", args=[eli.pk])))

    assert item.title in page
    assert "Negative" not in page


# --- results, once published ---------------------------------------------------------------


@pytest.fixture
def published(org, cycle):
    eli_item = work_item(org, title="Seed study", result=WorkItem.Result.NEGATIVE)
    priya_item = work_item(org, engineer=org.peer, title="Label audit")
    eli, priya = _member(cycle, org.engineer), _member(cycle, org.peer)
    rate_all(eli, [eli_item], score=3)
    for dimension in applicable(priya):
        services.save_draft_rating(
            member=priya,
            actor=org.manager,
            dimension=dimension,
            score=4,
            justification="Priya's own justification",
            evidence=[priya_item],
        )
    services.advance_cycle(cycle=cycle, actor=org.director, to=State.CALIBRATING)
    rating = eli.ratings.first()
    services.change_in_session(
        rating=rating, actor=org.director, score=1, reason="Compared with the other teams"
    )
    services.advance_cycle(cycle=cycle, actor=org.director, to=State.PUBLISHED)
    return eli, priya, rating


def test_results_are_not_found_before_publishing(client, org, member, item):
    rate_all(member, [item])
    client.force_login(org.engineer)

    response = client.get(reverse("calibration:results", args=[member.pk]))

    assert response.status_code == 404


def test_an_engineer_reads_their_final_ratings_never_drafts_or_others(client, org, published):
    eli, priya, changed = published
    client.force_login(org.engineer)

    page = _text(client.get(reverse("calibration:results", args=[eli.pk])))
    draft = client.get(reverse("calibration:draft", args=[eli.pk]))
    others = client.get(reverse("calibration:results", args=[priya.pk]))

    assert f"{changed.dimension.name}: 1 of 4" in page
    assert f"{changed.dimension.name}: 3 of 4" not in page  # the draft score
    assert "Compared with the other teams" not in page
    assert JUSTIFICATION in page and "Seed study" in page and "Negative" in page
    assert "Priya" not in page
    assert draft.status_code == 403 and JUSTIFICATION not in _text(draft)
    assert others.status_code == 404


def test_managers_up_the_line_read_their_reports_results(client, org, published):
    eli, _, _ = published
    url = reverse("calibration:results", args=[eli.pk])

    client.force_login(org.director)
    director = client.get(url)
    client.force_login(org.other_manager)
    other = client.get(url)

    assert director.status_code == 200 and JUSTIFICATION in _text(director)
    assert other.status_code == 404


# --- export ---------------------------------------------------------------------------------


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(_text(response))))


def test_the_director_exports_final_and_draft_ratings(client, org, published):
    eli, priya, changed = published
    client.force_login(org.director)

    response = client.get(reverse("calibration:cycle_export", args=[eli.cycle_id]))

    rows = _csv(response)
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="h1.csv"'
    assert rows[0][:8] == [
        "Engineer",
        "Email",
        "Level",
        "Manager",
        "Dimension",
        "Final score",
        "Draft score",
        "Changed after seeing results",
    ]
    row = next(r for r in rows if r[0] == "Eli Engineer" and r[4] == changed.dimension.name)
    assert (row[5], row[6]) == ("1", "3")
    assert len(rows) == 1 + len(applicable(eli)) + len(applicable(priya))


def test_a_manager_exports_only_their_reports_final_ratings(client, org, published):
    eli, _, _ = published
    client.force_login(org.other_manager)

    rows = _csv(client.get(reverse("calibration:cycle_export", args=[eli.cycle_id])))

    assert "Draft score" not in rows[0]
    assert rows[1:] == []  # Sam was never rated; Eli and Priya are not Omar's


def test_the_export_neutralises_spreadsheet_formulas(client, org, cycle):
    item = work_item(org)
    eli = eli_member(org)
    for dimension in applicable(eli):
        services.save_draft_rating(
            member=eli,
            actor=org.manager,
            dimension=dimension,
            score=3,
            justification="=HYPERLINK(1)",
            evidence=[item],
        )
    client.force_login(org.director)

    rows = _csv(client.get(reverse("calibration:cycle_export", args=[cycle.pk])))

    assert {row[8] for row in rows[1:]} == {"'=HYPERLINK(1)"}


# --- query counts ---------------------------------------------------------------------------


def _grow_cycle(org, extra_engineers: int) -> CalibrationCycle:
    for i in range(extra_engineers):
        make_person(f"e{i}@example.com", f"Extra {i}", manager=org.manager, team=org.vision)
    return open_dana_cycle(org)


@pytest.mark.parametrize("extra", [0, 6])
def test_the_cycle_page_costs_the_same_at_any_size(client, org, extra, django_assert_num_queries):
    cycle = _grow_cycle(org, extra)
    for member in cycle.members.select_related("cycle", "engineer", "manager"):
        if member.manager == org.manager:
            rate_all(member, [work_item(org, engineer=member.engineer)])
    client.force_login(org.director)
    url = reverse("calibration:cycle_detail", args=[cycle.pk])

    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count("Rated by ") == 3


@pytest.mark.parametrize("items", [1, 5])
def test_the_drafting_page_costs_the_same_at_any_size(
    client, org, cycle, items, django_assert_num_queries
):
    evidence = [work_item(org, title=f"Study {i}") for i in range(items)]
    member = eli_member(org)
    rate_all(member, evidence)
    services.save_draft_rating(
        member=member,
        actor=org.manager,
        dimension=applicable(member)[0],
        score=2,
        justification=JUSTIFICATION,
        evidence=evidence,
    )
    client.force_login(org.manager)
    url = reverse("calibration:draft", args=[member.pk])

    with django_assert_num_queries(13):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count('type="checkbox"') == items * len(applicable(member))
