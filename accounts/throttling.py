"""Sign-in throttling: the hooks django-axes calls (the AXES_* settings).

Axes counts failed sign-ins per account, keyed on the account however its
email is typed (`account_key`), and `SignInThrottle` adds a second, higher
limit per client address (`client_address`). `lockout_response` tells which
lock stopped the sign-in.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

# Axes keeps the key in a 255-character column; no email is longer than 254.
_KEY_MAX_LENGTH = 254


def account_key(request: HttpRequest, credentials: dict | None) -> str:
    """The account an attempt counts against (AXES_USERNAME_CALLABLE).

    Sign-in strips the typed email and matches it ignoring case
    (PersonManager.get_by_natural_key), so every spelling it accepts for one
    account must share that account's count. upper() before lower() also folds
    the letters PostgreSQL's UPPER() merges: a dotless "ı" is an "I" there.
    """
    typed = (credentials or request.POST).get("username") or ""
    return typed.strip().upper().lower()[:_KEY_MAX_LENGTH]


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address (AXES_CLIENT_IP_CALLABLE).

    Each of the TRUSTED_PROXY_COUNT proxies in front appends the address it saw
    to X-Forwarded-For, so the client's is that many entries from the right;
    entries further left are the client's own to write. Without proxies, or
    when the header lacks the entry, the connecting address.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    if proxies and len(forwarded) >= proxies:
        try:
            return str(ipaddress.ip_address(forwarded[-proxies].strip()))
        except ValueError:
            pass
    return request.META.get("REMOTE_ADDR")


def is_address_locked(request: HttpRequest) -> bool:
    """Whether the client's address has reached LOGIN_ADDRESS_FAILURE_LIMIT."""
    recent = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        attempt_time__gte=get_cool_off_threshold(request),
    )
    failures = recent.aggregate(n=Sum("failures_since_start"))["n"] or 0
    return failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT


class SignInThrottle(AxesDatabaseHandler):
    """Axes' database handler with a second limit, per client address.

    Axes compares one count with one limit: the account's failures with
    AXES_FAILURE_LIMIT. An address past its own limit reports at least that
    many, so every account is refused from there until the cool-off passes.
    A successful sign-in clears only that account's failures, because
    AXES_LOCKOUT_PARAMETERS names the account alone: with the address there too,
    signing in to one's own account would wipe every failure from that address.
    """

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        if is_address_locked(request):
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """The page a refused sign-in gets (AXES_LOCKOUT_CALLABLE): which lock, how long."""
    context = {
        "by_address": is_address_locked(request),
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "cooloff_timedelta": settings.AXES_COOLOFF_TIME,
    }
    return render(request, "registration/locked_out.html", context, status=429)
