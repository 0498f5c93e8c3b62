from __future__ import annotations

from django import template

from growth.coach import CoachNote, find_vague_wording

register = template.Library()


@register.filter
def coach_notes(text: str | None) -> list[CoachNote]:
    """The coach's notes on saved text, so pages show the advice without JavaScript.

    Usage: {% load coach %}{% for note in plan.gap|coach_notes %}…{% endfor %}
    or {% include "growth/_coach.html" with notes=plan.gap|coach_notes %}.
    """
    return find_vague_wording(str(text or ""))
