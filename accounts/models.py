from __future__ import annotations

from datetime import date, datetime
from typing import TypeVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import RawSQL
from django.utils import timezone


class Level(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid"
    SENIOR = "senior", "Senior"
    STAFF = "staff", "Staff"


LEVEL_ORDER = [Level.JUNIOR, Level.MID, Level.SENIOR, Level.STAFF]


def duration(days: int) -> str:
    """'4 years 2 months', '5 months', '18 days': how Trellis says a span of days."""
    years, rem = divmod(days, 365)
    months = rem // 30
    if years and months:
        return f"{years} year{'s' * (years != 1)} {months} month{'s' * (months != 1)}"
    if years:
        return f"{years} year{'s' * (years != 1)}"
    if months:
        return f"{months} month{'s' * (months != 1)}"
    return f"{days} day{'s' * (days != 1)}"


class Team(models.Model):
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def _subtree_sql(table: str) -> str:
    # A recursive CTE walks the reporting tree in one query at any depth, on
    # SQLite and PostgreSQL alike. UNION (not UNION ALL) stops on a cycle
    # should bad data ever contain one.
    return (
        f"WITH RECURSIVE subtree(id) AS ("
        f" SELECT id FROM {table} WHERE id = %s"
        f" UNION SELECT p.id FROM {table} p JOIN subtree s ON p.manager_id = s.id"
        f") SELECT id FROM subtree"
    )


class PersonQuerySet(models.QuerySet):
    def subtree_of(self, person_id: int) -> PersonQuerySet:
        """The person and everyone below them in the reporting tree."""
        sql = _subtree_sql(self.model._meta.db_table)
        return self.filter(pk__in=RawSQL(sql, (person_id,)))

    def visible_to(self, user) -> PersonQuerySet:
        """Who `user` may see: themselves and their reporting subtree, nobody else.

        Every view that shows a person, or anything belonging to a person,
        scopes through this method.
        """
        if not getattr(user, "is_authenticated", False):
            return self.none()
        return self.subtree_of(user.pk)

    def below(self, user) -> PersonQuerySet:
        """Everyone below `user` in the tree, without `user`."""
        return self.visible_to(user).exclude(pk=user.pk)


_PersonManagerBase = BaseUserManager.from_queryset(PersonQuerySet)


class PersonManager(_PersonManagerBase["Person"]):  # type: ignore[valid-type, unused-ignore]
    # (django-stubs reads this dynamic base one way or the other between runs.)
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra) -> Person:
        if not email:
            raise ValueError("Email is required.")
        person = self.model(email=self.normalize_email(email).lower(), **extra)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def get_by_natural_key(self, username: str | None) -> Person:
        # Sign-in ignores the case of the email address people type.
        return self.get(email__iexact=(username or "").strip())

    def create_superuser(self, email: str, password: str | None = None, **extra) -> Person:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class Person(AbstractBaseUser, PermissionsMixin):
    """Everyone in the org. Roles follow from the reporting tree.

    Deactivated people (is_active=False) cannot sign in but keep their rows
    and everything attached to them.
    """

    email = models.EmailField(unique=True)
    name = models.CharField("display name", max_length=150)
    level = models.CharField(max_length=10, choices=Level.choices, default=Level.JUNIOR)
    level_since = models.DateField("at this level since", default=date.today)
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reports",
    )
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(
        "admin (people ops)",
        default=False,
        help_text="Admins set up the org, the ladder, rubrics and thresholds.",
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name"]
        verbose_name = "person"
        verbose_name_plural = "people"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(manager=models.F("pk")), name="person_not_own_manager"
            )
        ]

    def __str__(self) -> str:
        return self.name or self.email

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email

    def get_full_name(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        self.email = self.email.strip().lower()
        if (
            self.manager_id
            and self.pk
            and Person.objects.subtree_of(self.pk).filter(pk=self.manager_id).exists()
        ):
            raise ValidationError(
                {"manager": f"This would form a reporting cycle: {self.manager} reports to {self}."}
            )

    @property
    def days_at_level(self) -> int:
        return (timezone.localdate() - self.level_since).days

    @property
    def time_at_level(self) -> str:
        """A human phrase: '2 years 3 months', '5 months', '12 days'."""
        return duration(self.days_at_level)


_OwnedQS = TypeVar("_OwnedQS", bound="PersonOwnedQuerySet")


class PersonOwnedQuerySet(models.QuerySet):
    """Base for the QuerySet of every model that belongs to a person.

    A subclass names the path from its model to that person (`owner_path`), and
    `visible_to(user)` then scopes it through `Person.objects.visible_to`, the one
    place that knows who may see whom:

        class ExperimentQuerySet(PersonOwnedQuerySet):
            owner_path = "plan__engineer"
    """

    owner_path: str = ""

    def visible_to(self: _OwnedQS, user) -> _OwnedQS:
        if not self.owner_path:
            raise NotImplementedError(f"{type(self).__name__} must set owner_path")
        return self.filter(**{f"{self.owner_path}__in": Person.objects.visible_to(user)})


class Invitation(models.Model):
    """One email inviting a person who has no password yet to choose one.

    Only a hash of the link's token is stored: whoever reads the database cannot
    sign in as anyone. Resending replaces the open invitation with a new row (and
    token), so the history of who invited whom stays and the old link stops
    working. The writes live in accounts/invitations.py.
    """

    # Why a link no longer works (why_unusable); each has its own message page.
    USED = "used"
    REPLACED = "replaced"
    EXPIRED = "expired"
    INACTIVE = "inactive"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    replaced_at = models.DateTimeField(
        null=True, blank=True, help_text="When a newer invitation to the same person replaced it."
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # At most one link works per person: resending must replace, not add.
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(accepted_at__isnull=True, replaced_at__isnull=True),
                name="one_open_invitation_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.person_id} ({self.created_at:%Y-%m-%d})"

    @property
    def is_open(self) -> bool:
        """Neither accepted nor replaced (it may still have expired)."""
        return self.accepted_at is None and self.replaced_at is None

    def has_expired(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at

    def why_unusable(self, now: datetime | None = None) -> str:
        """Empty while the link may still set a password; otherwise the reason it may not."""
        if not self.person.is_active:
            return self.INACTIVE
        # A password set any other way (reset, the admin site) also uses the link up.
        if self.accepted_at is not None or self.person.has_usable_password():
            return self.USED
        if self.replaced_at is not None:
            return self.REPLACED
        if self.has_expired(now):
            return self.EXPIRED
        return ""
