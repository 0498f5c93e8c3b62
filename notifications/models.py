"""Notifications (in the app and by email), email preferences, and scheduled jobs' runs.

Exactly once is the database's job, not a check before an insert:
- one Notification per (recipient, dedupe_key);
- one EmailDelivery per Notification (a one-to-one), claimed before it is sent;
- one ReviewReminder per (plan, quarter, kind), claimed by the run that inserted it.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.models import PersonOwnedQuerySet

# A run still marked "running" this long after it started was interrupted (a worker
# killed, a machine restarted): the job-health page says so.
RUN_STALE_AFTER = timedelta(hours=1)


class NotificationQuerySet(PersonOwnedQuerySet):
    owner_path = "recipient"

    def of(self, person) -> NotificationQuerySet:
        """A person's own notifications: nobody reads anyone else's, managers included."""
        return self.filter(recipient=person)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    # What makes it the same notification: told twice, a recipient still has one.
    dedupe_key = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=500, blank=True, help_text="A path within Trellis.")
    # The object it is about (a growth plan's id for review reminders), so an email
    # still queued when that object is deleted is not sent.
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    # Set per insert: what one bulk insert created is read back by it.
    batch = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"], name="one_notification_per_recipient_and_key"
            )
        ]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.title} (to {self.recipient_id})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class EmailPreference(models.Model):
    """A person's choice of email for one kind; without a row the kind's default holds."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_preferences"
    )
    kind = models.CharField(max_length=40)
    email = models.BooleanField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="one_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}: {'email' if self.email else 'no email'}"


class EmailDelivery(models.Model):
    """The email of one notification. Sent only by whoever claims it (pending → sending),
    so two workers, a retry and a sweep never send it twice."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        SENDING = "sending", "Being sent"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not delivered"
        SKIPPED = "skipped", "Not sent"

    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="email"
    )
    address = models.EmailField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"], name="email_delivery_state")]

    def __str__(self) -> str:
        return f"Email of notification {self.notification_id}: {self.state}"


class JobRun(models.Model):
    """One run of a scheduled job, as the job-health page shows it."""

    class Outcome(models.TextChoices):
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=60)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.RUNNING)
    found = models.PositiveIntegerField(default=0)
    sent = models.PositiveIntegerField(default=0)
    # [{"what": ..., "why": ...}], the first SKIPPED_KEPT of them; skipped_count counts all.
    skipped = models.JSONField(default=list, blank=True)
    skipped_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "-started_at"], name="job_run_latest")]

    def __str__(self) -> str:
        return f"{self.job} at {self.started_at:%Y-%m-%d %H:%M}: {self.outcome}"

    @property
    def duration(self) -> timedelta | None:
        return self.finished_at - self.started_at if self.finished_at else None

    @property
    def state(self) -> str:
        """The outcome, or "interrupted" for a run that never finished."""
        if (
            self.outcome == self.Outcome.RUNNING
            and timezone.now() - self.started_at > RUN_STALE_AFTER
        ):
            return "interrupted"
        return self.outcome


class ReviewReminder(models.Model):
    """A quarterly-review reminder told: the unique row that makes it exactly once.

    `plan_id` is a plain number, not a foreign key: notifications reads growth only
    through growth.panels, and a deleted plan leaves its reminders as a record.
    """

    class Kind(models.TextChoices):
        DUE_SOON = "review_due_soon", "Due in a week"
        DUE = "review_due", "Due today"
        OVERDUE = "review_overdue", "Two weeks overdue"

    plan_id = models.PositiveBigIntegerField()
    quarter = models.CharField(max_length=7)  # "2026-Q3"
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_date = models.DateField()
    run = models.ForeignKey(JobRun, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["plan_id", "quarter", "kind"], name="one_reminder_per_plan_quarter_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for plan {self.plan_id} ({self.quarter})"
