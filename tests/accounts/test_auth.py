"""Signing in, throttling, password reset and change, signing out.

Sign-ins post to the login URL through the test client, so django-axes sees
a real request (client.login would bypass it).
"""

from __future__ import annotations

import logging
import re

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from accounts.models import Person
from config.logging_filters import ForbiddenAsOneLine
from tests.conftest import make_person
from tests.growth.builders import engineer_plan

PASSWORD = "correct-horse-battery-7"
WRONG_MESSAGE = "Please enter a correct email and password."
LOCKED_MESSAGE = "Too many failed sign-ins"


def with_password(person: Person, password: str = PASSWORD) -> Person:
    person.set_password(password)
    person.save(update_fields=["password"])
    return person


@pytest.fixture
def eli(db) -> Person:
    return with_password(make_person("eli@example.com", "Eli Engineer"))


def sign_in(client, email: str, password: str):
    return client.post(reverse("login"), {"username": email, "password": password})


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_page_renders_labelled_fields(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="id_username">Email</label>' in html
    assert '<label for="id_password">Password</label>' in html
    assert 'id="id_username"' in html
    assert 'id="id_password"' in html
    assert '<button type="submit">Sign in</button>' in html


def test_login_wrong_password_shows_error(client, eli):
    response = sign_in(client, "eli@example.com", "not-my-password")

    assert response.status_code == 200
    assert response.templates[0].name == "registration/login.html"
    assert WRONG_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_login_correct_password_redirects_home(client, eli):
    response = sign_in(client, "eli@example.com", PASSWORD)

    assert response.status_code == 302
    assert response.url == reverse("home")
    assert is_signed_in(client)
    assert "Hello, Eli" in client.get(reverse("home")).content.decode()


def test_password_is_stored_hashed_with_argon2(eli):
    eli.refresh_from_db()

    assert eli.password.startswith("argon2")
    assert PASSWORD not in eli.password


def test_login_five_failures_lock_the_account(client, eli):
    for _ in range(4):
        assert sign_in(client, "eli@example.com", "guess").status_code == 200

    fifth = sign_in(client, "eli@example.com", "guess")

    assert fifth.status_code == 429
    assert LOCKED_MESSAGE in fifth.content.decode()
    assert "Try again in 15 minutes" in fifth.content.decode()


def test_login_locked_account_refuses_correct_password(client, eli):
    for _ in range(5):
        sign_in(client, "eli@example.com", "guess")

    response = sign_in(client, "eli@example.com", PASSWORD)

    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not is_signed_in(client)
    assert client.get(reverse("home")).status_code == 302


def test_login_four_failures_do_not_lock(client, eli):
    for _ in range(4):
        sign_in(client, "eli@example.com", "guess")

    response = sign_in(client, "eli@example.com", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_login_lock_is_per_account(client, eli):
    priya = with_password(make_person("priya@example.com", "Priya Peer"))
    for _ in range(5):
        sign_in(client, "eli@example.com", "guess")

    # Same browser, same address: only the attacked account is locked.
    response = sign_in(client, priya.email, PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_password_reset_emails_a_link_that_sets_a_new_password(client, eli, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "eli@example.com"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["eli@example.com"]
    assert mail.subject == "Reset your Trellis password"
    link = re.search(r"http://testserver(/accounts/reset/\S+/)", mail.body)
    assert link is not None

    form_page = client.get(link.group(1), follow=True)
    assert form_page.status_code == 200
    assert "Choose a new password" in form_page.content.decode()
    set_password_url = form_page.redirect_chain[-1][0]
    done = client.post(
        set_password_url,
        {"new_password1": "brand-new-passphrase-9", "new_password2": "brand-new-passphrase-9"},
    )

    assert done.status_code == 302
    assert done.url == reverse("password_reset_complete")
    assert "Password changed" in client.get(done.url).content.decode()
    assert sign_in(client, "eli@example.com", "brand-new-passphrase-9").status_code == 302
    # The link works once.
    reused = client.get(link.group(1), follow=True)
    assert "This reset link no longer works" in reused.content.decode()


def test_password_reset_unknown_email_sends_nothing(client, db, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    # Same answer as for a known address, so the form does not reveal who has an account.
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert mailoutbox == []


def test_password_reset_form_renders_labelled_email(client, db):
    response = client.get(reverse("password_reset"))

    assert response.status_code == 200
    assert '<label for="id_email">' in response.content.decode()


def test_password_change_works_for_signed_in_user(client, eli):
    client.force_login(eli)
    page = client.get(reverse("password_change"))
    assert '<label for="id_old_password">' in page.content.decode()

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase-3",
            "new_password2": "another-long-passphrase-3",
        },
    )

    assert response.status_code == 302
    assert response.url == reverse("password_change_done")
    eli.refresh_from_db()
    assert check_password("another-long-passphrase-3", eli.password)
    # Still signed in after the change.
    assert client.get(reverse("home")).status_code == 200


def test_password_change_wrong_old_password_shows_error(client, eli):
    client.force_login(eli)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "not-it",
            "new_password1": "another-long-passphrase-3",
            "new_password2": "another-long-passphrase-3",
        },
    )

    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    eli.refresh_from_db()
    assert check_password(PASSWORD, eli.password)


def test_password_change_anonymous_redirects_to_login(client, db):
    response = client.get(reverse("password_change"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_logout_get_is_refused(client, eli):
    client.force_login(eli)

    response = client.get(reverse("logout"))

    assert response.status_code == 405
    assert is_signed_in(client)


def test_logout_post_ends_the_session(client, eli):
    client.force_login(eli)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert response.url == reverse("login")
    assert not is_signed_in(client)
    home = client.get(reverse("home"))
    assert home.status_code == 302
    assert home.url.startswith(reverse("login"))


def test_login_ignores_case_of_typed_email(client, eli):
    response = sign_in(client, "  Eli@Example.COM ", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


# Issue 7: the lockout counts per account however the email is typed, and per
# client address; over-long input is a wrong login; a 403 logs one line.

ADDRESS_LOCKED_MESSAGE = "Too many failed sign-ins from your network"
EMAIL_VARIANTS = [
    "Eli@example.com",
    "eli@example.COM",
    " eli@example.com",
    "\teli@example.com",
    "ELI@EXAMPLE.COM\t ",
]


def test_login_locked_account_refuses_every_spelling_of_its_email(client, eli):
    for _ in range(5):
        sign_in(client, "eli@example.com", "guess")

    answers = {
        variant: sign_in(client, variant, PASSWORD).status_code for variant in EMAIL_VARIANTS
    }

    assert answers == dict.fromkeys(EMAIL_VARIANTS, 429)
    assert not is_signed_in(client)
    # Nor did the right password under another spelling clear the lock.
    response = sign_in(client, "eli@example.com", PASSWORD)
    assert response.status_code == 429
    assert LOCKED_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_login_failures_under_email_variants_add_up(client, eli):
    for variant in EMAIL_VARIANTS:
        sign_in(client, variant, "guess")

    response = sign_in(client, "eli@example.com", PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_login_failures_count_letters_postgresql_folds_together(client, eli):
    # PostgreSQL's UPPER() turns a dotless ı into I, so "elı@example.com"
    # signs in as eli@example.com there: it must share eli's count.
    for _ in range(4):
        sign_in(client, "eli@example.com", "guess")
    sign_in(client, "elı@example.com", "guess")

    assert sign_in(client, "eli@example.com", PASSWORD).status_code == 429


def test_login_failures_from_one_address_lock_every_account_there(client, eli, settings):
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    priya = with_password(make_person("priya@example.com", "Priya Peer"))
    # Three per account: no account reaches its own limit.
    for email in ["eli@example.com"] * 3 + ["nobody@example.com"] * 3:
        sign_in(client, email, "guess")

    response = sign_in(client, priya.email, PASSWORD)

    assert response.status_code == 429
    assert ADDRESS_LOCKED_MESSAGE in response.content.decode()
    assert not is_signed_in(client)
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert sign_in(elsewhere, priya.email, PASSWORD).status_code == 302


def test_login_address_is_the_one_the_proxy_saw(eli, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 6
    priya = with_password(make_person("priya@example.com", "Priya Peer"))
    proxy = "10.0.0.2"
    attacker = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    for email in ["eli@example.com"] * 3 + ["nobody@example.com"] * 3:
        sign_in(attacker, email, "guess")
    # The left part of the header is the client's to write; only the proxy's own entry counts.
    spoofing = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="192.0.2.9, 203.0.113.5")
    colleague = Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.7")

    assert sign_in(spoofing, priya.email, PASSWORD).status_code == 429
    assert sign_in(colleague, priya.email, PASSWORD).status_code == 302


def test_login_overlong_email_is_a_wrong_login(client, eli):
    # SQLite refuses a LIKE pattern over 50,000 bytes once it has a row to compare.
    email = "x" * 50_000 + "@example.com"

    response = sign_in(client, email, PASSWORD)

    assert response.status_code == 200
    assert WRONG_MESSAGE in response.content.decode()
    assert not is_signed_in(client)


def test_admin_login_overlong_email_is_a_wrong_login(client, eli):
    email = "x" * 50_000 + "@example.com"

    response = client.post(reverse("admin:login"), {"username": email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Please enter the correct email and password" in response.content.decode()


def test_forbidden_logs_one_line_without_traceback(client, org, caplog):
    engineer_plan(org)
    client.force_login(org.manager)
    url = reverse("growth:plan_edit", kwargs={"person_id": org.engineer.pk})

    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(url)

    assert response.status_code == 403
    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.levelno == logging.WARNING
    assert record.exc_info is None
    assert record.getMessage() == (
        f"Forbidden: user {org.manager.pk} GET {url}: Only the engineer edits their growth plan."
    )


def test_forbidden_keeps_its_reason_when_logging_is_configured_twice(client, org, caplog):
    """Configuring logging again (a Celery worker started in the same process does)
    attaches the filter a second time; the reason must survive the second pass."""
    logger = logging.getLogger("django.request")
    again = ForbiddenAsOneLine()
    logger.addFilter(again)
    engineer_plan(org)
    client.force_login(org.manager)
    url = reverse("growth:plan_edit", kwargs={"person_id": org.engineer.pk})

    try:
        with caplog.at_level(logging.WARNING, logger="django.request"):
            client.get(url)
    finally:
        logger.removeFilter(again)

    [record] = [r for r in caplog.records if r.name == "django.request"]
    assert record.getMessage().endswith(": Only the engineer edits their growth plan.")
