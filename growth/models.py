from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import Level, PersonOwnedQuerySet, duration
from growth.quarters import Quarter

# A quarter, for cadence and stagnation windows. Reviews are due three calendar
# months apart (see services); "the last two quarters" is 2 x 91 days.
QUARTER_DAYS = 91
REVIEW_DUE_SOON_DAYS = 14


class LevelPolicy(models.Model):
    """Org settings for one level of the ladder (admin-editable)."""

    level = models.CharField(max_length=10, choices=Level.choices, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)
    description = models.TextField(blank=True)
    expected_dwell_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="How long someone is expected to stay at this level before the next "
        "transition. Longer than this with no plan progress is stagnation. Empty: no limit.",
    )

    class Meta:
        ordering = ["order"]
        verbose_name = "level"

    def __str__(self) -> str:
        return self.get_level_display()

    @property
    def expected_dwell(self) -> str | None:
        """The expected time at this level in words, or None for no limit."""
        days = self.expected_dwell_days
        return duration(days) if days is not None else None


class Transition(models.Model):
    """One of the three transitions and the kind of support it needs."""

    from_level = models.CharField(max_length=10, choices=Level.choices, unique=True)
    to_level = models.CharField(max_length=10, choices=Level.choices)
    focus = models.CharField(max_length=100, help_text='What to teach, e.g. "experiment design".')
    summary = models.TextField(blank=True, help_text="What the move is about.")
    support = models.TextField(help_text="The support a manager gives someone at this transition.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return f"{self.get_from_level_display()} → {self.get_to_level_display()}: {self.focus}"

    @property
    def name(self) -> str:
        return f"{self.get_from_level_display()} → {self.get_to_level_display()}"


class Competency(models.Model):
    transition = models.ForeignKey(
        Transition, on_delete=models.CASCADE, related_name="competencies"
    )
    name = models.CharField(max_length=150)
    behaviours = models.TextField(help_text="Observable behaviours, one per line.")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["transition__order", "order", "pk"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return self.name

    @property
    def behaviour_list(self) -> list[str]:
        return [line.strip() for line in self.behaviours.splitlines() if line.strip()]


class GrowthPlanQuerySet(PersonOwnedQuerySet):
    owner_path = "engineer"


class PlanPartQuerySet(PersonOwnedQuerySet):
    """Experiments, commitments, comments, reviews, history: they belong to the plan's engineer."""

    owner_path = "plan__engineer"


class GrowthPlan(models.Model):
    """The engineer's 12-month plan. Only the engineer edits its text and experiments."""

    engineer = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="growth_plan"
    )
    transition = models.ForeignKey(
        Transition, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    aspiration = models.TextField(
        "What do you want to be able to do in 12 months that you can't do now?",
        max_length=2000,
    )
    gap = models.TextField("What is the gap between now and that?", max_length=2000)
    next_review_due = models.DateField()
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GrowthPlanQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Growth plan of {self.engineer}"

    @property
    def review_state(self) -> str:
        """'overdue', 'due' (within two weeks) or 'scheduled'."""
        today = timezone.localdate()
        if self.next_review_due < today:
            return "overdue"
        if self.next_review_due <= today + timedelta(days=REVIEW_DUE_SOON_DAYS):
            return "due"
        return "scheduled"


class Experiment(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        ABANDONED = "abandoned", "Abandoned"

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="experiments")
    hypothesis = models.TextField(max_length=1000)
    what_to_try = models.TextField("What will be tried", max_length=1000)
    success_signal = models.TextField("How success will be recognised", max_length=1000)
    due_date = models.DateField("Timebox / due date")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    learned = models.TextField("What was learned", max_length=2000, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.hypothesis[:60]

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.ABANDONED)


class PlanComment(models.Model):
    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Comment by {self.author} on {self.plan}"


class SupportCommitment(models.Model):
    """What the manager commits to: the right project, feedback or exposure."""

    class Kind(models.TextChoices):
        PROJECT = "project", "The right project"
        FEEDBACK = "feedback", "The right feedback"
        EXPOSURE = "exposure", "The right exposure"

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="commitments")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="support_commitments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    description = models.TextField(max_length=1000)
    due_date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"


class QuarterlyReview(models.Model):
    """A submitted quarterly review; `snapshot` is the whole plan as it stood."""

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="reviews")
    quarter = models.CharField(max_length=7, help_text='e.g. "2026-Q4"')
    due_date = models.DateField()
    submitted_at = models.DateTimeField(default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    what_changed = models.TextField("What changed this quarter", max_length=2000)
    next_quarter = models.TextField("Next quarter's experiments", max_length=2000)
    manager_note = models.TextField("Manager's note", max_length=2000, blank=True)
    # True when any experiment moved forward this quarter; stagnation reads it.
    made_progress = models.BooleanField(default=False)
    snapshot = models.JSONField()

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "quarter"], name="one_review_per_quarter")
        ]

    def __str__(self) -> str:
        return f"{self.period} review of {self.plan.engineer}"

    @property
    def period(self) -> Quarter:
        """The quarter reviewed, as a value: `{{ review.period }}` reads "Q3 2026"."""
        return Quarter.parse(self.quarter)


class PlanChange(models.Model):
    """History: who changed what on a plan, and when."""

    plan = models.ForeignKey(GrowthPlan, on_delete=models.CASCADE, related_name="changes")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    subject = models.CharField(max_length=20)  # plan, experiment, commitment, review, comment
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    action = models.CharField(max_length=20)  # created, updated, reordered, closed, submitted
    summary = models.CharField(max_length=300)
    # {"field label": [old, new]} for updates.
    diff = models.JSONField(default=dict, blank=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return self.summary


def question(model: type[models.Model], field_name: str) -> str:
    """A field's question or label as the model states it, so no page retypes it."""
    field = model._meta.get_field(field_name)
    assert isinstance(field, models.Field)
    return str(field.verbose_name)


def plan_questions() -> dict[str, str]:
    """The plan's and the review's questions by field name, for pages and diffs."""
    return {
        "aspiration": question(GrowthPlan, "aspiration"),
        "gap": question(GrowthPlan, "gap"),
        "what_changed": question(QuarterlyReview, "what_changed"),
        "next_quarter": question(QuarterlyReview, "next_quarter"),
        "manager_note": question(QuarterlyReview, "manager_note"),
    }


def quarter_label(day: date) -> str:
    return Quarter.of(day).label
