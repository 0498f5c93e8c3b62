"""Permission matrix cases for the accounts and project-level URLs."""

from __future__ import annotations

from types import SimpleNamespace

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
