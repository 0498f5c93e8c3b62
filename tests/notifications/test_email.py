"""Email through a real SMTP server on loopback (aiosmtpd): sent once, refused addresses
recorded, a server that cannot take mail now left for the retry."""

from __future__ import annotations

import pytest

from notifications.models import EmailDelivery, JobRun
from notifications.services import TransientEmailError, deliver_emails, notify


def tell(*people, key: str = "k"):
    return notify(
        recipients=people,
        kind="review_due",
        dedupe_key=key,
        title="Your quarterly review is due today",
        body="Bring three questions.",
        link="/growth/my-plan/",
    )


def test_an_email_reaches_the_smtp_server_once_with_text_and_html(org, smtp):
    tell(org.engineer)

    deliver_emails()
    deliver_emails()

    (envelope,) = smtp.accepted
    assert envelope.rcpt_tos == ["eli@example.com"]
    content = envelope.content.decode()
    assert "Subject: Your quarterly review is due today" in content
    assert "text/plain" in content and "text/html" in content
    assert EmailDelivery.objects.get().state == "sent"


def test_a_refused_address_is_recorded_and_the_others_still_go(org, smtp):
    smtp.refused.add("eli@example.com")
    tell(org.engineer, org.manager)

    log = deliver_emails()

    assert smtp.recipients() == ["mara@example.com"]
    assert dict(EmailDelivery.objects.values_list("address", "state")) == {
        "eli@example.com": "failed",
        "mara@example.com": "sent",
    }
    assert log.skipped == [
        {
            "what": "Email “Your quarterly review is due today” to eli@example.com",
            "why": "the address was refused: 550 5.1.1 No such mailbox",
        }
    ]
    # Not retried: the next run sends nothing more.
    assert deliver_emails().found == 0


def test_a_server_that_cannot_take_mail_now_leaves_it_pending_for_the_retry(org, smtp):
    smtp.data_failures.append("421 4.3.2 Try again later")
    tell(org.engineer)

    with pytest.raises(TransientEmailError):
        deliver_emails()
    failed = JobRun.objects.get(job="email-delivery")
    retried = deliver_emails()

    assert failed.outcome == "failed"
    assert "421" in failed.error
    assert retried.sent == 1
    assert smtp.recipients() == ["eli@example.com"]
    delivery = EmailDelivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("sent", 2)


def test_a_deactivated_recipient_is_not_emailed(org, smtp):
    tell(org.engineer)
    org.engineer.is_active = False
    org.engineer.save()

    log = deliver_emails()

    assert smtp.accepted == []
    assert [s["why"] for s in log.skipped] == ["the recipient was deactivated"]


def test_every_task_has_a_retry_limit_and_no_countdown_reaches_the_visibility_timeout(settings):
    from notifications.tasks import MAX_RETRIES, backoff, task_deliver_emails
    from notifications.tasks import task_send_review_reminders as reminders

    settings.EMAIL_RETRY_SECONDS = 600

    assert [t.max_retries for t in (task_deliver_emails, reminders)] == [MAX_RETRIES, 3]
    assert all(t.acks_late for t in (task_deliver_emails, reminders))
    assert (
        max(backoff(n) for n in range(MAX_RETRIES + 1)) == settings.BROKER_VISIBILITY_TIMEOUT // 2
    )
