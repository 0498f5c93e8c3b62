"""An imported person gets in through their invitation, in a real browser.

The admin invites from the Invitations page (an htmx form); the invitee opens
the link from the email Trellis sent, chooses a password and lands signed in.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.invitations import send_invitations
from accounts.models import Person
from tests.browser.conftest import sign_in
from tests.conftest import make_person

pytestmark = pytest.mark.browser

ADMIN_PASSWORD = "invitations-admin-Pa55!"
CHOSEN = "eli-chose-this-Pa55!"


@pytest.fixture
def admin(transactional_db, settings, live_server) -> Person:
    # Links in emails point at the server the browser talks to.
    settings.SITE_URL = live_server.url
    person = make_person("ada@example.com", "Ada Admin", is_staff=True)
    person.set_password(ADMIN_PASSWORD)
    person.save()
    return person


@pytest.fixture
def eli(transactional_db) -> Person:
    return make_person("eli@example.com", "Eli Engineer")  # imported: no password


def link_in(mail) -> str:
    match = re.search(r"(http://\S+/accounts/invitation/[\w-]+/)", mail.body)
    assert match is not None, mail.body
    return match.group(1)


def test_invitee_opens_the_emailed_link_chooses_a_password_and_is_signed_in(
    page, admin, eli, mailoutbox
):
    send_invitations(people=Person.objects.filter(pk=eli.pk), invited_by=admin)
    link = link_in(mailoutbox[0])

    page.goto(link)
    expect(page.get_by_role("heading", name="Welcome to Trellis")).to_be_visible()
    page.get_by_label("New password:", exact=True).fill(CHOSEN)
    page.get_by_label("New password confirmation").fill(CHOSEN)
    page.get_by_role("button", name="Set my password and sign in").click()

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name="Hello, Eli")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Your password is set")

    # The password works from now on; the link does not.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "eli@example.com", CHOSEN)
    expect(page.get_by_role("heading", name="Hello, Eli")).to_be_visible()
    page.goto(link)
    expect(
        page.get_by_role("heading", name="This invitation has already been used")
    ).to_be_visible()


def test_admin_invites_from_the_invitations_page(page, admin, eli, mailoutbox):
    sign_in(page, admin.email, ADMIN_PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Org setup").click()
    page.get_by_role("link", name="Invitations").click()
    row = page.get_by_role("row", name=re.compile("Eli Engineer"))
    expect(row).to_contain_text("Not invited")

    row.get_by_role("button", name="Invite to Eli Engineer").click()

    expect(page.get_by_role("status")).to_contain_text(
        "Invitation sent to Eli Engineer (eli@example.com)."
    )
    expect(page.get_by_role("row", name=re.compile("Eli Engineer"))).to_contain_text("Invited")
    assert [mail.to for mail in mailoutbox] == [["eli@example.com"]]
