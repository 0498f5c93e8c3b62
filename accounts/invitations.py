"""Inviting people who cannot sign in yet, and accepting an invitation.

The org import creates people with an unusable password. An admin invites them
from /org/invitations/: each gets one email with a link that works once, for
INVITATION_DAYS days, to choose a password. Only a hash of the link's token is
stored. Resending replaces the open invitation, so the older link stops working.
Password reset (accounts.forms.InvitedPasswordResetForm) also reaches these
people, for whoever lets an invitation expire.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation, Person

logger = logging.getLogger(__name__)

ONLY_ADMINS = "Only admins (people ops) send invitations."


def hash_token(token: str) -> str:
    # The token is 256 random bits: nothing to brute-force, so a fast unsalted
    # hash is enough, and it lets an index find the row.
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", args=[token])


# --- who ---------------------------------------------------------------------------------


def invitable_people() -> QuerySet[Person]:
    """Active people without a usable password: the ones an invitation is for."""
    return Person.objects.filter(is_active=True, password__startswith=UNUSABLE_PASSWORD_PREFIX)


def never_invited() -> QuerySet[Person]:
    """Invitable people nobody has invited yet (the bulk action's people)."""
    return invitable_people().filter(~Exists(Invitation.objects.filter(person=OuterRef("pk"))))


class Status(StrEnum):
    NOT_INVITED = "not_invited"
    EXPIRED = "expired"
    INVITED = "invited"
    ACCEPTED = "accepted"
    HAS_PASSWORD = "has_password"


# The order of the admin's list: who needs something done first.
STATUS_ORDER = list(Status)


@dataclass(frozen=True)
class InvitationRow:
    person: Person
    invitation: Invitation | None  # the latest that was not replaced
    status: Status

    @property
    def can_invite(self) -> bool:
        return self.status in (Status.NOT_INVITED, Status.EXPIRED, Status.INVITED)


def _status(person: Person, invitation: Invitation | None, now: datetime) -> Status:
    if invitation is not None and invitation.accepted_at is not None:
        return Status.ACCEPTED
    if person.has_usable_password():
        # Set in the admin site or through password reset: they can sign in.
        return Status.HAS_PASSWORD
    if invitation is None:
        return Status.NOT_INVITED
    return Status.EXPIRED if invitation.has_expired(now) else Status.INVITED


def invitation_rows(now: datetime | None = None) -> list[InvitationRow]:
    """Every active person with where they stand, in two queries whatever the org's size."""
    now = now or timezone.now()
    people = list(Person.objects.filter(is_active=True).select_related("team"))
    latest: dict[int, Invitation] = {}
    current = Invitation.objects.filter(person__is_active=True, replaced_at__isnull=True)
    for invitation in current.select_related("invited_by").order_by("created_at"):
        latest[invitation.person_id] = invitation  # a later one wins
    rows = [InvitationRow(p, latest.get(p.pk), _status(p, latest.get(p.pk), now)) for p in people]
    return sorted(rows, key=lambda row: STATUS_ORDER.index(row.status))  # stable: by name within


# --- inviting ----------------------------------------------------------------------------


class InvitationConflict(Exception):
    """Someone else invited some of the same people at the same moment; nothing was sent."""


@dataclass
class SentInvitations:
    invited: list[Person]
    # Filled in once the emails have gone, after commit; None until then.
    not_emailed: list[Person] | None = field(default=None)


def send_invitations(
    *, people: QuerySet[Person], invited_by: Person, now: datetime | None = None
) -> SentInvitations:
    """Invite each of `people` who can be invited: a new link by email, replacing any open one.

    People who are deactivated or already have a password are skipped. The number
    of queries does not depend on the number of people. The emails go out after
    commit, so nobody gets a link to an invitation that was rolled back.
    """
    if not invited_by.is_staff:
        raise PermissionDenied(ONLY_ADMINS)
    now = now or timezone.now()
    expires_at = now + timedelta(days=settings.INVITATION_DAYS)
    try:
        with transaction.atomic():
            # Locking the people serialises two admins inviting the same person:
            # the second replaces the first's invitation instead of colliding.
            chosen = list(
                invitable_people()
                .filter(pk__in=people.values("pk"))
                .select_for_update()
                .order_by("pk")
            )
            Invitation.objects.filter(
                person_id__in=[p.pk for p in chosen],
                accepted_at__isnull=True,
                replaced_at__isnull=True,
            ).update(replaced_at=now)
            tokens = {person.pk: secrets.token_urlsafe(32) for person in chosen}
            Invitation.objects.bulk_create(
                Invitation(
                    person=person,
                    invited_by=invited_by,
                    created_at=now,
                    expires_at=expires_at,
                    token_hash=hash_token(tokens[person.pk]),
                )
                for person in chosen
            )
            emails = [
                (person, _invitation_email(person, invited_by, tokens[person.pk], expires_at))
                for person in chosen
            ]
            sent = SentInvitations(invited=chosen)
            transaction.on_commit(lambda: _deliver(emails, sent))
    except IntegrityError as exc:
        # Only a concurrent invitation can get here (one_open_invitation_per_person).
        raise InvitationConflict from exc
    return sent


def _invitation_email(
    person: Person, invited_by: Person, token: str, expires_at: datetime
) -> EmailMultiAlternatives:
    context = {
        "person": person,
        "invited_by": invited_by,
        "link": invitation_link(token),
        "expires_at": expires_at,
        "days": settings.INVITATION_DAYS,
        "sign_in_url": settings.SITE_URL.rstrip("/") + reverse("login"),
    }
    subject = " ".join(render_to_string("email/invitation_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("email/invitation.txt", context),
        to=[person.email],
        reply_to=[invited_by.email],  # questions go to the admin, not to a no-reply box
    )
    message.attach_alternative(render_to_string("email/invitation.html", context), "text/html")
    return message


def _deliver(emails: list[tuple[Person, EmailMultiAlternatives]], sent: SentInvitations) -> None:
    # One connection for the batch. A failure is reported to the admin (who can
    # resend) rather than raised: the invitations are committed either way.
    emailed: list[Person] = []
    try:
        with get_connection() as connection:
            for person, message in emails:
                message.connection = connection
                message.send()
                emailed.append(person)
    except Exception:  # noqa: BLE001 - SMTP down or an address refused
        logger.exception("Invitation emails: %d of %d sent", len(emailed), len(emails))
    done = {person.pk for person in emailed}
    sent.not_emailed = [person for person, _ in emails if person.pk not in done]


# --- accepting ---------------------------------------------------------------------------


class InvitationUnusable(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def accept_invitation(
    *, invitation: Invitation, password: str, now: datetime | None = None
) -> Person:
    """Set the invitee's password and close the invitation, once.

    Raises InvitationUnusable (nothing changed) when the link no longer works:
    used, replaced by a newer one, expired, or the person deactivated.
    """
    now = now or timezone.now()
    with transaction.atomic():
        reason = invitation.why_unusable(now)
        if reason:
            raise InvitationUnusable(reason)
        # Conditional: of two tabs submitting the same link, one wins.
        claimed = Invitation.objects.filter(
            pk=invitation.pk, accepted_at__isnull=True, replaced_at__isnull=True, expires_at__gt=now
        ).update(accepted_at=now)
        if not claimed:
            invitation.refresh_from_db()
            raise InvitationUnusable(invitation.why_unusable(now) or Invitation.USED)
        person = invitation.person
        person.set_password(password)
        person.save(update_fields=["password"])
    return person
