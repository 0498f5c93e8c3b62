from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def review_create(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("review_create")


def review_compare(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("review_compare")


def review_detail(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("review_detail")
