"""1:1s (DOMAIN.md §5): a manager and an engineer, their meetings, and what was said.

A 1:1 belongs to the pair, not to the reporting line: its content (agenda, shared
notes, action items, pulse) is visible to the two people in it, and to a later
manager of the engineer only while the engineer agrees. Directors and admins see
when 1:1s happen (cadence), never what was said. Private notes are their author's
alone and live in their own model, reachable only through `PrivateNote.objects.by(author)`.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TypeVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Person, PersonOwnedQuerySet

# An action item carried into more 1:1s than this is flagged on both sides.
CARRY_FLAG_AFTER = 3
# "Long gap": the last 1:1 is older than this many cadence periods.
GAP_PERIODS = 3

_Q = TypeVar("_Q", bound=models.QuerySet)


class Cadence(models.IntegerChoices):
    WEEKLY = 7, "Weekly"
    FORTNIGHTLY = 14, "Fortnightly"
    MONTHLY = 30, "Monthly"


class PairQuerySet(PersonOwnedQuerySet):
    """Who meets whom, and how often: visible along the reporting line (no content)."""

    owner_path = "engineer"


class Pair(models.Model):
    """A manager and a direct report who hold 1:1s. A new manager makes a new pair."""

    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairs_as_manager"
    )
    engineer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pairs_as_engineer"
    )
    cadence = models.PositiveSmallIntegerField(
        choices=Cadence.choices, default=Cadence.FORTNIGHTLY, help_text="Expected cadence."
    )
    # The engineer's consent for this pair's manager to read the engineer's shared
    # 1:1 history with earlier managers. Given and withdrawn by the engineer.
    shares_earlier_history = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    objects = PairQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["manager", "engineer"], name="one_pair_per_manager"),
            models.CheckConstraint(
                condition=~Q(manager=models.F("engineer")), name="pair_of_two_people"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manager} and {self.engineer}"

    @property
    def gap_days(self) -> int:
        return self.cadence * GAP_PERIODS


def _pairs_readable_by(user) -> Q:
    """Pairs whose content `user` may read: their own pairs, and the earlier pairs of an
    engineer who reports to them now and has said yes on their current pair."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    consenting = Pair.objects.filter(
        engineer=OuterRef("engineer"),
        manager=user,
        shares_earlier_history=True,
        engineer__manager=user,
    )
    return Q(manager=user) | Q(engineer=user) | Q(Exists(consenting))


class ContentQuerySet(models.QuerySet):
    """Content of 1:1s. `pair_path` leads from the model to its Pair."""

    pair_path = ""

    def visible_to(self: _Q, user) -> _Q:
        """What `user` may read: the pair's own content (see `_pairs_readable_by`).

        Deliberately not the reporting line: a director does not read their
        managers' 1:1s (DOMAIN.md §5).
        """
        pairs = Pair.objects.filter(_pairs_readable_by(user))
        return self.filter(**{f"{self.pair_path}__in": pairs})  # type: ignore[attr-defined]


class OneOnOneQuerySet(ContentQuerySet):
    pair_path = "pair"


class OneOnOne(models.Model):
    pair = models.ForeignKey(Pair, on_delete=models.PROTECT, related_name="one_on_ones")
    date = models.DateField()
    shared_notes = models.TextField(blank=True, max_length=20000)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = OneOnOneQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "1:1"
        verbose_name_plural = "1:1s"
        constraints = [
            models.UniqueConstraint(fields=["pair", "date"], name="one_one_on_one_a_day")
        ]

    def __str__(self) -> str:
        return f"1:1 of {self.pair} on {self.date:%d %b %Y}"

    @property
    def is_upcoming(self) -> bool:
        return self.date > timezone.localdate()


class AgendaItemQuerySet(ContentQuerySet):
    pair_path = "one_on_one__pair"


class AgendaItem(models.Model):
    """Either side adds items ahead; those not discussed move to the next 1:1."""

    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="agenda")
    text = models.CharField(max_length=500)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    discussed = models.BooleanField(default=False)
    times_carried = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AgendaItemQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class ActionItemQuerySet(ContentQuerySet):
    pair_path = "one_on_one__pair"

    def open(self) -> ActionItemQuerySet:
        return self.filter(done_at__isnull=True)


class ActionItem(models.Model):
    """Owned by either side; open items follow the engineer into their next 1:1."""

    # The 1:1 the item is on now: where it was made, or the latest it was carried to.
    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="actions")
    text = models.CharField(max_length=500)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_date = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    times_carried = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["done_at", "due_date", "pk"]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_flagged(self) -> bool:
        return self.done_at is None and self.times_carried > CARRY_FLAG_AFTER

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None
            and self.due_date is not None
            and self.due_date < timezone.localdate()
        )


class PulseQuerySet(ContentQuerySet):
    pair_path = "one_on_one__pair"


def _score(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class Pulse(models.Model):
    """The engineer's three answers for one 1:1, each 1 (no) to 5 (yes)."""

    QUESTIONS = {
        "learning": "Am I learning?",
        "work_used": "Is my work being used?",
        "direction": "Do I believe in the product direction?",
    }

    one_on_one = models.OneToOneField(OneOnOne, on_delete=models.CASCADE, related_name="pulse")
    learning = _score("Am I learning?")
    work_used = _score("Is my work being used?")
    direction = _score("Do I believe in the product direction?")
    direction_concern = models.TextField(
        "A concern about the product direction (optional)", blank=True, max_length=2000
    )
    answered_at = models.DateTimeField(default=timezone.now)

    objects = PulseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(learning__range=(1, 5))
                & Q(work_used__range=(1, 5))
                & Q(direction__range=(1, 5)),
                name="pulse_scores_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"Pulse for {self.one_on_one}"


class PrivateNoteManager(models.Manager["PrivateNote"]):
    """No query reaches private notes but their author's.

    The default queryset is empty, so a page that lists notes, a related lookup
    (`one_on_one.private_notes`), an export or a stray admin finds nothing;
    `PrivateNote.objects.by(author)` is the one way in.
    """

    def get_queryset(self) -> models.QuerySet[PrivateNote]:
        return super().get_queryset().none()

    def by(self, author: Person) -> models.QuerySet[PrivateNote]:
        if not getattr(author, "is_authenticated", False):
            return super().get_queryset().none()
        return super().get_queryset().filter(author=author)


class PrivateNote(models.Model):
    """A member's own note on a 1:1. Visible to its author alone, ever."""

    one_on_one = models.ForeignKey(OneOnOne, on_delete=models.CASCADE, related_name="private_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(blank=True, max_length=20000)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = PrivateNoteManager()
    _base = models.Manager()  # noqa: DJ012 - a second manager, not a field

    class Meta:
        # Deletion cascades through the plain base manager, not the empty default one.
        base_manager_name = "_base"
        constraints = [
            models.UniqueConstraint(
                fields=["one_on_one", "author"], name="one_private_note_per_author"
            )
        ]

    def __str__(self) -> str:
        return "Private note"


class CalendarFeed(models.Model):
    """A person's private .ics subscription: the token is shown once, stored hashed."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"


def cadence_horizon(pair: Pair, today: date | None = None) -> date:
    """The day before which a last 1:1 counts as a long gap for this pair."""
    return (today or timezone.localdate()) - timedelta(days=pair.gap_days)
