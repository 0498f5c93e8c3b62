from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def ladder(request: HttpRequest) -> HttpResponse:  # stub: the ladder work replaces this
    return HttpResponse("ladder")
