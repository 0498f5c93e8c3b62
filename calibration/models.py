"""Calibration on process, not outcomes (DOMAIN.md §3).

Ratings score process dimensions (there is no outcome dimension) and cite work
items as evidence. A work item records its result, but the result never enters a
score, and a manager drafting ratings does not see results until they lock their
draft (`results_hidden_from`). A cycle moves drafting → calibrating → published,
never back; every change to a rating after its draft was locked is a
RatingChange with a reason.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Person, PersonOwnedQuerySet

SCORES = (1, 2, 3, 4)


class Dimension(models.Model):
    """A process dimension with a weight per level (0: not rated at that level)."""

    key = models.SlugField(unique=True)
    name = models.CharField(max_length=100)
    description = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    weight_junior = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1"))
    weight_mid = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1"))
    weight_senior = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1"))
    weight_staff = models.DecimalField(max_digits=3, decimal_places=2, default=Decimal("1"))

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return self.name

    def weight_for(self, level: str) -> Decimal:
        return getattr(self, f"weight_{level}", Decimal("0"))

    def applies_to(self, level: str) -> bool:
        return self.weight_for(level) > 0


class Anchor(models.Model):
    """What a score looks like, in behaviour, for one dimension."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="anchors")
    score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    behaviour = models.TextField()

    class Meta:
        ordering = ["dimension__order", "score"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "score"], name="one_anchor_per_score")
        ]

    def __str__(self) -> str:
        return f"{self.dimension}: {self.score}"


class WorkItemQuerySet(models.QuerySet):
    def visible_to(self, user) -> WorkItemQuerySet:
        """Work items with a contributor in the viewer's scope (self or subtree)."""
        people = Person.objects.visible_to(user)
        return self.filter(
            pk__in=Contribution.objects.filter(person__in=people).values("work_item")
        )


class WorkItem(models.Model):
    class Kind(models.TextChoices):
        EXPERIMENT = "experiment", "Experiment"
        PROJECT = "project", "Project"
        INCIDENT = "incident", "Incident"
        INFRASTRUCTURE = "infrastructure", "Infrastructure"

    class Result(models.TextChoices):
        POSITIVE = "positive", "Positive"
        NEGATIVE = "negative", "Negative"
        INCONCLUSIVE = "inconclusive", "Inconclusive"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    link = models.URLField(blank=True)
    write_up = models.TextField(blank=True, max_length=5000)
    date = models.DateField()
    result = models.CharField(max_length=20, choices=Result.choices)
    # A growth-plan experiment this work item is evidence of (optional).
    linked_experiment = models.ForeignKey(
        "growth.Experiment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = WorkItemQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]

    def __str__(self) -> str:
        return self.title


class ContributionQuerySet(PersonOwnedQuerySet):
    owner_path = "person"


class Contribution(models.Model):
    """Who did what on a work item: "who gets the credit" answered by role."""

    class Role(models.TextChoices):
        DESIGNED = "designed", "Designed the experiment"
        FOUND_DATA_ISSUE = "found_data_issue", "Found the data issue"
        BUILT_INFRA = "built_infra", "Built the infrastructure"
        RAN = "ran", "Ran it"
        ANALYSED = "analysed", "Analysed it"
        WROTE_UP = "wrote_up", "Wrote it up"

    work_item = models.ForeignKey(WorkItem, on_delete=models.CASCADE, related_name="contributions")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="contributions"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    share = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Optional share of the credit, in percent.",
    )
    statement = models.TextField(blank=True, max_length=2000)
    # The engineer confirms (or corrects) their own contribution statement.
    confirmed_at = models.DateTimeField(null=True, blank=True)

    objects = ContributionQuerySet.as_manager()

    class Meta:
        ordering = ["work_item", "person__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_item", "person", "role"], name="one_role_per_person_per_item"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_role_display()} on {self.work_item}"


class CalibrationCycle(models.Model):
    class State(models.TextChoices):
        DRAFTING = "drafting", "Drafting"
        CALIBRATING = "calibrating", "Calibrating"
        PUBLISHED = "published", "Published"

    ORDER = [State.DRAFTING, State.CALIBRATING, State.PUBLISHED]

    name = models.CharField(max_length=100)
    director = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="calibration_cycles"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFTING)
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="cycle_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: date) -> bool:
        return self.period_start <= day <= self.period_end

    @property
    def last_fifth_starts(self) -> date:
        """Evidence on or after this day is "late in the period" (the recency flag)."""
        span = (self.period_end - self.period_start).days
        return self.period_start + timedelta(days=span - span // 5)


class CycleMemberQuerySet(PersonOwnedQuerySet):
    owner_path = "engineer"


class CycleMember(models.Model):
    """An engineer in a cycle, and the manager who rates them (fixed when it opens)."""

    cycle = models.ForeignKey(CalibrationCycle, on_delete=models.CASCADE, related_name="members")
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The manager locked their draft for this engineer: results become visible to them,
    # and later changes need a reason.
    locked_at = models.DateTimeField(null=True, blank=True)

    objects = CycleMemberQuerySet.as_manager()

    class Meta:
        ordering = ["engineer__name"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "engineer"], name="one_membership_per_cycle")
        ]

    def __str__(self) -> str:
        return f"{self.engineer} in {self.cycle}"


class RatingQuerySet(PersonOwnedQuerySet):
    owner_path = "member__engineer"


class Rating(models.Model):
    """One engineer's score on one dimension in one cycle: the draft and the final."""

    member = models.ForeignKey(CycleMember, on_delete=models.CASCADE, related_name="ratings")
    dimension = models.ForeignKey(Dimension, on_delete=models.PROTECT, related_name="+")
    draft_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    justification = models.TextField(max_length=3000)
    evidence = models.ManyToManyField(WorkItem, related_name="ratings")
    # Set in the session; equal to the draft until someone changes it.
    final_score = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    changed_after_results = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = RatingQuerySet.as_manager()

    class Meta:
        ordering = ["member", "dimension__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "dimension"], name="one_rating_per_dimension"
            ),
            models.CheckConstraint(
                condition=Q(draft_score__range=(1, 4)) & Q(final_score__range=(1, 4)),
                name="rating_scores_1_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member.engineer} · {self.dimension}: {self.final_score}"


class RatingChange(models.Model):
    """History: who changed a rating, from what to what, when, and why."""

    class Stage(models.TextChoices):
        AFTER_RESULTS = "after_results", "Changed after seeing results"
        SESSION = "session", "Changed in the calibration session"

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    old_score = models.PositiveSmallIntegerField()
    new_score = models.PositiveSmallIntegerField()
    reason = models.TextField(max_length=2000)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.rating}: {self.old_score} → {self.new_score}"
