"""Telling people: notifications in the app, their emails, read state and preferences.

`notify_many` inserts in bulk and lets the unique (recipient, dedupe_key) drop
what was told before: it never checks first, and reads back what its own insert
created. Emails are queued after the transaction commits; if the broker is down
that is logged and the email stays pending for the next `email-delivery` run.

Sending an email is claim, send, mark: a conditional update moves the delivery from
pending to sending (only one worker can), then it is sent, then marked sent. A
worker killed between send and mark leaves it "sending": it is never sent again
(at most once; the next run reports it as interrupted), since nobody can know
whether the server took it. A transient SMTP error puts it back to pending and the
task retries with back-off; an address the server refuses is not retried.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.models import Person
from notifications.jobs import EMAIL_DELIVERY, RunLog, recording
from notifications.kinds import KINDS, get_kind, subject_exists
from notifications.models import EmailDelivery, EmailPreference, Notification

logger = logging.getLogger(__name__)

# After this many failed attempts an email is given up (state failed, on job health).
MAX_EMAIL_ATTEMPTS = 6
# A delivery claimed longer ago than this never finished: its worker died.
SENDING_STALE_AFTER = timedelta(minutes=30)
# One run of email-delivery sends at most this many (the next run sends the rest).
EMAILS_PER_RUN = 500


@dataclass(frozen=True)
class Message:
    """One notification to one person."""

    recipient: Person
    kind: str
    dedupe_key: str
    title: str
    body: str = ""
    link: str = ""
    subject_id: int | None = None


class TransientEmailError(Exception):
    """The SMTP server could not take an email now; the task retries later."""


# --- telling -----------------------------------------------------------------------------


def notify(
    *,
    recipients: Iterable[Person],
    kind: str,
    dedupe_key: str,
    title: str,
    body: str = "",
    link: str = "",
    subject_id: int | None = None,
) -> list[Notification]:
    """Tell each recipient once per `dedupe_key`; answers the notifications created now."""
    return notify_many(
        [Message(person, kind, dedupe_key, title, body, link, subject_id) for person in recipients]
    )


@transaction.atomic
def notify_many(messages: Sequence[Message]) -> list[Notification]:
    """Insert the notifications (those already told are left out by the database) and
    their emails for people who want them; queue the emails once committed.

    A fixed number of queries whatever the number of messages (on PostgreSQL).
    """
    if not messages:
        return []
    batch = uuid.uuid4()
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=m.recipient.pk,
                kind=m.kind,
                dedupe_key=m.dedupe_key,
                title=m.title[:200],
                body=m.body,
                link=m.link,
                subject_id=m.subject_id,
                batch=batch,
                created_at=now,
            )
            for m in messages
        ],
        ignore_conflicts=True,
    )
    created = list(Notification.objects.filter(batch=batch).select_related("recipient"))
    wanted = _wants_email(created)
    EmailDelivery.objects.bulk_create(
        [
            EmailDelivery(notification=n, address=n.recipient.email, created_at=now)
            for n in created
            if n.pk in wanted
        ],
        ignore_conflicts=True,
    )
    if wanted:
        ids = list(
            EmailDelivery.objects.filter(notification__batch=batch).values_list("pk", flat=True)
        )
        enqueue_emails(ids)
    return created


def _wants_email(notifications: list[Notification]) -> set[int]:
    """The notifications whose recipient wants this kind by email (one query)."""
    if not notifications:
        return set()
    choices = dict(
        (((pref.person_id, pref.kind), pref.email))
        for pref in EmailPreference.objects.filter(
            person_id__in={n.recipient_id for n in notifications},
            kind__in={n.kind for n in notifications},
        )
    )
    return {
        n.pk
        for n in notifications
        if n.recipient.is_active
        and n.recipient.email
        and choices.get((n.recipient_id, n.kind), get_kind(n.kind).email_default)
    }


def enqueue_emails(delivery_ids: list[int]) -> None:
    """Queue the emails once the transaction commits. A broker that is down is logged,
    not raised: the write stands and the next email-delivery run sends them."""
    from notifications.tasks import task_deliver_emails

    def send() -> None:
        try:
            # retry=False: with the broker down, fail at once instead of holding the
            # request (or the job) while kombu retries the connection.
            task_deliver_emails.apply_async(kwargs={"delivery_ids": delivery_ids}, retry=False)
        except Exception:  # noqa: BLE001 - any broker failure: the sweep picks them up
            logger.warning(
                "Could not queue %d notification email(s); the next email-delivery run sends them",
                len(delivery_ids),
                exc_info=True,
            )

    transaction.on_commit(send)


# --- reading and preferences ------------------------------------------------------------


def mark_read(*, person: Person, notification_id: int | None = None) -> int:
    """Mark one of the person's notifications read, or all of them; answers how many."""
    unread = Notification.objects.of(person).unread()
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


@dataclass(frozen=True)
class KindChoice:
    key: str
    label: str
    email: bool


def email_choices(person: Person) -> list[KindChoice]:
    """Every kind with whether the person gets it by email (one query)."""
    chosen = dict(EmailPreference.objects.filter(person=person).values_list("kind", "email"))
    return [
        KindChoice(kind.key, kind.label, chosen.get(kind.key, kind.email_default))
        for kind in KINDS.values()
    ]


@transaction.atomic
def set_email_choices(*, person: Person, emailed: set[str]) -> None:
    """Email the person the kinds in `emailed`, and no other registered kind."""
    for kind in KINDS:
        EmailPreference.objects.update_or_create(
            person=person, kind=kind, defaults={"email": kind in emailed}
        )


# --- sending -----------------------------------------------------------------------------


def deliver_emails(*, delivery_ids: list[int] | None = None) -> RunLog:
    """Send pending emails (these, or all pending), each once; record the run.

    Raises TransientEmailError when the server cannot take them now (those not sent
    stay pending): the task retries, and the next run would send them anyway.
    """
    with recording(EMAIL_DELIVERY.name) as log:
        _give_up_interrupted(log)
        pending = EmailDelivery.objects.filter(state=EmailDelivery.State.PENDING)
        if delivery_ids is not None:
            pending = pending.filter(pk__in=delivery_ids)
        deliveries = list(
            pending.select_related("notification__recipient").order_by("pk")[:EMAILS_PER_RUN]
        )
        log.found = len(deliveries)
        if deliveries:
            _send(deliveries, log)
    return log


def _give_up_interrupted(log: RunLog) -> None:
    stale = EmailDelivery.objects.filter(
        state=EmailDelivery.State.SENDING, claimed_at__lt=timezone.now() - SENDING_STALE_AFTER
    )
    for delivery in stale.select_related("notification"):
        log.skip(
            f"Email “{delivery.notification.title}” to {delivery.address}",
            "interrupted while being sent (worker stopped); not sent again, so that "
            "nobody gets it twice",
        )
    stale.update(state=EmailDelivery.State.FAILED, error="Interrupted while being sent.")


def _send(deliveries: list[EmailDelivery], log: RunLog) -> None:
    try:
        connection = get_connection()
        connection.open()
    except (smtplib.SMTPException, OSError) as exc:
        raise TransientEmailError(f"SMTP server unavailable: {exc}") from exc
    try:
        for delivery in deliveries:
            if _claim(delivery):
                _send_one(delivery, connection, log)
    finally:
        with contextlib.suppress(smtplib.SMTPException, OSError):
            connection.close()


def _claim(delivery: EmailDelivery) -> bool:
    now = timezone.now()
    claimed = EmailDelivery.objects.filter(
        pk=delivery.pk, state=EmailDelivery.State.PENDING
    ).update(state=EmailDelivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    delivery.attempts += 1
    return bool(claimed)


def _send_one(delivery: EmailDelivery, connection, log: RunLog) -> None:
    notification = delivery.notification
    what = f"Email “{notification.title}” to {delivery.address}"
    why_not = _why_not_send(delivery)
    if why_not:
        _settle(delivery, EmailDelivery.State.SKIPPED, why_not)
        log.skip(what, why_not)
        return
    try:
        connection.send_messages([_email(notification, delivery.address)])
    except smtplib.SMTPRecipientsRefused as exc:
        reason = f"the address was refused: {_refusal(exc)}"
        _settle(delivery, EmailDelivery.State.FAILED, reason)
        log.skip(what, reason)
    except smtplib.SMTPResponseException as exc:
        if exc.smtp_code >= 500:
            reason = f"refused by the mail server ({exc.smtp_code})"
            _settle(delivery, EmailDelivery.State.FAILED, reason)
            log.skip(what, reason)
        else:
            _release(delivery, f"{exc.smtp_code} {exc.smtp_error!r}")
            raise TransientEmailError(f"SMTP {exc.smtp_code}: {exc.smtp_error!r}") from exc
    except (smtplib.SMTPException, OSError) as exc:
        _release(delivery, str(exc))
        raise TransientEmailError(f"SMTP failed: {exc}") from exc
    else:
        _settle(delivery, EmailDelivery.State.SENT, "", sent_at=timezone.now())
        log.sent += 1


def _why_not_send(delivery: EmailDelivery) -> str:
    notification = delivery.notification
    recipient = notification.recipient
    if not recipient.is_active:
        return "the recipient was deactivated"
    if not subject_exists(notification):
        return "what it was about no longer exists (deleted while the email was queued)"
    return ""


def _refusal(exc: smtplib.SMTPRecipientsRefused) -> str:
    return "; ".join(
        f"{code} {message.decode(errors='replace') if isinstance(message, bytes) else message}"
        for code, message in exc.recipients.values()
    )


def _settle(delivery: EmailDelivery, state: str, error: str, sent_at: datetime | None = None):
    EmailDelivery.objects.filter(pk=delivery.pk).update(state=state, error=error, sent_at=sent_at)


def _release(delivery: EmailDelivery, error: str) -> None:
    """Back to pending for a retry, or failed after the last attempt."""
    state = (
        EmailDelivery.State.FAILED
        if delivery.attempts >= MAX_EMAIL_ATTEMPTS
        else EmailDelivery.State.PENDING
    )
    EmailDelivery.objects.filter(pk=delivery.pk).update(state=state, error=error[:2000])


def _email(notification: Notification, address: str) -> EmailMultiAlternatives:
    site = settings.SITE_URL.rstrip("/")
    context = {
        "notification": notification,
        "person": notification.recipient,
        "link": site + notification.link if notification.link else "",
        "preferences_url": site + reverse("notifications:preferences"),
    }
    message = EmailMultiAlternatives(
        subject=" ".join(notification.title.split()),
        body=render_to_string("notifications/email/notification.txt", context),
        to=[address],
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    return message
