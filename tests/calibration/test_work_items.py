"""Work items (evidence): scoped lists and pages, adding one with who did what,
confirming a contribution, outcome-blind drafting, and attribution by role."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from calibration import services
from calibration.models import CalibrationCycle, Contribution, Dimension, WorkItem
from calibration.services import ContributorInput
from calibration.views.attribution import six_months_before
from calibration.work_item_forms import OUTSIDE_SCOPE
from growth.models import Experiment, GrowthPlan
from growth.panels import experiments_of

Role = Contribution.Role
TODAY = date(2026, 6, 15)


@pytest.fixture
def today():
    with time_machine.travel(TODAY, tick=False):
        yield TODAY


def add_item(org, *contributors, actor=None, title="Seed study", day=date(2026, 5, 1), **extra):
    defaults = {"kind": WorkItem.Kind.EXPERIMENT, "result": WorkItem.Result.NEGATIVE}
    return services.add_work_item(
        actor=actor or org.manager,
        title=title,
        day=day,
        contributors=list(contributors) or [ContributorInput(org.engineer, Role.DESIGNED)],
        write_up="Five seeds per arm against a tuned baseline.",
        **(defaults | extra),
    )


def form_data(*rows: dict, **fields) -> dict:
    data = {
        "title": "Ablation of the reranker features",
        "kind": "experiment",
        "day": "2026-06-01",
        "result": "negative",
        "link": "",
        "write_up": "Removed one feature group per run, three seeds each.",
        "linked_experiment": "",
        "contributors-TOTAL_FORMS": str(max(len(rows), 1) + 1),  # one row left empty
        "contributors-INITIAL_FORMS": "0",
        "contributors-MIN_NUM_FORMS": "0",
        "contributors-MAX_NUM_FORMS": "20",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"contributors-{i}-{key}"] = "" if value is None else str(value)
    return data | fields


def row(person, role="designed", share=None, statement=""):
    return {"person": person.pk, "role": role, "share": share, "statement": statement}


# --- scope -----------------------------------------------------------------------------


def test_work_items_are_listed_for_the_reporting_line_only(client, org):
    item = add_item(org)
    url = reverse("calibration:work_item_list")
    seen = {}
    for role in ("engineer", "peer", "manager", "other_manager", "director", "outsider"):
        client.force_login(getattr(org, role))
        seen[role] = item.title in client.get(url).content.decode()

    assert seen == {
        "engineer": True,
        "peer": False,
        "manager": True,
        "other_manager": False,
        "director": True,
        "outsider": False,
    }


@pytest.mark.parametrize("role", ["outsider", "peer", "other_manager", "other_director", "admin"])
def test_a_work_item_outside_the_reporting_line_is_404(client, org, role):
    item = add_item(org)
    client.force_login(getattr(org, role))

    response = client.get(reverse("calibration:work_item_detail", args=[item.pk]))

    assert response.status_code == 404


def test_contributions_outside_the_viewers_line_are_counted_not_shown(client, org):
    item = add_item(
        org,
        ContributorInput(org.engineer, Role.DESIGNED, statement="Chose the ablations"),
        ContributorInput(org.other_engineer, Role.BUILT_INFRA, statement="Sam's private words"),
        actor=org.director,
    )
    client.force_login(org.manager)

    body = client.get(reverse("calibration:work_item_detail", args=[item.pk])).content.decode()

    assert "Eli Engineer" in body and "Chose the ablations" in body
    assert "Sam Speech" not in body and "Sam&#x27;s private words" not in body
    assert "And 1 contribution by people outside your reporting line." in body


def test_detail_shows_who_did_what_by_role_and_share(client, org):
    item = add_item(
        org,
        ContributorInput(org.peer, Role.WROTE_UP, share=20),
        ContributorInput(org.engineer, Role.DESIGNED, share=50, statement="Picked the seeds"),
        ContributorInput(org.engineer, Role.ANALYSED, share=30),
    )
    client.force_login(org.manager)

    body = client.get(reverse("calibration:work_item_detail", args=[item.pk])).content.decode()

    # In the order of the work: designed, analysed, wrote up.
    lines = [
        "Eli Engineer</a>: designed the experiment",
        "Eli Engineer</a>: analysed it",
        "Priya Peer</a>: wrote it up",
    ]
    assert [body.index(line) for line in lines] == sorted(body.index(line) for line in lines)
    assert "50% of the credit" in body and "Picked the seeds" in body


# --- adding a work item --------------------------------------------------------------------


def test_a_manager_adds_a_work_item_for_their_report(client, org, today):
    client.force_login(org.manager)

    response = client.post(
        reverse("calibration:work_item_create"),
        form_data(row(org.engineer, "designed", 60, "Designed it"), row(org.peer, "ran", 40)),
    )

    item = WorkItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("calibration:work_item_detail", args=[item.pk])
    assert (item.title, item.result, item.created_by) == (
        "Ablation of the reranker features",
        "negative",
        org.manager,
    )
    assert sorted(item.contributions.values_list("person__name", "role", "share")) == [
        ("Eli Engineer", "designed", 60),
        ("Priya Peer", "ran", 40),
    ]
    # Only the person themselves confirms: listed by the manager, nobody is yet.
    assert not item.contributions.filter(confirmed_at__isnull=False).exists()


def test_an_engineer_adding_their_own_work_has_confirmed_it(client, org, today):
    client.force_login(org.engineer)

    client.post(reverse("calibration:work_item_create"), form_data(row(org.engineer, "ran")))

    assert Contribution.objects.get().confirmed_at is not None


def test_a_contributor_outside_the_reporting_line_is_refused_and_nothing_saved(client, org, today):
    client.force_login(org.manager)

    response = client.post(
        reverse("calibration:work_item_create"),
        form_data(row(org.engineer), row(org.far_engineer, "ran")),
    )

    assert response.status_code == 200
    assert "Choose someone in your reporting line" in response.content.decode()
    assert not WorkItem.objects.exists()
    assert not Contribution.objects.exists()


def test_the_form_offers_only_people_in_the_reporting_line(client, org):
    client.force_login(org.manager)

    body = client.get(reverse("calibration:work_item_create")).content.decode()

    assert "Priya Peer" in body and "Eli Engineer" in body
    assert "Sam Speech" not in body and "Fay Far" not in body


def test_the_service_refuses_a_contributor_outside_scope_with_a_clear_error(org):
    with pytest.raises(ValidationError) as error:
        add_item(org, ContributorInput(org.far_engineer, Role.RAN))

    assert error.value.message_dict == {
        "contributors": ["Fay Far is not in your reporting line: ask their manager."]
    }
    assert not WorkItem.objects.exists()
    assert OUTSIDE_SCOPE.startswith("Choose someone in your reporting line")


def test_shares_over_100_are_refused_and_nothing_saved(client, org, today):
    client.force_login(org.manager)

    response = client.post(
        reverse("calibration:work_item_create"),
        form_data(row(org.engineer, "designed", 60), row(org.peer, "ran", 50)),
    )

    assert response.status_code == 200
    assert "Shares of the credit add up to more than 100%." in response.content.decode()
    assert not WorkItem.objects.exists()


def test_a_share_must_be_between_1_and_100(client, org, today):
    client.force_login(org.manager)

    response = client.post(
        reverse("calibration:work_item_create"), form_data(row(org.engineer, "designed", 101))
    )

    assert response.status_code == 200
    assert "less than or equal to 100" in response.content.decode()
    assert not WorkItem.objects.exists()


def test_the_same_person_twice_in_one_role_is_refused(client, org, today):
    client.force_login(org.manager)

    response = client.post(
        reverse("calibration:work_item_create"),
        form_data(row(org.engineer, "ran"), row(org.engineer, "ran")),
    )

    assert "The same person is listed twice in one role." in response.content.decode()
    assert not WorkItem.objects.exists()


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"day": "2026-06-16"}, "the date can&#x27;t be ahead"),
        ({"write_up": "", "link": ""}, "Give a link or a write-up"),
        ({"title": ""}, "This field is required."),
        ({"result": "success"}, "Select a valid choice."),
    ],
)
def test_bad_work_items_are_refused(client, org, today, fields, error):
    client.force_login(org.engineer)

    response = client.post(
        reverse("calibration:work_item_create"), form_data(row(org.engineer), **fields)
    )

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not WorkItem.objects.exists()


def test_a_work_item_needs_a_contributor(client, org, today):
    client.force_login(org.engineer)

    response = client.post(reverse("calibration:work_item_create"), form_data())

    assert "Name at least one contributor and their role." in response.content.decode()
    assert not WorkItem.objects.exists()


def test_the_form_starts_with_the_person_asked_for(client, org):
    client.force_login(org.manager)
    url = reverse("calibration:work_item_create") + f"?person={org.peer.pk}"

    body = client.get(url).content.decode()

    assert f'<option value="{org.peer.pk}" selected>Priya Peer</option>' in body


# --- a growth-plan experiment as evidence --------------------------------------------------


@pytest.fixture
def experiment(org):
    plan = GrowthPlan.objects.create(
        engineer=org.engineer,
        aspiration="Design an ablation",
        gap="I change several things per run",
        next_review_due=TODAY + timedelta(days=60),
    )
    return Experiment.objects.create(
        plan=plan,
        hypothesis="Fixing the seed halves the variance",
        what_to_try="Three seeds per configuration",
        success_signal="Variance reported",
        due_date=TODAY,
    )


def test_experiments_of_lists_the_peoples_growth_experiments(org, experiment):
    assert experiments_of([org.engineer, org.peer]) == [experiment]
    assert experiments_of([org.peer]) == []


def test_a_contributors_experiment_is_linked_and_shown(client, org, experiment, today):
    client.force_login(org.manager)

    client.post(
        reverse("calibration:work_item_create"),
        form_data(row(org.engineer), linked_experiment=experiment.pk),
    )

    item = WorkItem.objects.get()
    assert item.linked_experiment == experiment
    body = client.get(reverse("calibration:work_item_detail", args=[item.pk])).content.decode()
    assert "Fixing the seed halves the variance" in body


def test_an_experiment_of_someone_not_contributing_is_refused(org, experiment):
    with pytest.raises(ValidationError) as error:
        add_item(org, ContributorInput(org.peer, Role.RAN), linked_experiment_id=experiment.pk)

    assert "linked_experiment" in error.value.message_dict
    assert not WorkItem.objects.exists()


# --- confirming a contribution ----------------------------------------------------------


def test_the_engineer_corrects_and_confirms_their_contribution(client, org, today):
    item = add_item(org, ContributorInput(org.engineer, Role.DESIGNED, statement="Ran it"))
    contribution = item.contributions.get()
    client.force_login(org.engineer)

    response = client.post(
        reverse("calibration:contribution_confirm", args=[contribution.pk]),
        {"statement": "Designed the ablation grid"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith("#contributions")
    contribution.refresh_from_db()
    assert contribution.statement == "Designed the ablation grid"
    assert contribution.confirmed_at is not None


def test_confirming_over_htmx_answers_the_section(client, org):
    contribution = add_item(org).contributions.get()
    client.force_login(org.engineer)

    response = client.post(
        reverse("calibration:contribution_confirm", args=[contribution.pk]),
        {"statement": "Designed it"},
        headers={"HX-Request": "true"},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert '<section id="contributions"' in body
    assert "Confirmed" in body


@pytest.mark.parametrize("role", ["manager", "director"])
def test_someone_else_confirming_is_403_with_the_reason(client, org, role):
    contribution = add_item(org).contributions.get()
    client.force_login(getattr(org, role))

    response = client.post(
        reverse("calibration:contribution_confirm", args=[contribution.pk]),
        {"statement": "Confirmed for them"},
    )

    assert response.status_code == 403
    contribution.refresh_from_db()
    assert contribution.confirmed_at is None
    assert contribution.statement == ""


def test_only_the_contributor_gets_a_confirm_form_on_the_page(client, org):
    item = add_item(org)
    url = reverse("calibration:work_item_detail", args=[item.pk])

    client.force_login(org.engineer)
    mine = client.get(url).content.decode()
    client.force_login(org.manager)
    theirs = client.get(url).content.decode()

    confirm = reverse("calibration:contribution_confirm", args=[item.contributions.get().pk])
    assert confirm in mine
    assert confirm not in theirs


def test_unconfirmed_contributions_are_listed_for_their_person(client, org):
    add_item(org, title="Data-leak audit")
    client.force_login(org.engineer)

    body = client.get(reverse("calibration:work_item_list")).content.decode()

    assert "Your contributions to confirm" in body
    assert "Data-leak audit</a>" in body


# --- outcome-blind drafting -------------------------------------------------------------

RESULT_SHOWN = '<span class="badge">Result: Negative</span>'


@pytest.fixture
def drafting(org, today):
    """A cycle in drafting; Mara rates Eli and Priya on one dimension."""
    Dimension.objects.all().delete()
    dimension = Dimension.objects.create(key="design", name="Experiment design", description="d")
    cycle = services.open_cycle(
        director=org.director,
        name="H1",
        period_start=date(2026, 1, 1),
        period_end=date(2026, 6, 30),
    )
    items = {
        person: add_item(org, ContributorInput(person, Role.DESIGNED), title=f"Study {person}")
        for person in (org.engineer, org.peer)
    }
    return cycle, dimension, items


def _pages(client, org, item) -> dict[str, str]:
    urls = {
        "list": reverse("calibration:work_item_list"),
        "detail": reverse("calibration:work_item_detail", args=[item.pk]),
        "attribution": reverse("calibration:attribution", args=[org.engineer.pk]),
    }
    return {name: client.get(url).content.decode() for name, url in urls.items()}


def test_results_are_hidden_from_a_drafting_manager_until_they_lock(client, org, drafting):
    cycle, dimension, items = drafting
    client.force_login(org.manager)

    before = _pages(client, org, items[org.engineer])

    for member in cycle.members.filter(manager=org.manager):
        services.save_draft_rating(
            member=member,
            actor=org.manager,
            dimension=dimension,
            score=3,
            justification="One variable per run",
            evidence=[items[member.engineer]],
        )
        services.lock_draft(member=member, actor=org.manager)
    after = _pages(client, org, items[org.engineer])

    for name, body in before.items():
        assert "Result: " not in body, name
        assert "Result hidden" in body, name
        assert "Results are hidden from you while you draft" in body, name
    for name, body in after.items():
        assert RESULT_SHOWN in body, name
        assert "Result hidden" not in body, name


def test_results_stay_hidden_while_any_of_the_managers_drafts_is_unlocked(client, org, drafting):
    cycle, dimension, items = drafting
    member = cycle.members.get(engineer=org.engineer)
    services.save_draft_rating(
        member=member,
        actor=org.manager,
        dimension=dimension,
        score=3,
        justification="One variable per run",
        evidence=[items[org.engineer]],
    )
    services.lock_draft(member=member, actor=org.manager)  # Priya's draft is still open
    client.force_login(org.manager)

    body = client.get(reverse("calibration:work_item_detail", args=[items[org.peer].pk]))

    assert "Result: " not in body.content.decode()


def test_the_htmx_section_hides_results_too(client, org, drafting):
    _, _, items = drafting
    client.force_login(org.manager)

    response = client.get(
        reverse("calibration:work_item_detail", args=[items[org.engineer].pk]),
        headers={"HX-Request": "true"},
    )

    assert "Result: " not in response.content.decode()


def test_a_negative_result_is_shown_like_any_other_to_those_not_drafting(client, org, drafting):
    _, _, items = drafting
    add_item(org, title="Lucky tuning win", result=WorkItem.Result.POSITIVE)
    client.force_login(org.engineer)  # drafts nothing

    body = client.get(reverse("calibration:work_item_list")).content.decode()

    assert RESULT_SHOWN in body
    assert '<span class="badge">Result: Positive</span>' in body


def test_the_result_tag_hides_by_default(org, rf):
    from django.template import Context, Template

    item = add_item(org)
    template = Template("{% load evidence %}{% work_item_result item %}")

    assert "Result hidden" in template.render(Context({"item": item}))
    assert "Result hidden" in template.render(Context({"item": item, "show_results": "yes"}))
    assert RESULT_SHOWN in template.render(Context({"item": item, "show_results": True}))


def test_results_show_again_once_the_cycle_moves_on(client, org, drafting):
    cycle, _, items = drafting
    CalibrationCycle.objects.filter(pk=cycle.pk).update(state=CalibrationCycle.State.CALIBRATING)
    client.force_login(org.manager)

    body = client.get(reverse("calibration:work_item_detail", args=[items[org.engineer].pk]))

    assert RESULT_SHOWN in body.content.decode()


# --- attribution ----------------------------------------------------------------------------


def test_six_months_before():
    assert six_months_before(date(2026, 6, 15)) == date(2025, 12, 15)
    assert six_months_before(date(2026, 8, 31)) == date(2026, 2, 28)
    assert six_months_before(date(2026, 1, 1)) == date(2025, 7, 1)


def test_attribution_groups_contributions_in_the_period_by_role(client, org, today):
    add_item(
        org,
        ContributorInput(org.engineer, Role.DESIGNED, share=50),
        ContributorInput(org.engineer, Role.WROTE_UP, share=20),
        title="Seed study",
        day=date(2026, 3, 1),
    )
    add_item(org, ContributorInput(org.engineer, Role.RAN), title="Serving load test")
    add_item(
        org, ContributorInput(org.engineer, Role.DESIGNED), title="Old study", day=date(2025, 1, 5)
    )
    add_item(org, ContributorInput(org.peer, Role.ANALYSED), title="Priya's analysis")
    client.force_login(org.manager)
    url = reverse("calibration:attribution", args=[org.engineer.pk])

    response = client.get(url, {"start": "2026-01-01", "end": "2026-06-30"})

    groups = response.context["attribution"].groups
    assert [(g.label, [c.work_item.title for c in g.contributions]) for g in groups] == [
        ("Designed the experiment", ["Seed study"]),
        ("Ran it", ["Serving load test"]),
        ("Wrote it up", ["Seed study"]),
    ]
    assert response.context["attribution"].work_item_count == 2
    body = response.content.decode()
    assert "3 contributions to 2 work items, 3 not confirmed yet." in body
    assert "Old study" not in body and "Priya" not in body


def test_attribution_defaults_to_the_last_six_months(client, org, today):
    add_item(org, title="Recent", day=date(2026, 1, 10))
    add_item(org, title="Too old", day=date(2025, 12, 1))
    client.force_login(org.engineer)

    response = client.get(reverse("calibration:attribution", args=[org.engineer.pk]))

    attribution = response.context["attribution"]
    assert (attribution.start, attribution.end) == (date(2025, 12, 15), TODAY)
    titles = [c.work_item.title for g in attribution.groups for c in g.contributions]
    assert titles == ["Recent"]


def test_attribution_with_a_backwards_period_says_so_and_shows_the_default(client, org, today):
    client.force_login(org.engineer)

    response = client.get(
        reverse("calibration:attribution", args=[org.engineer.pk]),
        {"start": "2026-06-01", "end": "2026-01-01"},
    )

    assert response.status_code == 200
    assert "The period ends before it starts." in response.content.decode()
    assert response.context["attribution"].start == date(2025, 12, 15)


@pytest.mark.parametrize("role", ["peer", "other_manager", "outsider"])
def test_attribution_outside_the_reporting_line_is_404(client, org, role):
    client.force_login(getattr(org, role))

    response = client.get(reverse("calibration:attribution", args=[org.engineer.pk]))

    assert response.status_code == 404


# --- query counts: flat whatever the page lists ----------------------------------------


def _many(org, n: int) -> None:
    for i in range(n):
        add_item(
            org,
            ContributorInput(org.engineer, Role.DESIGNED),
            ContributorInput(org.peer, Role.RAN),
            ContributorInput(org.other_engineer, Role.BUILT_INFRA),
            actor=org.director,
            title=f"Item {i}",
            day=timezone.localdate() - timedelta(days=i + 1),
        )


@pytest.mark.parametrize("n", [1, 12])
def test_the_list_is_a_fixed_number_of_queries(client, org, django_assert_num_queries, n):
    _many(org, n)
    client.force_login(org.manager)

    # session, user, results hidden?, count, items, their contributions, to confirm,
    # people in scope, roles (the nav)
    with django_assert_num_queries(9):
        response = client.get(reverse("calibration:work_item_list"))

    assert len(response.context["rows"]) == n


@pytest.mark.parametrize("n", [1, 12])
def test_attribution_is_a_fixed_number_of_queries(client, org, django_assert_num_queries, n):
    _many(org, n)
    client.force_login(org.manager)

    # session, user, the person, results hidden?, contributions, roles (the nav)
    with django_assert_num_queries(6):
        response = client.get(reverse("calibration:attribution", args=[org.engineer.pk]))

    assert response.context["attribution"].contribution_count == n


@pytest.mark.parametrize("n", [1, 5])
def test_the_detail_page_is_a_fixed_number_of_queries(client, org, django_assert_num_queries, n):
    people = [org.engineer, org.peer, org.other_engineer, org.manager, org.other_manager][:n]
    item = add_item(org, *(ContributorInput(p, Role.RAN) for p in people), actor=org.director)
    client.force_login(org.director)

    # session, user, the item, its contributions, results hidden?, roles (the nav)
    with django_assert_num_queries(6):
        response = client.get(reverse("calibration:work_item_detail", args=[item.pk]))

    assert len(response.context["contribution_rows"]) == n
