from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import import_string
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.forms import InvitationForm, OrgImportForm
from accounts.http import AuthedRequest
from accounts.invitations import (
    ONLY_ADMINS,
    InvitationConflict,
    InvitationUnusable,
    SentInvitations,
    accept_invitation,
    hash_token,
    invitation_rows,
    never_invited,
    send_invitations,
)
from accounts.models import Invitation, Person
from accounts.org_tree import OrgTree
from accounts.services import import_org


@login_required
@require_GET
def org_chart(request: AuthedRequest) -> HttpResponse:
    # Who reports to whom in three columns for the whole subtree; whole rows only for
    # the people shown, so the page stays small however large the org (org_tree.py).
    links = Person.objects.visible_to(request.user).values_list("pk", "manager_id", "is_active")
    tree = OrgTree(links, request.user.pk)
    asked = request.GET.get("open", "")
    open_id = int(asked) if asked.isdigit() else None
    if open_id is not None and open_id not in tree:
        raise Http404("Nobody with that id in your reporting line.")
    people = Person.objects.select_related("team")
    if request.htmx and open_id is not None:
        # htmx swaps one closed branch in for its "show reports" link.
        rows = tree.branch(open_id, people.in_bulk(tree.reports(open_id)))
        template = "accounts/org_chart.html#branch"
    else:
        opened = tree.opened(open_id=open_id)
        rows = tree.rows(opened, people.in_bulk(tree.shown(opened)))
        template = "accounts/org_chart.html"
    ctx = {
        "rows": rows,
        "count": tree.size,
        # One reverse() for the whole chart rather than a {% url %} per person.
        "profile_url_prefix": reverse("home:person_detail", args=[0]).removesuffix("0/"),
        "chart_url": reverse("accounts:org_chart"),
    }
    response = render(request, template, ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker-compose: the database, and the broker if set."""
    from django.conf import settings

    checks: dict[str, str] = {}
    status = 200
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means unhealthy
        checks["database"] = f"error: {exc.__class__.__name__}"
        status = 503
    if settings.REDIS_URL:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {exc.__class__.__name__}"
            status = 503
    return JsonResponse({"status": "ok" if status == 200 else "error", **checks}, status=status)


@login_required
@require_GET
def org_setup(request: AuthedRequest) -> HttpResponse:
    if not request.user.is_staff:
        raise PermissionDenied
    return render(request, "accounts/org_setup.html", {"never_invited": never_invited().count()})


@login_required
def org_import(request: AuthedRequest) -> HttpResponse:
    # Admins only: an import can change anyone's manager, level and team.
    if not request.user.is_staff:
        raise PermissionDenied
    report = None
    if request.method == "POST":
        form = OrgImportForm(request.POST, request.FILES)
        if form.is_valid():
            report = import_org(file=form.cleaned_data["file"])
            if report.ok:
                messages.success(request, report.summary())
                return redirect("accounts:org_import")
    else:
        form = OrgImportForm()
    return render(request, "accounts/org_import.html", {"form": form, "report": report})


# --- invitations -------------------------------------------------------------------------
# Admins invite people who cannot sign in yet (accounts/invitations.py); the
# invitee opens the emailed link, signed in or not, and chooses a password.

INVITATIONS_PAGE = "accounts/invitations.html"
CONFLICT = (
    "Another admin invited some of the same people at that moment, so nobody was invited "
    "by you. Check the list and try again."
)


def _require_admin(request: AuthedRequest) -> None:
    # Invitations are org setup: admins only, wherever they sit in the tree.
    if not request.user.is_staff:
        raise PermissionDenied(ONLY_ADMINS)


def _render_invitations(
    request: AuthedRequest, *, form: InvitationForm | None = None, notice: dict | None = None
) -> HttpResponse:
    """The page, or for htmx its #invitees section; invalid forms come back with status 200."""
    rows = invitation_rows()
    context = {
        "rows": rows,
        "counts": Counter(str(row.status) for row in rows),
        "form": form,
        "notice": notice,
        "days": settings.INVITATION_DAYS,
    }
    template = f"{INVITATIONS_PAGE}#invitees" if request.htmx else INVITATIONS_PAGE
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_GET
def invitation_list(request: AuthedRequest) -> HttpResponse:
    _require_admin(request)
    return _render_invitations(request)


@login_required
@require_POST
def invitation_send(request: AuthedRequest) -> HttpResponse:
    """Invite, or invite again, one person (a row's button) or everyone ticked."""
    _require_admin(request)
    form = InvitationForm(request.POST)
    if not form.is_valid():
        return _render_invitations(request, form=form)
    return _send(request, form.cleaned_data["person"])


@login_required
@require_POST
def invitation_send_all(request: AuthedRequest) -> HttpResponse:
    _require_admin(request)
    return _send(request, never_invited())


def _send(request: AuthedRequest, people: QuerySet[Person]) -> HttpResponse:
    try:
        sent = send_invitations(people=people, invited_by=request.user)
    except InvitationConflict:
        level, text = messages.ERROR, CONFLICT
    else:
        level, text = _sent_message(sent)
    if request.htmx:
        return _render_invitations(
            request, notice={"level": messages.DEFAULT_TAGS[level], "text": text}
        )
    messages.add_message(request, level, text)
    return redirect("accounts:invitations")


def _sent_message(sent: SentInvitations) -> tuple[int, str]:
    days = settings.INVITATION_DAYS
    invited = sent.invited
    if not invited:
        return messages.INFO, "Nobody to invite: everyone has an invitation or a password already."
    if len(invited) == 1:
        text = f"Invitation sent to {invited[0].name} ({invited[0].email})."
    else:
        text = f"Invitations sent to {len(invited)} people."
    text += f" The link works once, for {days} day{'s' * (days != 1)}."
    if sent.not_emailed:
        names = ", ".join(person.name for person in sent.not_emailed)
        return messages.WARNING, (
            f"{text} But the email could not be sent to: {names}. "
            "Their links were not delivered; send theirs again in a while."
        )
    return messages.SUCCESS, text


def _get_invitation_for_token(token: str) -> Invitation:
    """The invitation a link opens; 404 for a token nobody was sent (mistyped, tampered)."""
    qs = Invitation.objects.select_related("person", "invited_by")
    return get_object_or_404(qs, token_hash=hash_token(token))


@require_http_methods(["GET", "POST"])
@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = _get_invitation_for_token(token)
    reason = invitation.why_unusable()
    if reason:
        return _invitation_unusable(request, invitation, reason)
    form = SetPasswordForm(invitation.person, request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            person = accept_invitation(
                invitation=invitation, password=form.cleaned_data["new_password1"]
            )
        except InvitationUnusable as exc:
            return _invitation_unusable(request, invitation, exc.reason)
        # Whoever was signed in on this browser before is signed out by this.
        login(request, person, backend=_password_backend())
        messages.success(
            request,
            f"Welcome to Trellis, {person.get_short_name()}. Your password is set: "
            f"from now on you sign in with {person.email} and it.",
        )
        return redirect("home")
    context = {"form": form, "invitation": invitation, "person": invitation.person}
    return render(request, "accounts/invitation_accept.html", context)


def _password_backend() -> str:
    # The configured backend that knows people by their password (axes' guard,
    # listed first, signs nobody in), named rather than hard-coded.
    return next(
        path
        for path in settings.AUTHENTICATION_BACKENDS
        if issubclass(import_string(path), ModelBackend)
    )


def _invitation_unusable(request: HttpRequest, invitation: Invitation, reason: str) -> HttpResponse:
    # 410 Gone: the link was real but works no more (used, replaced, expired).
    context = {"invitation": invitation, "reason": reason}
    return render(request, "accounts/invitation_unusable.html", context, status=410)
