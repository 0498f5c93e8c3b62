"""Writes to 1:1s. Each asks one_on_ones/rules.py first, so no caller can skip a rule.

Notes are edited optimistically (accounts/versioning.py): a save carries the
version it was opened at, and a second tab is told of the conflict.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts.models import Person
from accounts.versioning import StaleVersion, update_if_version
from one_on_ones import rules
from one_on_ones.models import (
    ActionItem,
    AgendaItem,
    CalendarFeed,
    OneOnOne,
    Pair,
    PrivateNote,
    Pulse,
)

# A 1:1 is logged for a day at most this far ahead (a plan, not a typo).
MAX_DAYS_AHEAD = 366


def pair_for(*, manager: Person, engineer: Person) -> Pair:
    """The pair of the engineer and their current manager, made on first use."""
    rules.require(rules.can_log_one_on_one(manager, engineer), rules.ONLY_MANAGER)
    pair, _ = Pair.objects.get_or_create(manager=manager, engineer=engineer)
    return pair


@transaction.atomic
def log_one_on_one(
    *, engineer: Person, manager: Person, day: date, at: datetime | None = None
) -> OneOnOne:
    """Start a 1:1 (held today, in the past, or planned ahead).

    Agenda items not discussed in the pair's previous 1:1 move to this one, and so
    do the engineer's open action items, from this pair or an earlier manager's.
    Raises ValidationError for a day too far ahead or a day that already has one.
    """
    now = at or timezone.now()
    if day > now.date() + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError({"date": "That is more than a year ahead: check the year."})
    pair = pair_for(manager=manager, engineer=engineer)
    try:
        with transaction.atomic():
            one_on_one = OneOnOne.objects.create(
                pair=pair, date=day, created_by=manager, created_at=now, updated_at=now
            )
    except IntegrityError:
        raise ValidationError({"date": "There is already a 1:1 on that day."}) from None
    previous = OneOnOne.objects.filter(pair=pair, date__lt=day).exclude(pk=one_on_one.pk).first()
    if previous is not None:
        AgendaItem.objects.filter(one_on_one=previous, discussed=False).update(
            one_on_one=one_on_one, times_carried=F("times_carried") + 1
        )
    ActionItem.objects.filter(
        one_on_one__pair__engineer=engineer, one_on_one__date__lt=day, done_at__isnull=True
    ).update(one_on_one=one_on_one, times_carried=F("times_carried") + 1)
    return one_on_one


@transaction.atomic
def save_shared_notes(
    *, one_on_one: OneOnOne, actor: Person, version: int, text: str, at: datetime | None = None
) -> OneOnOne:
    rules.require(rules.is_member(actor, one_on_one.pair), rules.ONLY_MEMBERS)
    update_if_version(
        OneOnOne, pk=one_on_one.pk, version=version, values={"shared_notes": text}, at=at
    )
    return OneOnOne.objects.select_related("pair").get(pk=one_on_one.pk)


@transaction.atomic
def save_private_note(
    *, one_on_one: OneOnOne, author: Person, version: int, body: str, at: datetime | None = None
) -> PrivateNote:
    """The author's own note (version 0: none yet)."""
    rules.require(rules.is_member(author, one_on_one.pair), rules.ONLY_MEMBERS)
    now = at or timezone.now()
    if version == 0:
        try:
            with transaction.atomic():
                return PrivateNote._base.create(
                    one_on_one=one_on_one, author=author, body=body, created_at=now, updated_at=now
                )
        except IntegrityError:  # another tab wrote the first version a moment ago
            raise StaleVersion from None
    note = PrivateNote.objects.by(author).get(one_on_one=one_on_one)
    update_if_version(PrivateNote, pk=note.pk, version=version, values={"body": body}, at=now)
    return PrivateNote.objects.by(author).get(pk=note.pk)


@transaction.atomic
def add_agenda_item(
    *, one_on_one: OneOnOne, actor: Person, text: str, at: datetime | None = None
) -> AgendaItem:
    rules.require(rules.is_member(actor, one_on_one.pair), rules.ONLY_MEMBERS)
    return AgendaItem.objects.create(
        one_on_one=one_on_one, text=text, added_by=actor, created_at=at or timezone.now()
    )


@transaction.atomic
def set_agenda_discussed(*, item: AgendaItem, actor: Person, discussed: bool) -> AgendaItem:
    rules.require(rules.is_member(actor, item.one_on_one.pair), rules.ONLY_MEMBERS)
    AgendaItem.objects.filter(pk=item.pk).update(discussed=discussed)
    item.discussed = discussed
    return item


@transaction.atomic
def add_action_item(
    *,
    one_on_one: OneOnOne,
    actor: Person,
    text: str,
    owner: Person,
    due_date: date | None,
    at: datetime | None = None,
) -> ActionItem:
    pair = one_on_one.pair
    rules.require(rules.is_member(actor, pair), rules.ONLY_MEMBERS)
    if not rules.is_member(owner, pair):
        raise ValidationError({"owner": "The owner is one of the two people in the 1:1."})
    return ActionItem.objects.create(
        one_on_one=one_on_one,
        text=text,
        owner=owner,
        due_date=due_date,
        created_by=actor,
        created_at=at or timezone.now(),
    )


@transaction.atomic
def set_action_done(
    *, item: ActionItem, actor: Person, done: bool, at: datetime | None = None
) -> ActionItem:
    rules.require(rules.can_tick(actor, item), rules.ONLY_OWNER)
    item.done_at = (at or timezone.now()) if done else None
    ActionItem.objects.filter(pk=item.pk).update(done_at=item.done_at)
    return item


@transaction.atomic
def answer_pulse(
    *,
    one_on_one: OneOnOne,
    engineer: Person,
    learning: int,
    work_used: int,
    direction: int,
    direction_concern: str = "",
    at: datetime | None = None,
) -> Pulse:
    rules.require(rules.is_pair_engineer(engineer, one_on_one.pair), rules.ONLY_ENGINEER)
    scores = {"learning": learning, "work_used": work_used, "direction": direction}
    for name, value in scores.items():
        if not 1 <= value <= 5:
            raise ValidationError({name: "Answer from 1 (no) to 5 (yes)."})
    pulse, _ = Pulse.objects.update_or_create(
        one_on_one=one_on_one,
        defaults={
            **scores,
            "direction_concern": direction_concern,
            "answered_at": at or timezone.now(),
        },
    )
    return pulse


@transaction.atomic
def set_cadence(*, pair: Pair, actor: Person, cadence: int) -> Pair:
    rules.require(rules.is_pair_manager(actor, pair), rules.ONLY_MANAGER)
    Pair.objects.filter(pk=pair.pk).update(cadence=cadence)
    pair.cadence = cadence
    return pair


@transaction.atomic
def set_history_consent(*, engineer: Person, actor: Person, consent: bool) -> Pair:
    """The engineer lets their current manager read their earlier shared 1:1s, or stops it.

    The consent lives on the pair with the current manager, made here if they have
    not met yet: an engineer who has just moved can decide before the first 1:1.
    """
    rules.require(actor.pk == engineer.pk, rules.ONLY_ENGINEER)
    if engineer.manager_id is None:
        raise ValidationError("You have no manager to share your 1:1 history with.")
    pair, _ = Pair.objects.get_or_create(manager_id=engineer.manager_id, engineer=engineer)
    Pair.objects.filter(pk=pair.pk).update(shares_earlier_history=consent)
    pair.shares_earlier_history = consent
    return pair


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def enable_calendar_feed(*, person: Person) -> str:
    """A new secret feed URL token (any earlier one stops working). Shown once."""
    token = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(person=person, defaults={"token_hash": hash_token(token)})
    return token


@transaction.atomic
def revoke_calendar_feed(*, person: Person) -> None:
    CalendarFeed.objects.filter(person=person).delete()
