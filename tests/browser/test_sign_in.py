"""Each demo login signs in, sees its role's home page, and signs out."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

DEMO_PASSWORD = "trellis-demo"


@pytest.fixture
def demo_org(transactional_db) -> None:
    # live_server runs in another thread, so the org must be committed: the
    # transactional_db fixture flushes it after the test.
    call_command("seed_demo", stdout=StringIO())


def expect_signed_out(page) -> None:
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)


@pytest.mark.parametrize(
    ("email", "heading"),
    [
        ("director@example.com", "Your organisation"),
        ("manager@example.com", "Your direct reports"),
        ("engineer@example.com", "You"),
        ("admin@example.com", "Org setup"),
    ],
)
def test_sign_in_shows_role_home_then_sign_out(page, demo_org, email, heading):
    sign_in(page, email, DEMO_PASSWORD)

    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()

    page.get_by_role("button", name="Sign out").click()

    expect_signed_out(page)


def test_sign_in_manager_sees_their_engineer(page, demo_org):
    sign_in(page, "manager@example.com", DEMO_PASSWORD)

    reports = page.get_by_role("region", name="Your direct reports")
    expect(reports.get_by_role("link", name="Leo Fischer", exact=True)).to_be_visible()


def test_sign_in_engineer_sees_own_level_and_no_reports(page, demo_org):
    sign_in(page, "engineer@example.com", DEMO_PASSWORD)

    me = page.get_by_role("region", name="You", exact=True)
    expect(me).to_contain_text("Mid")
    expect(me).to_contain_text("Priya Raman")
    expect(page.get_by_role("heading", name="Hello, Leo")).to_be_visible()
    expect(page.get_by_text("Your direct reports")).to_have_count(0)
    expect(page.get_by_text("Your organisation")).to_have_count(0)


def test_sign_in_director_sees_managers_and_teams(page, demo_org):
    sign_in(page, "director@example.com", DEMO_PASSWORD)

    org = page.get_by_role("region", name="Your organisation")
    expect(org).to_contain_text("Retrieval & RAG")
    expect(org.get_by_role("link", name="Priya Raman")).to_be_visible()


def test_sign_in_wrong_password_shows_error(page, demo_org):
    sign_in(page, "manager@example.com", "not-the-password")

    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct email and password")
    expect_signed_out(page)
