"""The kinds of notification, each with whether it is emailed by default.

A person turns email on or off per kind (EmailPreference); without a choice of
theirs the kind's `email_default` holds. Apps add their kinds through
`notifications.panels.register_kind` in their AppConfig.ready(), so the
preferences page lists them. A kind about an object may say how to tell that the
object still exists: an email still queued when it is deleted is then not sent.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from growth.panels import plan_exists

if TYPE_CHECKING:
    from notifications.models import Notification


@dataclass(frozen=True)
class Kind:
    key: str  # stored on every notification; never rename one in use
    label: str  # how the preferences page names it
    email_default: bool = True
    exists: Callable[[int], bool] | None = None  # is the subject (subject_id) still there?


KINDS: dict[str, Kind] = {}


def register_kind(
    key: str,
    label: str,
    *,
    email_default: bool = True,
    exists: Callable[[int], bool] | None = None,
) -> Kind:
    kind = Kind(key=key, label=label, email_default=email_default, exists=exists)
    if KINDS.get(key, kind) != kind:
        raise ValueError(f"Notification kind {key!r} is already registered differently")
    KINDS[key] = kind
    return kind


def get_kind(key: str) -> Kind:
    """The registered kind, or one with a readable label and email on (an old key)."""
    return KINDS.get(key) or Kind(key=key, label=key.replace("_", " ").capitalize())


def subject_exists(notification: Notification) -> bool:
    exists = get_kind(notification.kind).exists
    if exists is None or notification.subject_id is None:
        return True
    return exists(notification.subject_id)


# Quarterly growth-review reminders (notifications/reminders.py). Emailed by default:
# a reminder nobody reads outside the app misses its point.
REVIEW_DUE_SOON = register_kind(
    "review_due_soon", "Quarterly review due in a week", exists=plan_exists
)
REVIEW_DUE = register_kind("review_due", "Quarterly review due today", exists=plan_exists)
REVIEW_OVERDUE = register_kind(
    "review_overdue", "Quarterly review two weeks overdue", exists=plan_exists
)
