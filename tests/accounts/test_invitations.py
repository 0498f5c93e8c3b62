"""Invitations: an admin invites people who cannot sign in yet; each opens the
emailed link, chooses a password and is signed in. And password reset reaches
people who never chose a password.

Emails go out after commit, so tests that look at django.core.mail.outbox run
the commit callbacks (django_capture_on_commit_callbacks(execute=True)).
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from smtplib import SMTPException

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django.utils import timezone

from accounts.invitations import (
    InvitationUnusable,
    accept_invitation,
    invitation_rows,
    send_invitations,
)
from accounts.models import Invitation, Person
from tests.conftest import make_person

NEW_PASSWORD = "a-long-and-new-passphrase-4"
LINK = re.compile(re.escape(settings.SITE_URL) + r"(/accounts/invitation/[\w-]+/)")
RESET_LINK = re.compile(r"http://testserver(/accounts/reset/\S+/)")


class FailingBackend(BaseEmailBackend):
    """A mail server that refuses everything."""

    def send_messages(self, email_messages):
        raise SMTPException("421 Service not available")


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    """POST to an invitation URL as `admin` and let the emails go out, as after a real commit."""

    def post(admin: Person, url_name: str, data: dict | None = None, **kwargs):
        client.force_login(admin)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse(url_name), data or {}, **kwargs)

    return post


def invite(send, admin: Person, *people: Person):
    return send(admin, "accounts:invitation_send", {"person": [p.pk for p in people]})


def link_in(mail) -> str:
    """The invitation link's path, from the plain text of an email."""
    match = LINK.search(mail.body)
    assert match is not None, mail.body
    return match.group(1)


def choose_password(client, path: str, password: str = NEW_PASSWORD, confirm: str | None = None):
    data = {"new_password1": password, "new_password2": confirm or password}
    return client.post(path, data)


def signed_in_as(client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def open_invitation(person: Person) -> Invitation:
    return Invitation.objects.get(person=person, accepted_at=None, replaced_at=None)


# --- the whole path --------------------------------------------------------------------------


def test_invite_email_link_password_then_signed_in(client, org, send, mailoutbox):
    response = invite(send, org.admin, org.engineer)

    assert response.status_code == 302
    assert response.url == reverse("accounts:invitations")
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == ["eli@example.com"]
    assert mail.reply_to == ["ada@example.com"]
    assert mail.subject == "Ada Admin invited you to Trellis"
    path = link_in(mail)
    html, mimetype = mail.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{settings.SITE_URL}{path}"' in html

    client.logout()
    form_page = client.get(path)
    assert form_page.status_code == 200
    assert "Welcome to Trellis" in form_page.content.decode()
    assert "eli@example.com" in form_page.content.decode()

    done = choose_password(client, path)

    assert done.status_code == 302
    assert done.url == reverse("home")
    assert signed_in_as(client) == org.engineer.pk
    assert "Your password is set" in client.get(reverse("home")).content.decode()
    org.engineer.refresh_from_db()
    assert check_password(NEW_PASSWORD, org.engineer.password)
    assert Invitation.objects.get(person=org.engineer).accepted_at is not None


def test_invitation_stores_only_a_hash_of_the_token(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)

    token = link_in(mailoutbox[0]).rstrip("/").rsplit("/", 1)[1]
    invitation = Invitation.objects.get(person=org.engineer)

    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()


def test_invitation_link_works_once(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    path = link_in(mailoutbox[0])
    client.logout()
    choose_password(client, path)
    client.logout()

    reused = client.get(path)
    posted_again = choose_password(client, path, "yet-another-passphrase-5")

    assert reused.status_code == 410
    assert "This invitation has already been used" in reused.content.decode()
    assert posted_again.status_code == 410
    assert signed_in_as(client) is None
    org.engineer.refresh_from_db()
    assert check_password(NEW_PASSWORD, org.engineer.password)


def test_invitation_link_expires_after_invitation_days(client, org, send, mailoutbox):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        invite(send, org.admin, org.engineer)
        path = link_in(mailoutbox[0])
        client.logout()
        traveller.shift(timedelta(days=settings.INVITATION_DAYS, seconds=1))

        page = client.get(path)
        posted = choose_password(client, path)

    assert page.status_code == 410
    html = page.content.decode()
    assert "This invitation has expired" in html
    assert "Ask Ada Admin, your admin" in html
    assert reverse("password_reset") in html
    assert posted.status_code == 410
    org.engineer.refresh_from_db()
    assert not org.engineer.has_usable_password()


def test_invitation_link_works_until_just_before_expiry(client, org, send, mailoutbox):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        invite(send, org.admin, org.engineer)
        client.logout()
        traveller.shift(timedelta(days=settings.INVITATION_DAYS, seconds=-1))

        response = choose_password(client, link_in(mailoutbox[0]))

    assert response.status_code == 302
    assert signed_in_as(client) == org.engineer.pk


def test_invitation_days_comes_from_settings(org, settings, django_capture_on_commit_callbacks):
    settings.INVITATION_DAYS = 2
    now = timezone.now()

    send_invitations(
        people=Person.objects.filter(pk=org.engineer.pk), invited_by=org.admin, now=now
    )

    assert open_invitation(org.engineer).expires_at == now + timedelta(days=2)


def test_resend_replaces_the_old_link(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    invite(send, org.admin, org.engineer)
    old, new = link_in(mailoutbox[0]), link_in(mailoutbox[1])
    client.logout()

    old_page = client.get(old)
    old_posted = choose_password(client, old)

    assert old != new
    assert old_page.status_code == 410
    assert "A newer invitation replaced this one" in old_page.content.decode()
    assert old_posted.status_code == 410
    assert Invitation.objects.filter(person=org.engineer).count() == 2
    assert Invitation.objects.filter(person=org.engineer, replaced_at=None).count() == 1
    assert choose_password(client, new).status_code == 302
    assert signed_in_as(client) == org.engineer.pk


@pytest.mark.parametrize("token", ["not-a-token", "x" * 43])
def test_unknown_link_is_404(client, org, token):
    response = client.get(reverse("accounts:invitation_accept", args=[token]))

    assert response.status_code == 404


def test_tampered_link_is_404_and_changes_nothing(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    path = link_in(mailoutbox[0])
    last = path[-2]
    tampered = path[:-2] + ("A" if last != "A" else "B") + "/"
    client.logout()

    response = choose_password(client, tampered)

    assert response.status_code == 404
    assert open_invitation(org.engineer).accepted_at is None


@pytest.mark.parametrize(
    ("password", "confirm", "message"),
    [
        (NEW_PASSWORD, "something-else-entirely-6", "The two password fields didn’t match."),
        ("short", "short", "This password is too short."),
        ("password123", "password123", "This password is too common."),
        ("", "", "This field is required."),
    ],
)
def test_invalid_password_shows_why_and_changes_nothing(
    client, org, send, mailoutbox, password, confirm, message
):
    invite(send, org.admin, org.engineer)
    client.logout()

    response = client.post(
        link_in(mailoutbox[0]), {"new_password1": password, "new_password2": confirm}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert signed_in_as(client) is None
    org.engineer.refresh_from_db()
    assert not org.engineer.has_usable_password()
    assert open_invitation(org.engineer).accepted_at is None


def test_deactivated_person_cannot_accept(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)
    client.logout()

    response = choose_password(client, link_in(mailoutbox[0]))

    assert response.status_code == 410
    assert "has been deactivated" in response.content.decode()
    assert signed_in_as(client) is None


def test_link_is_used_up_once_a_password_is_set_another_way(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    org.engineer.set_password("set-through-password-reset-8")
    org.engineer.save(update_fields=["password"])
    client.logout()

    response = choose_password(client, link_in(mailoutbox[0]))

    assert response.status_code == 410
    assert "already been used" in response.content.decode()


def test_accepting_signs_out_whoever_was_signed_in(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    client.force_login(org.manager)

    choose_password(client, link_in(mailoutbox[0]))

    assert signed_in_as(client) == org.engineer.pk


def test_accept_twice_from_two_tabs_sets_the_password_once(org):
    send_invitations(people=Person.objects.filter(pk=org.engineer.pk), invited_by=org.admin)
    first_tab = open_invitation(org.engineer)
    second_tab = Invitation.objects.select_related("person").get(pk=first_tab.pk)
    accept_invitation(invitation=first_tab, password=NEW_PASSWORD)

    with pytest.raises(InvitationUnusable) as refused:
        accept_invitation(invitation=second_tab, password="second-tab-passphrase-9")

    assert refused.value.reason == Invitation.USED
    org.engineer.refresh_from_db()
    assert check_password(NEW_PASSWORD, org.engineer.password)


def test_accept_page_is_never_cached(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)

    response = client.get(link_in(mailoutbox[0]))

    assert "no-store" in response["Cache-Control"]


# --- the admin's page and actions ------------------------------------------------------------


def test_page_shows_who_was_invited_accepted_or_never_was(client, org):
    now = timezone.now()
    for person, fields in (
        (org.engineer, {}),
        (org.peer, {"expires_at": now - timedelta(days=1)}),
        (org.far_engineer, {"accepted_at": now}),
    ):
        fields.setdefault("expires_at", now + timedelta(days=7))
        Invitation.objects.create(
            person=person, invited_by=org.admin, token_hash=person.email, **fields
        )
    org.far_engineer.set_password(NEW_PASSWORD)
    org.far_engineer.save(update_fields=["password"])
    org.manager.set_password(NEW_PASSWORD)
    org.manager.save(update_fields=["password"])
    client.force_login(org.admin)

    response = client.get(reverse("accounts:invitations"))

    statuses = {row.person.email: str(row.status) for row in response.context["rows"]}
    assert statuses["eli@example.com"] == "invited"
    assert statuses["priya@example.com"] == "expired"
    assert statuses["fay@example.com"] == "accepted"
    assert statuses["mara@example.com"] == "has_password"
    assert statuses["sam@example.com"] == "not_invited"
    html = response.content.decode()
    assert "Invite everyone not yet invited (7)" in html
    assert 'Send again<span class="visually-hidden"> to Eli Engineer' in html
    assert 'Send again<span class="visually-hidden"> to Priya Peer' in html
    assert 'Invite<span class="visually-hidden"> to Sam Speech' in html
    assert "to Fay Far</span>" not in html  # accepted: nothing to send


def test_deactivated_people_are_not_listed(client, org):
    Person.objects.filter(pk=org.outsider.pk).update(is_active=False)

    emails = {row.person.email for row in invitation_rows()}

    assert "otto@example.com" not in emails
    assert "eli@example.com" in emails


def test_send_all_invites_everyone_never_invited_and_nobody_else(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    org.manager.set_password(NEW_PASSWORD)
    org.manager.save(update_fields=["password"])
    Person.objects.filter(pk=org.outsider.pk).update(is_active=False)
    mailoutbox.clear()

    response = send(org.admin, "accounts:invitation_send_all")

    assert response.status_code == 302
    recipients = sorted(mail.to[0] for mail in mailoutbox)
    assert recipients == [
        "ada@example.com",
        "dana@example.com",
        "fay@example.com",
        "olu@example.com",
        "omar@example.com",
        "pat@example.com",
        "priya@example.com",
        "sam@example.com",
    ]
    # Eli's first link still works: send-all does not resend.
    assert Invitation.objects.filter(person=org.engineer).count() == 1


def test_send_all_with_nobody_left_says_so(client, org, send, mailoutbox):
    send(org.admin, "accounts:invitation_send_all")
    mailoutbox.clear()

    response = send(org.admin, "accounts:invitation_send_all", follow=True)

    assert mailoutbox == []
    assert "Nobody to invite" in response.content.decode()


def test_send_selected_invites_each_one(client, org, send, mailoutbox):
    response = invite(send, org.admin, org.engineer, org.peer)

    assert sorted(mail.to[0] for mail in mailoutbox) == ["eli@example.com", "priya@example.com"]
    assert "Invitations sent to 2 people" in client.get(response.url).content.decode()


def test_send_nobody_chosen_shows_error(client, org, send, mailoutbox):
    response = send(org.admin, "accounts:invitation_send")

    assert response.status_code == 200
    assert "Choose at least one person to invite." in response.content.decode()
    assert mailoutbox == []


@pytest.mark.parametrize("value", ["has_password", "inactive", "999999", "eli"])
def test_send_to_someone_who_cannot_be_invited_changes_nothing(
    client, org, send, mailoutbox, value
):
    org.manager.set_password(NEW_PASSWORD)
    org.manager.save(update_fields=["password"])
    Person.objects.filter(pk=org.outsider.pk).update(is_active=False)
    person = {"has_password": org.manager.pk, "inactive": org.outsider.pk}.get(value, value)

    response = send(org.admin, "accounts:invitation_send", {"person": [org.engineer.pk, person]})

    assert response.status_code == 200
    assert "Nobody was invited" in response.content.decode()
    assert mailoutbox == []
    assert not Invitation.objects.exists()


def test_send_htmx_returns_the_section_with_a_notice(client, org, send, mailoutbox):
    response = send(
        org.admin,
        "accounts:invitation_send",
        {"person": [org.engineer.pk]},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<section id="invitees"')
    assert "Invitation sent to Eli Engineer (eli@example.com)." in html
    assert "HX-Request" in response["Vary"]
    assert len(mailoutbox) == 1


def test_send_reports_emails_the_mail_server_refused(client, transactional_db, org, settings):
    # A real commit (transactional_db), so the emails go out before the view answers.
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    client.force_login(org.admin)

    response = client.post(reverse("accounts:invitation_send"), {"person": [org.engineer.pk]})

    page = client.get(response.url).content.decode()
    assert "the email could not be sent to: Eli Engineer" in page
    # The invitation stands; sending again makes a new link.
    assert open_invitation(org.engineer).accepted_at is None


@pytest.mark.parametrize(
    ("url_name", "method"),
    [
        ("accounts:invitations", "get"),
        ("accounts:invitation_send", "post"),
        ("accounts:invitation_send_all", "post"),
    ],
)
@pytest.mark.parametrize("role", ["engineer", "manager", "director"])
def test_only_admins_reach_invitations(client, org, mailoutbox, url_name, method, role):
    client.force_login(getattr(org, role))

    response = getattr(client, method)(reverse(url_name), {"person": [org.engineer.pk]})

    assert response.status_code == 403
    assert not Invitation.objects.exists()
    assert mailoutbox == []


def test_anonymous_is_sent_to_sign_in(client, org):
    response = client.get(reverse("accounts:invitations"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_send_invitations_refuses_a_non_admin(org):
    with pytest.raises(PermissionDenied):
        send_invitations(people=Person.objects.all(), invited_by=org.manager)

    assert not Invitation.objects.exists()


def _people(count: int) -> Person:
    """An admin and `count` people without a password; returns the admin."""
    admin = make_person("admin@example.com", "Admin", is_staff=True)
    admin.set_password(NEW_PASSWORD)
    admin.save(update_fields=["password"])
    Person.objects.bulk_create(
        Person(email=f"p{i}@example.com", name=f"Person {i}", password="!") for i in range(count)
    )
    return admin


@pytest.mark.parametrize("count", [3, 12])
def test_send_all_query_count_does_not_grow_with_people(
    client, db, django_assert_num_queries, mailoutbox, count
):
    admin = _people(count)
    client.force_login(admin)

    # Session, user, savepoint, the people (locked), replace open ones, insert, release.
    with django_assert_num_queries(7):
        response = client.post(reverse("accounts:invitation_send_all"))

    assert response.status_code == 302
    assert Invitation.objects.count() == count


@pytest.mark.parametrize("count", [3, 12])
def test_invitations_page_query_count_does_not_grow_with_people(
    client, db, django_assert_num_queries, count
):
    admin = _people(count)
    people = Person.objects.exclude(pk=admin.pk)
    send_invitations(people=people.filter(pk__in=people.values("pk")[:2]), invited_by=admin)
    client.force_login(admin)

    # Session, user, roles (nav), people, invitations.
    with django_assert_num_queries(5):
        response = client.get(reverse("accounts:invitations"))

    assert len(response.context["rows"]) == count + 1


# --- password reset for people who never chose a password ----------------------------------


def test_password_reset_reaches_an_invitee_who_never_accepted(client, org, send, mailoutbox):
    invite(send, org.admin, org.engineer)
    mailoutbox.clear()
    client.logout()

    response = client.post(reverse("password_reset"), {"email": "Eli@Example.com"})

    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")
    assert [mail.to for mail in mailoutbox] == [["eli@example.com"]]
    link = RESET_LINK.search(mailoutbox[0].body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.url == reverse("password_reset_complete")
    org.engineer.refresh_from_db()
    assert check_password(NEW_PASSWORD, org.engineer.password)


def test_password_reset_reaches_someone_imported_and_never_invited(client, org, mailoutbox):
    client.post(reverse("password_reset"), {"email": "priya@example.com"})

    assert [mail.to for mail in mailoutbox] == [["priya@example.com"]]


def test_password_reset_sends_nothing_to_a_deactivated_person(client, org, mailoutbox):
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)

    response = client.post(reverse("password_reset"), {"email": "eli@example.com"})

    assert mailoutbox == []
    # The same answer as for anyone: the form does not say who has an account.
    assert response.status_code == 302
    assert response.url == reverse("password_reset_done")


def test_password_reset_answers_alike_for_unknown_and_known_addresses(client, org, mailoutbox):
    known = client.post(reverse("password_reset"), {"email": "eli@example.com"})
    unknown = client.post(reverse("password_reset"), {"email": "nobody@example.com"})

    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert len(mailoutbox) == 1


# --- where admins find it ----------------------------------------------------------------


def test_org_setup_counts_people_never_invited(client, org):
    client.force_login(org.admin)

    response = client.get(reverse("accounts:org_setup"))

    html = response.content.decode()
    assert "11 people have never been invited." in html
    assert reverse("accounts:invitations") in html


def test_import_page_says_how_imported_people_get_in(client, org):
    client.force_login(org.admin)

    html = client.get(reverse("accounts:org_import")).content.decode()

    assert "cannot sign in until they choose a password" in html
    assert reverse("accounts:invitations") in html
