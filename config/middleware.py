"""Response headers for the browser that Django has no setting for.

The Content-Security-Policy comes from django-csp (CONTENT_SECURITY_POLICY in
settings.py); X-Frame-Options, nosniff, Referrer-Policy and HSTS from Django's
own security settings. Static files never reach this middleware: WhiteNoise,
above it, answers them first and keeps their long-lived caching.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils.cache import add_never_cache_headers, patch_vary_headers

# Trellis uses none of these; a script that got into a page could not either.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


class BrowserDefencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        # A signed-in page shows someone's growth data: a shared computer's browser
        # must not keep it, nor show it again on Back, after sign-out. A view that
        # chose its own caching keeps it.
        if request.user.is_authenticated and not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        # Any URL may answer htmx a partial and a browser the whole page (plan
        # sections, inline edit forms). Saying so on every response, rather than in
        # each view that reads request.htmx, means a new view cannot forget it;
        # a cache keeps at most two copies of a URL that never differs.
        patch_vary_headers(response, ["HX-Request"])
        return response
