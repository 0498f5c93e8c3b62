from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def coach(request: HttpRequest) -> HttpResponse:  # stub: the coach work replaces this
    return HttpResponse("")
