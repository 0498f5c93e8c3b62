from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from growth.coach import MAX_COACH_CHARS, find_vague_wording


@login_required
@require_POST
def coach(request: HttpRequest) -> HttpResponse:
    """Advice on what is being typed (htmx): vague or positional wording, with nudges.

    Reads every posted field, so one CoachedTextarea or a whole form can ask.
    Always 200, even for long text: advice must never get in the way of typing.
    """
    text = "\n".join(
        value
        for key, values in request.POST.lists()
        if key != "csrfmiddlewaretoken"
        for value in values
    )
    notes = find_vague_wording(text[:MAX_COACH_CHARS])
    return render(request, "growth/_coach.html", {"notes": notes})
