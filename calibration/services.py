"""Writes in calibration. Each asks calibration/rules.py and refuses bad input with a
ValidationError that names the field, saving nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Person
from calibration import rules
from calibration.models import (
    CalibrationCycle,
    Contribution,
    CycleMember,
    Dimension,
    Rating,
    RatingChange,
    WorkItem,
)
from growth.panels import experiments_of

State = CalibrationCycle.State


@dataclass(frozen=True)
class ContributorInput:
    person: Person
    role: str
    share: int | None = None
    statement: str = ""


@transaction.atomic
def add_work_item(
    *,
    actor: Person,
    kind: str,
    title: str,
    day: date,
    result: str,
    contributors: Sequence[ContributorInput],
    link: str = "",
    write_up: str = "",
    linked_experiment_id: int | None = None,
    at: datetime | None = None,
) -> WorkItem:
    """A piece of evidence and who did what on it. Contributors must be in the actor's
    scope (themselves or their reporting subtree)."""
    if not contributors:
        raise ValidationError({"contributors": "Name at least one contributor and their role."})
    visible = set(
        Person.objects.visible_to(actor)
        .filter(pk__in=[c.person.pk for c in contributors])
        .values_list("pk", flat=True)
    )
    outside = [c.person for c in contributors if c.person.pk not in visible]
    if outside:
        raise ValidationError(
            {"contributors": f"{outside[0]} is not in your reporting line: ask their manager."}
        )
    shares = [c.share for c in contributors if c.share is not None]
    if sum(shares) > 100:
        raise ValidationError({"contributors": "Shares of the credit add up to more than 100%."})
    pairs = [(c.person.pk, c.role) for c in contributors]
    if len(set(pairs)) < len(pairs):
        raise ValidationError({"contributors": "The same person is listed twice in one role."})
    if linked_experiment_id is not None and linked_experiment_id not in {
        e.pk for e in experiments_of([c.person for c in contributors])
    }:
        raise ValidationError(
            {"linked_experiment": "Link an experiment from a contributor's growth plan."}
        )
    item = WorkItem.objects.create(
        kind=kind,
        title=title,
        link=link,
        write_up=write_up,
        date=day,
        result=result,
        linked_experiment_id=linked_experiment_id,
        created_by=actor,
        created_at=at or timezone.now(),
    )
    now = at or timezone.now()
    Contribution.objects.bulk_create(
        Contribution(
            work_item=item,
            person=c.person,
            role=c.role,
            share=c.share,
            statement=c.statement,
            # Writing your own contribution is confirming it.
            confirmed_at=now if c.person.pk == actor.pk else None,
        )
        for c in contributors
    )
    return item


@transaction.atomic
def confirm_contribution(
    *, contribution: Contribution, actor: Person, statement: str, at: datetime | None = None
) -> Contribution:
    """The engineer confirms their contribution, or corrects its statement."""
    rules.require(rules.can_confirm(actor, contribution), rules.ONLY_CONTRIBUTOR)
    contribution.statement = statement
    contribution.confirmed_at = at or timezone.now()
    contribution.save(update_fields=["statement", "confirmed_at"])
    return contribution


@transaction.atomic
def open_cycle(
    *,
    director: Person,
    name: str,
    period_start: date,
    period_end: date,
    at: datetime | None = None,
) -> CalibrationCycle:
    """A cycle over everyone active in the director's subtree who has a manager.

    Refused when any of them is already in another unpublished cycle whose period
    overlaps: one person is calibrated once for a stretch of time.
    """
    if period_end < period_start:
        raise ValidationError({"period_end": "The period ends before it starts."})
    people = list(Person.objects.below(director).filter(is_active=True, manager__isnull=False))
    if not people:
        raise ValidationError("Nobody below you to calibrate.")
    clash = (
        CycleMember.objects.filter(engineer__in=people)
        .exclude(cycle__state=State.PUBLISHED)
        .filter(cycle__period_start__lte=period_end, cycle__period_end__gte=period_start)
        .select_related("engineer", "cycle")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            f"{clash.engineer} is already in “{clash.cycle}” for an overlapping period."
        )
    cycle = CalibrationCycle.objects.create(
        name=name,
        director=director,
        period_start=period_start,
        period_end=period_end,
        created_at=at or timezone.now(),
    )
    CycleMember.objects.bulk_create(
        CycleMember(cycle=cycle, engineer=person, manager_id=person.manager_id) for person in people
    )
    return cycle


@transaction.atomic
def advance_cycle(
    *, cycle: CalibrationCycle, actor: Person, to: str, at: datetime | None = None
) -> CalibrationCycle:
    """drafting → calibrating → published, one step at a time, never back."""
    rules.require(rules.can_run_cycle(actor, cycle), rules.ONLY_DIRECTOR)
    order = [str(state) for state in CalibrationCycle.ORDER]
    if to not in order or order.index(to) != order.index(cycle.state) + 1:
        now_in = cycle.get_state_display()
        raise ValidationError(
            {"state": f"A cycle moves forward one step at a time; it is {now_in}."}
        )
    updated = CalibrationCycle.objects.filter(pk=cycle.pk, state=cycle.state).update(
        state=to, published_at=(at or timezone.now()) if to == State.PUBLISHED else None
    )
    if not updated:  # someone moved it a moment ago
        raise ValidationError({"state": "The cycle changed state meanwhile: reload."})
    cycle.refresh_from_db()
    return cycle


def _check_evidence(member: CycleMember, evidence: Sequence[WorkItem]) -> None:
    if not evidence:
        raise ValidationError({"evidence": "Cite at least one work item as evidence."})
    cycle = member.cycle
    involving = set(
        Contribution.objects.filter(
            work_item__in=evidence, person_id=member.engineer_id
        ).values_list("work_item_id", flat=True)
    )
    for item in evidence:
        if not cycle.contains(item.date):
            raise ValidationError({"evidence": f"“{item}” is dated outside the cycle's period."})
        if item.pk not in involving:
            raise ValidationError(
                {"evidence": f"“{item}” does not list {member.engineer} as a contributor."}
            )


def _check_draft_fields(
    member: CycleMember, dimension: Dimension, score: int, justification: str
) -> None:
    if score not in (1, 2, 3, 4):
        raise ValidationError({"score": "Score from 1 to 4."})
    if not justification.strip():
        raise ValidationError({"justification": "Say why, in terms of process."})
    if not dimension.applies_to(member.engineer.level):
        raise ValidationError({"dimension": f"{dimension} is not rated at this level."})


@transaction.atomic
def save_draft_rating(
    *,
    member: CycleMember,
    actor: Person,
    dimension: Dimension,
    score: int,
    justification: str,
    evidence: Sequence[WorkItem],
    reason: str = "",
    at: datetime | None = None,
) -> Rating:
    """The manager's draft rating on one dimension, with its evidence.

    After the draft is locked, a change needs a reason and is recorded as
    "changed after seeing results".
    """
    member.cycle = CalibrationCycle.objects.select_for_update().get(pk=member.cycle_id)
    rules.require(rules.can_draft(actor, member), rules.ONLY_MANAGER)
    _check_draft_fields(member, dimension, score, justification)
    _check_evidence(member, evidence)
    now = at or timezone.now()
    rating = Rating.objects.filter(member=member, dimension=dimension).first()
    locked = member.locked_at is not None
    if locked and not reason.strip():
        raise ValidationError(
            {"reason": "Your draft is locked: say why you change it after seeing results."}
        )
    if rating is None:
        rating = Rating.objects.create(
            member=member,
            dimension=dimension,
            draft_score=score,
            final_score=score,
            justification=justification,
            changed_after_results=locked,
            updated_at=now,
        )
    else:
        old = rating.draft_score
        rating.draft_score = rating.final_score = score
        rating.justification = justification
        rating.changed_after_results = rating.changed_after_results or locked
        rating.version += 1
        rating.updated_at = now
        rating.save()
        if locked:
            RatingChange.objects.create(
                rating=rating,
                actor=actor,
                stage=RatingChange.Stage.AFTER_RESULTS,
                old_score=old,
                new_score=score,
                reason=reason,
                at=now,
            )
    rating.evidence.set(evidence)
    return rating


@dataclass(frozen=True)
class DraftInput:
    dimension: Dimension
    score: int
    justification: str
    evidence: Sequence[WorkItem]


@transaction.atomic
def draft_ratings(
    *,
    member: CycleMember,
    actor: Person,
    drafts: Sequence[DraftInput],
    lock: bool = False,
    at: datetime | None = None,
) -> list[Rating]:
    """A manager's first draft of several dimensions for one engineer, in one save,
    and with `lock` the draft locked as lock_draft does ("save and lock").

    The same checks as save_draft_rating, in a handful of queries whatever the number
    of dimensions. Only for dimensions not rated yet and drafts not locked: changing a
    rating goes through save_draft_rating (and after locking, needs a reason).
    """
    member.cycle = CalibrationCycle.objects.select_for_update().get(pk=member.cycle_id)
    rules.require(rules.can_draft(actor, member), rules.ONLY_MANAGER)
    if member.locked_at is not None:
        raise ValidationError(
            {"reason": "Your draft is locked: change one rating at a time, saying why."}
        )
    dimension_ids = [d.dimension.pk for d in drafts]
    if len(set(dimension_ids)) < len(dimension_ids):
        raise ValidationError({"dimension": "One rating per dimension."})
    for d in drafts:
        _check_draft_fields(member, d.dimension, d.score, d.justification)
        if not d.evidence:
            raise ValidationError({"evidence": "Cite at least one work item as evidence."})
    _check_evidence(member, list({item.pk: item for d in drafts for item in d.evidence}.values()))
    if Rating.objects.filter(member=member, dimension_id__in=dimension_ids).exists():
        raise ValidationError({"dimension": "Already rated: change it on its own."})
    now = at or timezone.now()
    ratings = Rating.objects.bulk_create(
        Rating(
            member=member,
            dimension=d.dimension,
            draft_score=d.score,
            final_score=d.score,
            justification=d.justification,
            updated_at=now,
        )
        for d in drafts
    )
    Through = Rating.evidence.through
    Through.objects.bulk_create(
        Through(rating_id=rating.pk, workitem_id=item.pk)
        for rating, d in zip(ratings, drafts, strict=True)
        for item in dict.fromkeys(d.evidence)
    )
    if lock:
        _lock(member, now)
    return ratings


@transaction.atomic
def lock_draft(*, member: CycleMember, actor: Person, at: datetime | None = None) -> CycleMember:
    """The manager is done drafting this engineer: results become visible to them."""
    member.cycle = CalibrationCycle.objects.select_for_update().get(pk=member.cycle_id)
    rules.require(rules.can_draft(actor, member), rules.ONLY_MANAGER)
    _lock(member, at or timezone.now())
    return member


def _lock(member: CycleMember, now: datetime) -> None:
    applicable = [d.pk for d in Dimension.objects.all() if d.applies_to(member.engineer.level)]
    rated = set(member.ratings.values_list("dimension_id", flat=True))
    if set(applicable) - rated:
        raise ValidationError("Rate every dimension before locking the draft.")
    CycleMember.objects.filter(pk=member.pk, locked_at__isnull=True).update(locked_at=now)
    member.refresh_from_db()


@transaction.atomic
def change_in_session(
    *, rating: Rating, actor: Person, score: int, reason: str, at: datetime | None = None
) -> Rating:
    """The director changes a final rating in the session, with a reason; the draft stays."""
    # Read the state afresh and hold it: the cycle may have moved since the page loaded.
    cycle = CalibrationCycle.objects.select_for_update().get(pk=rating.member.cycle_id)
    rules.require(rules.can_run_cycle(actor, cycle), rules.ONLY_DIRECTOR)
    if cycle.state != State.CALIBRATING:
        raise ValidationError({"state": "Ratings change in the session, while calibrating."})
    if score not in (1, 2, 3, 4):
        raise ValidationError({"score": "Score from 1 to 4."})
    if not reason.strip():
        raise ValidationError({"reason": "Say why the rating changes."})
    if score == rating.final_score:
        return rating
    RatingChange.objects.create(
        rating=rating,
        actor=actor,
        stage=RatingChange.Stage.SESSION,
        old_score=rating.final_score,
        new_score=score,
        reason=reason,
        at=at or timezone.now(),
    )
    Rating.objects.filter(pk=rating.pk).update(final_score=score, version=rating.version + 1)
    rating.refresh_from_db()
    return rating


def draft_visible_to(user: Person, cycle: CalibrationCycle) -> Q:
    """Drafts are read by their author (the member's manager) and the cycle's director."""
    if user.pk == cycle.director_id:
        return Q()
    return Q(member__manager=user)
