"""Permission matrix cases for the accounts and project-level URLs."""

from __future__ import annotations

import secrets
from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from accounts.invitations import hash_token
from accounts.models import Invitation
from tests.matrix import (
    ADMIN_ONLY,
    ANYONE,
    LOGIN,
    REPORTING_LINE,
    SIGNED_IN,
    Case,
    statuses,
)


def the_person(org: SimpleNamespace) -> dict:
    return {"person_id": org.engineer.pk}


CASES = [
    Case("home", SIGNED_IN),
    Case("healthz", ANYONE),
    Case("accounts:org_chart", SIGNED_IN),
    # Admins too follow the reporting line in the app; they see the org
    # through the admin site and the import page.
    Case("home:person_detail", REPORTING_LINE, kwargs=the_person),
    Case("accounts:org_setup", ADMIN_ONLY),
    Case("accounts:org_import", ADMIN_ONLY),
    # An empty upload re-renders the form for an admin; refused for everyone else.
    Case("accounts:org_import", ADMIN_ONLY, method="post", label="empty"),
    # django.contrib.auth
    Case("login", ANYONE),
    # Signing out is a POST; a GET must not sign anyone out.
    Case("logout", statuses(LOGIN), method="post"),
    Case("logout", statuses(405, anonymous=405), method="get"),
    Case("password_change", SIGNED_IN),
    Case("password_change_done", SIGNED_IN),
    Case("password_reset", ANYONE),
    Case("password_reset_done", ANYONE),
    Case("password_reset_complete", ANYONE),
    # Empty forms re-render with their errors.
    Case("login", ANYONE, method="post"),
    Case("password_change", SIGNED_IN, method="post"),
    Case("password_reset", ANYONE, method="post"),
    # Pages that only read refuse other methods (require_GET), after sign-in.
    Case("home", statuses(405), method="post"),
    Case("accounts:org_chart", statuses(405), method="post"),
    Case("home:person_detail", statuses(405), kwargs=the_person, method="post"),
    Case("accounts:org_setup", statuses(405), method="post"),
]


def _invite(org: SimpleNamespace, person, **fields) -> str:
    """An invitation to `person` by org.admin, replacing any open one; its link's token."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    Invitation.objects.filter(person=person, accepted_at=None, replaced_at=None).update(
        replaced_at=now
    )
    fields.setdefault("expires_at", now + timedelta(days=7))
    Invitation.objects.create(
        person=person, invited_by=org.admin, token_hash=hash_token(token), **fields
    )
    return token


def invitations_of_every_kind(org: SimpleNamespace) -> dict:
    """Someone invited, someone whose link expired, someone who accepted (and the rest never
    invited), so the page shows every status."""
    now = timezone.now()
    _invite(org, org.peer)
    _invite(org, org.other_engineer, created_at=now - timedelta(days=9), expires_at=now)
    _invite(org, org.far_engineer, accepted_at=now)
    org.far_engineer.set_password("chosen-by-fay-1")
    org.far_engineer.save(update_fields=["password"])
    return {}


def an_invitation(org: SimpleNamespace) -> dict:
    """The link's token in a fresh invitation to org.engineer, as the email carries it."""
    return {"token": _invite(org, org.engineer)}


CASES += [
    # Invitations are org setup: admins only.
    Case("accounts:invitations", ADMIN_ONLY, kwargs=invitations_of_every_kind),
    Case("accounts:invitations", statuses(405), method="post"),
    # Empty: nobody chosen, the page again with the error; refused for everyone else.
    Case("accounts:invitation_send", ADMIN_ONLY, method="post", label="empty"),
    Case(
        "accounts:invitation_send",
        statuses(403, admin=302),
        method="post",
        data=lambda org: {"person": [org.engineer.pk]},
        label="one",
    ),
    Case("accounts:invitation_send", statuses(405), method="get"),
    Case("accounts:invitation_send_all", statuses(403, admin=302), method="post"),
    Case("accounts:invitation_send_all", statuses(405), method="get"),
    # The emailed link: the token is the credential, whoever opens it.
    Case("accounts:invitation_accept", ANYONE, kwargs=an_invitation),
    # Empty: the form again with its errors.
    Case("accounts:invitation_accept", ANYONE, kwargs=an_invitation, method="post"),
]
