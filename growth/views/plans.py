from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def my_plan(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("my_plan")


def plan_detail(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("plan_detail")


def plan_edit(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("plan_edit")


def plan_history(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("plan_history")


def experiment_create(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("experiment_create")


def experiment_edit(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("experiment_edit")


def experiment_move(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("experiment_move")


def experiment_close(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("experiment_close")


def commitment_create(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("commitment_create")


def commitment_edit(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("commitment_edit")


def comment_create(request: HttpRequest, **kwargs) -> HttpResponse:  # stub
    return HttpResponse("comment_create")
