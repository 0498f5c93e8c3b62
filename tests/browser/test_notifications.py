"""A person reads a notification from the bell and turns off email for that kind."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from notifications.models import EmailPreference, Notification
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

PASSWORD = "notifications-Pa55!"


def test_a_person_reads_a_notification_from_the_bell_and_turns_off_its_email(
    page, transactional_db
):
    eli = make_person("eli@example.com", "Eli Engineer")
    eli.set_password(PASSWORD)
    eli.save()
    # Straight into the inbox: no email queued, so no broker is needed here.
    Notification.objects.create(
        recipient=eli,
        kind="review_due",
        dedupe_key="review:1:2026-Q3:review_due",
        title="Your quarterly review is due today",
        body="Bring three questions to your manager.",
    )
    sign_in(page, eli.email, PASSWORD)

    bell = page.get_by_role("link", name="Notifications 1 unread")
    expect(bell).to_be_visible()
    bell.click()
    expect(page.get_by_role("heading", name="Your quarterly review is due today")).to_be_visible()
    page.get_by_role("button", name="Mark as read").click()
    expect(page.get_by_role("heading", name="All read")).to_be_visible()
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    page.get_by_role("link", name="Choose which ones you also get by email").click()
    box = page.get_by_label("Quarterly review due today")
    expect(box).to_be_checked()
    box.uncheck()
    page.get_by_role("button", name="Save email choices").click()

    expect(page.get_by_text("Your email choices are saved.")).to_be_visible()
    expect(page.get_by_label("Quarterly review due today")).not_to_be_checked()
    assert EmailPreference.objects.get(person=eli, kind="review_due").email is False
