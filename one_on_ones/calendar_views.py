"""The calendar feed: a settings page to turn it on, renew or turn it off, and the feed.

The feed itself has no sign-in (calendar apps cannot sign in): its URL is the
secret, so it answers 404 to anything but a live token and is never cached.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from one_on_ones import calendar, services
from one_on_ones.models import CalendarFeed

PAGE = "one_on_ones/calendar.html"


@login_required
@require_GET
def calendar_settings(request: AuthedRequest) -> HttpResponse:
    return render(request, PAGE, _context(request))


@login_required
@require_POST
def calendar_enable(request: AuthedRequest) -> HttpResponse:
    """Turn the feed on, or renew it: the new URL is shown in this response only."""
    token = services.enable_calendar_feed(person=request.user)
    return render(request, PAGE, _context(request, new_url=calendar.feed_url(token)))


@login_required
@require_POST
def calendar_revoke(request: AuthedRequest) -> HttpResponse:
    services.revoke_calendar_feed(person=request.user)
    messages.success(request, "Calendar feed turned off: its link no longer works.")
    return redirect("calendar:settings")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = calendar.person_for_token(token)
    response = HttpResponse(
        calendar.build_feed(person), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="trellis.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    # Personal: no shared cache may keep it, nor serve it after a revoke.
    add_never_cache_headers(response)
    return response


def _context(request: AuthedRequest, *, new_url: str = "") -> dict:
    feed = CalendarFeed.objects.filter(person=request.user).first()
    return {"feed": feed, "new_url": new_url}
