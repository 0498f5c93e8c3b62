"""A person's own notifications: the bell, the list, marking read, email choices.

Only ever the signed-in person's: every lookup goes through
Notification.objects.of(request.user), so anyone else's answers 404. Marking read
works as a plain form (redirect back, PRG) and inline with htmx (the list section
and the bell, swapped out of band).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.http import AuthedRequest
from notifications import selectors, services
from notifications.forms import EmailChoicesForm
from notifications.models import Notification

LIST_PAGE = "notifications/list.html"
PREFERENCES_PAGE = "notifications/preferences.html"


def _list_context(request: AuthedRequest) -> dict:
    return {
        "notifications": selectors.inbox(request.user),
        "unread": selectors.unread_count(request.user),
        "inbox_size": selectors.INBOX_SIZE,
    }


@login_required
@require_GET
def notification_list(request: AuthedRequest) -> HttpResponse:
    return render(request, LIST_PAGE, _list_context(request))


@login_required
@require_GET
def bell(request: AuthedRequest) -> HttpResponse:
    """The bell with its unread count, which base.html loads with htmx (a plain request
    goes to the list, which shows the count too)."""
    if not request.htmx:
        return redirect("notifications:list")
    unread = selectors.unread_count(request.user)
    return render(request, "notifications/_bell.html", {"unread": unread})


def _after_marking(request: AuthedRequest) -> HttpResponse:
    if request.htmx:
        return render(request, f"{LIST_PAGE}#inbox", {**_list_context(request), "oob_bell": True})
    return redirect("notifications:list")


@login_required
@require_POST
def mark_read(request: AuthedRequest, notification_id: int) -> HttpResponse:
    notification = get_object_or_404(Notification.objects.of(request.user), pk=notification_id)
    services.mark_read(person=request.user, notification_id=notification.pk)
    return _after_marking(request)


@login_required
@require_POST
def mark_all_read(request: AuthedRequest) -> HttpResponse:
    services.mark_read(person=request.user)
    return _after_marking(request)


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthedRequest) -> HttpResponse:
    if request.method == "POST":
        form = EmailChoicesForm(request.POST)
        if form.is_valid():
            services.set_email_choices(
                person=request.user, emailed=set(form.cleaned_data["emailed"])
            )
            messages.success(request, "Your email choices are saved.")
            return redirect("notifications:preferences")
    else:
        chosen = [c.key for c in services.email_choices(request.user) if c.email]
        form = EmailChoicesForm(initial={"emailed": chosen})
    return render(request, PREFERENCES_PAGE, {"form": form})
