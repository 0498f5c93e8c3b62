"""Retention (DOMAIN.md §4): "not learning anymore" and "their work isn't used", measured.

- Problem types (admin-editable) and each engineer's assignment history: what they
  worked on, from when to when, so a manager sees a timeline and what to rotate to.
- The model registry: models / training runs with owners, a purpose (research or
  production) and a status machine (planned → training → trained → deployed, or
  archived with a reason). A production run moves to training only with a deployment
  plan approved by an owner's manager: the deployment gate (`RegisteredModel.gate`).
- The graveyard audit: models trained more than N days ago (GraveyardSettings,
  admin-editable) and neither deployed nor archived with a reason. Each run is kept
  with its findings and the graveyard rate per team and per engineer, for trends.
- API tokens for ML pipelines: stored as a SHA-256 hash, shown once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Person, PersonOwnedQuerySet, Team, duration

DEFAULT_GRAVEYARD_DAYS = 60


class ProblemType(models.Model):
    """A kind of problem an engineer works on: RAG, serving infrastructure, evals…"""

    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class AssignmentQuerySet(PersonOwnedQuerySet):
    owner_path = "engineer"


class Assignment(models.Model):
    """One stretch of an engineer's work on one problem type and project."""

    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments"
    )
    problem_type = models.ForeignKey(ProblemType, on_delete=models.PROTECT, related_name="+")
    project = models.CharField(max_length=200)
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True, help_text="Empty while it goes on.")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["engineer", "started_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_dates_in_order",
            ),
            # One assignment goes on at a time: a new one ends the current one.
            models.UniqueConstraint(
                fields=["engineer"],
                condition=Q(ended_on__isnull=True),
                name="one_current_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.engineer}: {self.problem_type} ({self.project})"

    def days(self, today: date | None = None) -> int:
        return ((self.ended_on or today or timezone.localdate()) - self.started_on).days


class Purpose(models.TextChoices):
    RESEARCH = "research", "Research"
    PRODUCTION = "production", "Production"


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    TRAINING = "training", "Training"
    TRAINED = "trained", "Trained"
    DEPLOYED = "deployed", "Deployed"
    ARCHIVED = "archived", "Archived"


# The badge a status wears in lists (templates/retention/): computed once per row in
# Python rather than by a template `if` chain per row.
STATUS_BADGE: dict[str, str] = {Status.DEPLOYED: "badge-ok", Status.TRAINED: "badge-warn"}


def model_age_days(trained_on: date | None, created_at, today: date | None = None) -> int:
    """Days since a model was trained, or since it was registered if not trained yet."""
    today = today or timezone.localdate()
    return (today - (trained_on or timezone.localdate(created_at))).days


# The status machine: where each status may move next. Archiving (with a reason) is
# its own action, from any status but archived.
NEXT_STATUS: dict[str, str] = {
    Status.PLANNED: Status.TRAINING,
    Status.TRAINING: Status.TRAINED,
    Status.TRAINED: Status.DEPLOYED,
}


class RegisteredModelQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegisteredModelQuerySet:
        """Models with an owner in the viewer's scope (themselves or their subtree)."""
        people = Person.objects.visible_to(user)
        return self.filter(pk__in=ModelOwner.objects.filter(person__in=people).values("model"))


@dataclass(frozen=True)
class GateDecision:
    """The deployment gate's answer for one model: allowed, or denied with reasons."""

    allowed: bool
    reasons: list[str] = field(default_factory=list)


class RegisteredModel(models.Model):
    """A model or training run in the registry."""

    name = models.CharField(max_length=200)
    project = models.CharField(max_length=200)
    problem_type = models.ForeignKey(ProblemType, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(max_length=12, choices=Purpose.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PLANNED)
    owners = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="ModelOwner", related_name="owned_models"
    )
    # The first owner's team when it was registered: the graveyard rate is per team.
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    training_started_on = models.DateField(null=True, blank=True)
    trained_on = models.DateField(null=True, blank=True)
    deployed_on = models.DateField(null=True, blank=True)
    archived_on = models.DateField(null=True, blank=True)
    archive_reason = models.TextField(blank=True, max_length=2000)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = RegisteredModelQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "model"
        constraints = [
            models.CheckConstraint(
                condition=Q(trained_on__isnull=True)
                | Q(training_started_on__isnull=True)
                | Q(trained_on__gte=models.F("training_started_on")),
                name="model_trained_after_started",
            ),
            models.CheckConstraint(
                condition=Q(deployed_on__isnull=True)
                | Q(trained_on__isnull=True)
                | Q(deployed_on__gte=models.F("trained_on")),
                name="model_deployed_after_trained",
            ),
            # Archived always says why: that is what takes a model out of the graveyard.
            models.CheckConstraint(
                condition=~Q(status="archived") | ~Q(archive_reason=""),
                name="model_archived_with_reason",
            ),
        ]
        indexes = [models.Index(fields=["trained_on"], name="model_trained_on")]

    def __str__(self) -> str:
        return self.name

    @property
    def next_status(self) -> str | None:
        return NEXT_STATUS.get(self.status)

    @property
    def next_status_label(self) -> str:
        following = self.next_status
        return Status(following).label if following else ""

    @property
    def is_archived(self) -> bool:
        return self.status == Status.ARCHIVED

    def age_days(self, today: date | None = None) -> int:
        """Days since it was trained, or since it was registered if not trained yet."""
        return model_age_days(self.trained_on, self.created_at, today)

    @property
    def age(self) -> str:
        return duration(self.age_days())

    def gate(self, plan: DeploymentPlan | None) -> GateDecision:
        """May this model move to training? `plan` is its deployment plan (or None).

        Research runs always may. A production run needs a deployment plan, complete
        and approved by an owner's manager; the reasons name exactly what is missing.
        """
        if self.purpose != Purpose.PRODUCTION:
            return GateDecision(True)
        if plan is None:
            return GateDecision(
                False,
                [
                    "No deployment plan: a production run needs one (target system, owner, "
                    "success metric, target date and rollback) before it trains."
                ],
            )
        reasons = [f"The deployment plan has no {part}." for part in plan.missing_parts()]
        if plan.approved_at is None:
            reasons.append("The deployment plan is not approved: an owner's manager approves it.")
        return GateDecision(not reasons, reasons)


class ModelOwner(models.Model):
    model = models.ForeignKey(RegisteredModel, on_delete=models.CASCADE, related_name="ownerships")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="model_ownerships"
    )

    class Meta:
        ordering = ["model", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["model", "person"], name="one_ownership_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.person} owns {self.model}"


class DeploymentPlan(models.Model):
    """How a model reaches production, approved by an owner's manager.

    Any edit withdraws the approval: what was approved is what the gate lets through.
    """

    model = models.OneToOneField(RegisteredModel, on_delete=models.CASCADE, related_name="plan")
    target_system = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Who sees the deployment through.",
    )
    success_metric = models.CharField(max_length=300)
    target_date = models.DateField()
    rollback = models.TextField(max_length=2000)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    PARTS = {
        "target_system": "target system",
        "success_metric": "success metric",
        "rollback": "rollback",
    }

    def __str__(self) -> str:
        return f"Deployment plan for {self.model}"

    def missing_parts(self) -> list[str]:
        return [label for name, label in self.PARTS.items() if not getattr(self, name).strip()]

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None


class ModelEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> ModelEventQuerySet:
        return self.filter(model__in=RegisteredModel.objects.visible_to(user))


class ModelEvent(models.Model):
    """The model's history: every write to it, by whom, from the browser or the API."""

    class Kind(models.TextChoices):
        REGISTERED = "registered", "Registered"
        STATUS = "status", "Status changed"
        ARCHIVED = "archived", "Archived"
        PLAN_SAVED = "plan_saved", "Deployment plan saved"
        PLAN_APPROVED = "plan_approved", "Deployment plan approved"

    class Via(models.TextChoices):
        BROWSER = "browser", "in the browser"
        API = "api", "over the API"

    model = models.ForeignKey(RegisteredModel, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.BROWSER)
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    note = models.TextField(blank=True)
    at = models.DateTimeField(default=timezone.now)

    objects = ModelEventQuerySet.as_manager()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.model}: {self.get_kind_display()}"


class GraveyardSettings(models.Model):
    """The audit's threshold, one row, edited by admins (people ops)."""

    graveyard_days = models.PositiveIntegerField(
        "days before an undeployed model is in the graveyard",
        default=DEFAULT_GRAVEYARD_DAYS,
        validators=[MinValueValidator(1)],
        help_text="A model trained more than this many days ago, neither deployed nor "
        "archived with a reason, is a graveyard finding.",
    )

    class Meta:
        verbose_name = "graveyard settings"
        verbose_name_plural = "graveyard settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="one_graveyard_settings")]

    def __str__(self) -> str:
        return f"Graveyard after {self.graveyard_days} days"

    @classmethod
    def load(cls) -> GraveyardSettings:
        settings_row, _ = cls.objects.get_or_create(pk=1)
        return settings_row


class AuditRun(models.Model):
    """One run of the graveyard audit, with its findings and rates."""

    class Trigger(models.TextChoices):
        COMMAND = "command", "Management command"
        BUTTON = "button", "Run now"
        SCHEDULE = "schedule", "Schedule"

    at = models.DateTimeField(default=timezone.now)
    days = models.PositiveIntegerField()
    cutoff = models.DateField(help_text="Models trained before this day were judged.")
    trigger = models.CharField(max_length=10, choices=Trigger.choices)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    judged = models.PositiveIntegerField(default=0)
    findings_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"Graveyard audit {self.at:%Y-%m-%d %H:%M}"

    @property
    def rate(self) -> float | None:
        return self.findings_count / self.judged if self.judged else None


class GraveyardFindingQuerySet(models.QuerySet):
    def visible_to(self, user) -> GraveyardFindingQuerySet:
        return self.filter(model__in=RegisteredModel.objects.visible_to(user))


class GraveyardFinding(models.Model):
    """A model the audit found trained long ago and never used."""

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="findings")
    model = models.ForeignKey(
        RegisteredModel, on_delete=models.CASCADE, related_name="graveyard_findings"
    )
    trained_on = models.DateField()

    objects = GraveyardFindingQuerySet.as_manager()

    class Meta:
        ordering = ["run", "trained_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["run", "model"], name="one_finding_per_model_per_run")
        ]

    def __str__(self) -> str:
        return f"{self.model} in {self.run}"


class GraveyardRate(models.Model):
    """In one run: of a team's (or an engineer's) models old enough to judge, how many
    were in the graveyard. Kept per run, so the rate reads over time."""

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="rates")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    judged = models.PositiveIntegerField()
    graveyard = models.PositiveIntegerField()

    class Meta:
        ordering = ["run", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(team__isnull=True, person__isnull=False)
                | Q(team__isnull=False, person__isnull=True),
                name="rate_per_team_or_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.team or self.person}: {self.graveyard}/{self.judged}"

    @property
    def rate(self) -> float:
        return self.graveyard / self.judged if self.judged else 0.0

    @property
    def percent(self) -> int:
        return round(100 * self.rate)


class ApiTokenQuerySet(PersonOwnedQuerySet):
    owner_path = "person"


class ApiToken(models.Model):
    """A person's token for ML pipelines. Only a SHA-256 hash of it is stored; the token
    acts as its person, with their reporting-line scope."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What uses it, e.g. “nightly training”.")
    prefix = models.CharField(max_length=12, help_text="The token's first characters, to tell it.")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def why_unusable(self, now=None) -> str:
        """Empty while the token works; otherwise why it does not."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "This API token was revoked."
        if self.expires_at is not None and now >= self.expires_at:
            return "This API token has expired."
        if not self.person.is_active:
            return "This API token's person is deactivated."
        return ""

    @property
    def is_usable(self) -> bool:
        return not self.why_unusable()


# --- Retention signals (retention/signals.py) and their snapshots ---------------------

DEFAULT_NOT_LEARNING_DAYS = 548  # about 18 months
DEFAULT_REVIEW_NEGLECT_DAYS = 100
DEFAULT_ANONYMITY_FLOOR = 4


def _not_negative(value: int) -> None:
    if value is not None and value < 0:
        raise ValidationError("A span cannot be negative: give a number of days, 1 or more.")


def _floor_of_two(value: int) -> None:
    if value is not None and value < 2:
        raise ValidationError(
            "The anonymity floor cannot be below 2: a group of one person is that person."
        )


class RetentionSettings(models.Model):
    """The signals' thresholds, one row, edited by admins (people ops)."""

    not_learning_days = models.IntegerField(
        "days on one problem type before “not learning”",
        default=DEFAULT_NOT_LEARNING_DAYS,
        validators=[_not_negative, MinValueValidator(1)],
        help_text="About 18 months by default (548 days).",
    )
    review_neglect_days = models.IntegerField(
        "days without a quarterly review before “growth neglected”",
        default=DEFAULT_REVIEW_NEGLECT_DAYS,
        validators=[_not_negative, MinValueValidator(1)],
    )
    anonymity_floor = models.IntegerField(
        "anonymity floor (people)",
        default=DEFAULT_ANONYMITY_FLOOR,
        validators=[_floor_of_two],
        help_text="Pulse figures about fewer people than this are never shown outside the "
        "1:1 pair.",
    )

    class Meta:
        verbose_name = "retention signal settings"
        verbose_name_plural = "retention signal settings"
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="one_retention_settings"),
            models.CheckConstraint(
                condition=Q(not_learning_days__gte=1, review_neglect_days__gte=1),
                name="retention_spans_positive",
            ),
            models.CheckConstraint(condition=Q(anonymity_floor__gte=2), name="floor_at_least_2"),
        ]

    def __str__(self) -> str:
        return "Retention signal settings"

    @classmethod
    def load(cls) -> RetentionSettings:
        """The row, or the defaults (unsaved) before an admin saves one: always one query."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)


class SignalSnapshot(models.Model):
    """One engineer's active signals in one period (a quarter), for trends.

    Only signals drawn from records (assignments, models, plans, 1:1 dates) are kept:
    pulse answers belong to the 1:1 pair and are never stored per person here.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signal_snapshots"
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    period = models.CharField(max_length=7, help_text='The quarter, e.g. "2026-Q4".')
    kinds = models.JSONField(default=list, help_text="The active signals' kinds.")
    # The same kinds as columns, so the dashboard counts them per team in SQL.
    not_learning = models.BooleanField(default=False)
    work_not_used = models.BooleanField(default=False)
    stagnating = models.BooleanField(default=False)
    growth_neglected = models.BooleanField(default=False)
    one_on_one_gap = models.BooleanField(default=False)
    points = models.PositiveSmallIntegerField(default=0)
    taken_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["period", "person"]
        constraints = [
            models.UniqueConstraint(fields=["person", "period"], name="one_snapshot_per_period")
        ]
        # The latest period, and its worst engineers first (the director's home).
        indexes = [models.Index(fields=["period", "points"], name="snapshot_period_points")]

    def __str__(self) -> str:
        return f"{self.person} in {self.period}: {', '.join(self.kinds) or 'no signals'}"
