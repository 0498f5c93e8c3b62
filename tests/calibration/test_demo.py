"""The demo calibration (calibration/demo.py) tells the stories it promises.

In the cycle being calibrated: two managers of clearly different leniency, one
outcome-justified rating, one rigorous negative result rated down, one rating whose
evidence is all from the last weeks, one change after seeing results. Before it, a
published cycle the demo engineer reads through the results page.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from accounts.demo import seed_demo_org
from accounts.models import Person
from calibration import analysis, demo
from calibration.demo import seed_calibration_demo
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
from growth.demo import seed_growth_demo

State = CalibrationCycle.State


@pytest.fixture
def people(db) -> dict[str, Person]:
    # The rubric comes from migration calibration/0002; a flushed database needs it again.
    if not Dimension.objects.exists():
        seed_rubric(Dimension, Anchor)
    org = seed_demo_org()
    seed_growth_demo(org.people)  # Leo's growth experiment is linked as evidence
    assert seed_calibration_demo(org.people) == 2
    return org.people


def ratings_of(cycle: CalibrationCycle) -> list[Rating]:
    return list(
        Rating.objects.filter(member__cycle=cycle)
        .select_related("member__engineer", "member__manager", "dimension")
        .prefetch_related("evidence")
    )


def calibrating() -> CalibrationCycle:
    return CalibrationCycle.objects.get(state=State.CALIBRATING)


def published() -> CalibrationCycle:
    return CalibrationCycle.objects.get(state=State.PUBLISHED)


def who(rating: Rating) -> tuple[str, str]:
    return (rating.member.engineer.email, rating.dimension.key)


def test_two_cycles_run_by_the_demo_director_one_published_one_calibrating(people):
    director = people[demo.DIRECTOR]
    old, current = published(), calibrating()

    assert old.director == current.director == director
    assert old.period_end < current.period_start
    assert old.created_at < old.published_at < current.created_at
    # Everyone below the director is in both, every draft is rated and locked.
    below = Person.objects.below(director).count()
    for cycle in (old, current):
        members = CycleMember.objects.filter(cycle=cycle)
        assert members.count() == below
        assert not members.filter(locked_at__isnull=True).exists()
        for member in members.select_related("engineer"):
            applicable = [d for d in Dimension.objects.all() if d.applies_to(member.engineer.level)]
            assert member.ratings.count() == len(applicable)


def test_every_rating_cites_evidence_from_its_period_that_involves_the_engineer(people):
    for cycle in (published(), calibrating()):
        for rating in ratings_of(cycle):
            items = list(rating.evidence.all())
            assert items, who(rating)
            assert all(cycle.contains(item.date) for item in items), who(rating)
            involved = Contribution.objects.filter(
                work_item__in=items, person=rating.member.engineer
            ).values_list("work_item", flat=True)
            assert set(involved) == {item.pk for item in items}, who(rating)


def test_the_lenient_and_the_severe_manager_differ_past_the_threshold(people):
    ratings = ratings_of(calibrating())
    everyone = [r.draft_score for r in ratings]

    def of(email: str) -> analysis.Leniency:
        result = analysis.leniency(
            [r.draft_score for r in ratings if r.member.manager.email == email], everyone
        )
        assert result is not None
        return result

    lenient, severe = of(demo.LENIENT), of(demo.SEVERE)
    assert lenient.flagged and lenient.direction == "lenient"
    assert severe.flagged and severe.direction == "severe"
    assert lenient.manager_mean >= 3.5 and severe.manager_mean <= 2.5
    assert lenient.offset_sd - severe.offset_sd > 2 * analysis.LENIENCY_THRESHOLD
    # The other two managers are in line: the contrast is the story, not everyone.
    for email in ("tomasz.nowak@example.com", "samuel.mensah@example.com"):
        assert not of(email).flagged, email


def test_the_outcome_flag_fires_on_exactly_the_intended_rating(people):
    flagged = [
        who(r)
        for cycle in (published(), calibrating())
        for r in ratings_of(cycle)
        if analysis.outcome_justified(r.justification)
    ]

    assert flagged == [(demo.DIEGO, "experiment-design")]
    rating = Rating.objects.get(
        member__cycle=calibrating(),
        member__engineer__email=demo.DIEGO,
        dimension__key="experiment-design",
    )
    assert rating.justification == demo.OUTCOME_JUSTIFICATION
    # The lucky tuning win it rests on: a positive result, single seed, no "why".
    sweep = rating.evidence.get(title__startswith="Learning-rate and warmup sweep")
    assert sweep.result == WorkItem.Result.POSITIVE


def test_the_rigorous_negative_result_rated_down_is_flagged_and_only_it(people):
    flagged = [
        r
        for r in ratings_of(calibrating())
        if analysis.negative_result_penalised(
            r.draft_score, [item.result for item in r.evidence.all()]
        )
    ]

    assert [who(r) for r in flagged] == [(demo.FATIMA, "evidence-and-statistics")]
    (rating,) = flagged
    assert rating.draft_score == 2
    study = rating.evidence.get(title__startswith="Pre-registered")
    assert study.result == WorkItem.Result.NEGATIVE
    assert "three seeds" in study.write_up


def test_the_recency_flag_fires_on_the_rating_with_only_late_evidence(people):
    cycle = calibrating()
    flagged = [
        who(r)
        for r in ratings_of(cycle)
        if analysis.recency([item.date for item in r.evidence.all()], cycle.last_fifth_starts)
    ]

    assert flagged == [(demo.KWAME, "reproducibility")]


def test_one_rating_was_changed_after_seeing_results_with_its_reason(people):
    change = RatingChange.objects.get(rating__member__cycle=calibrating())

    assert change.stage == RatingChange.Stage.AFTER_RESULTS
    assert change.actor.email == demo.SEVERE
    assert (change.old_score, change.new_score) == (2, demo.AFTER_RESULTS_SCORE)
    assert change.reason == demo.AFTER_RESULTS_REASON
    assert change.rating.changed_after_results
    assert who(change.rating) == demo.AFTER_RESULTS
    # The session is the director's to hold: no final rating differs from its draft yet.
    assert not Rating.objects.filter(member__cycle=calibrating()).exclude(
        final_score=F("draft_score")
    )


def test_who_did_what_is_answered_by_role(people):
    distilled = WorkItem.objects.get(title="Distilled reranker under a p95 latency budget")
    roles = set(distilled.contributions.values_list("person__email", "role"))

    # Infrastructure built by one person, used by another's experiment.
    assert (demo.JONAS, Contribution.Role.BUILT_INFRA) in roles
    assert (demo.LEO, Contribution.Role.DESIGNED) in roles
    # Leo's growth-plan experiment is linked as evidence of it.
    assert distilled.linked_experiment is not None
    assert distilled.linked_experiment.plan.engineer.email == demo.LEO
    leak = WorkItem.objects.get(title__startswith="Queries leaking")
    assert leak.contributions.get(role=Contribution.Role.FOUND_DATA_ISSUE).person.email == (
        demo.AMARA
    )
    # Engineers confirmed their part; the last weeks' are still waiting.
    assert Contribution.objects.filter(confirmed_at__isnull=False).exists()
    assert Contribution.objects.filter(confirmed_at__isnull=True).exists()


def test_the_published_cycle_kept_drafts_and_its_session_changes(people):
    changes = RatingChange.objects.filter(rating__member__cycle=published())

    assert {c.stage for c in changes} == {RatingChange.Stage.SESSION}
    assert all(c.actor.email == demo.DIRECTOR and c.reason for c in changes)
    effect = analysis.session_effect(
        (r.draft_score, r.final_score) for r in ratings_of(published())
    )
    assert (effect.raised, effect.lowered) == (1, 2)


def test_the_demo_engineer_reads_the_published_cycle_and_nothing_else(client, people):
    leo = people[demo.ENGINEER]
    old = CycleMember.objects.get(cycle=published(), engineer=leo)
    current = CycleMember.objects.get(cycle=calibrating(), engineer=leo)
    lowered = old.ratings.get(dimension__key="experiment-design")
    assert (lowered.draft_score, lowered.final_score) == (4, 3)
    client.force_login(leo)

    listing = client.get(reverse("calibration:cycle_list"))
    results_url = reverse("calibration:results", args=[old.pk])
    assert results_url in listing.content.decode()

    page = client.get(results_url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Experiment design: 3 of 4" in html  # the final, not the draft's 4
    assert "Experiment design: 4 of 4" not in html
    for rating in old.ratings.all():
        assert escape(rating.justification) in html
    # Not the cycle still in calibration, and nobody else's.
    assert client.get(reverse("calibration:results", args=[current.pk])).status_code == 404
    amara = CycleMember.objects.get(cycle=published(), engineer__email=demo.AMARA)
    assert client.get(reverse("calibration:results", args=[amara.pk])).status_code == 404


def test_the_demo_director_holds_the_session(client, people):
    client.force_login(people[demo.DIRECTOR])

    response = client.get(reverse("calibration:session", args=[calibrating().pk]))

    assert response.status_code == 200


def test_an_edited_org_still_seeds_valid_cycles(db):
    # Seeding an org someone has edited before calibration existed: people moved,
    # deactivated or out of the director's line are rated by whoever manages them now.
    if not Dimension.objects.exists():
        seed_rubric(Dimension, Anchor)
    org = seed_demo_org()
    people = org.people
    Person.objects.filter(email=demo.LEO).update(manager=people["tomasz.nowak@example.com"])
    Person.objects.filter(email=demo.AMARA).update(is_active=False)
    Person.objects.filter(email=demo.RAHUL).update(manager=None)
    people = {p.email: p for p in Person.objects.filter(email__in=people)}

    assert seed_calibration_demo(people) == 2

    current = calibrating()
    leo = CycleMember.objects.get(cycle=current, engineer__email=demo.LEO)
    assert leo.manager.email == "tomasz.nowak@example.com" and leo.locked_at
    assert not CycleMember.objects.filter(engineer__email__in=[demo.AMARA, demo.RAHUL])
    for cycle in (published(), current):
        for rating in ratings_of(cycle):
            assert all(cycle.contains(item.date) for item in rating.evidence.all())


def test_seeding_calibration_is_a_bounded_number_of_queries(db):
    # Drafts go in one save per engineer (services.draft_ratings), not one per rating:
    # the whole demo seed stays a few seconds.
    seed_rubric(Dimension, Anchor)
    org = seed_demo_org()
    with CaptureQueriesContext(connection) as queries:
        seed_calibration_demo(org.people)
    assert Rating.objects.count() > 250
    assert len(queries) < 1600
