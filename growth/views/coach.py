from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from accounts.http import AuthedRequest
from growth.coach import MAX_COACH_CHARS, find_vague_wording

CSRF_FIELD = "csrfmiddlewaretoken"


@login_required
@require_POST
def coach(request: AuthedRequest) -> HttpResponse:
    """Advice on the one field being typed in (htmx): vague or positional wording, with nudges.

    htmx posts the whole enclosing form unless told otherwise, so the coach reads only
    the field that asked: the one htmx names in HX-Trigger-Name (a CoachedTextarea also
    posts nothing else, with hx-params). Advice about one field must never show under
    another. A plain POST without that header is read by its first field.
    Always 200, even for long text: advice must never get in the way of typing.
    """
    name = request.htmx.trigger_name if request.htmx else None
    if not name:
        name = next((key for key in request.POST if key != CSRF_FIELD), "")
    text = request.POST.get(name, "") if name != CSRF_FIELD else ""
    notes = find_vague_wording(text[:MAX_COACH_CHARS])
    return render(request, "growth/_coach.html", {"notes": notes})
