"""API tokens for ML pipelines: each person creates and revokes their own. A new
token is shown once, on the page that answers the form (never in a URL, never stored
but as a hash); afterwards only its first characters are shown."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.form_tools import add_service_errors
from accounts.http import AuthedRequest
from retention import rules, services
from retention.forms import TokenForm
from retention.models import ApiToken
from retention.views.scope import get_token_for_user

PAGE = "retention/tokens.html"


def _render(request: AuthedRequest, form: TokenForm, **extra) -> HttpResponse:
    tokens = ApiToken.objects.filter(person=request.user).select_related("person")
    ctx = {
        "form": form,
        "tokens": list(tokens),
        "api_url": request.build_absolute_uri(reverse("api:model_list")),
        "docs_url": reverse("api:openapi-view"),
        **extra,
    }
    return render(request, PAGE, ctx)


@login_required
@require_GET
def token_list(request: AuthedRequest) -> HttpResponse:
    return _render(request, TokenForm())


@login_required
@require_POST
def token_create(request: AuthedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if form.is_valid():
        try:
            token, raw = services.create_api_token(person=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # Answered with the page itself, not a redirect: the token is shown this once.
            return _render(request, TokenForm(), new_token=token, raw_token=raw)
    return _render(request, form)


@login_required
@require_POST
def token_revoke(request: AuthedRequest, token_id: int) -> HttpResponse:
    token = get_token_for_user(request, token_id)
    rules.require(rules.can_revoke_token(request.user, token), rules.ONLY_TOKEN_OWNER)
    services.revoke_api_token(token=token, actor=request.user)
    messages.success(request, f"“{token.name}” is revoked: pipelines using it are refused now.")
    return redirect("retention:token_list")
