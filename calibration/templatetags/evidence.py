from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from calibration.models import WorkItem

register = template.Library()

HIDDEN = mark_safe(  # a constant: nothing from the database in it
    '<span class="badge">Result hidden'
    '<span class="visually-hidden"> while you draft ratings</span></span>'
)


@register.simple_tag(takes_context=True)
def work_item_result(context: template.Context, item: WorkItem) -> SafeString:
    """The work item's result, or "Result hidden" unless the page says it may show it.

    Outcome-blind drafting (calibration/rules.py, results_hidden_from): a manager with
    an unlocked draft must not see any result. Hiding is the default: a view shows
    results only by passing `show_results=True`, computed from that rule, so a page
    that forgets the flag hides rather than leaks.

    Usage: {% load evidence %}{% work_item_result item %}
    """
    if context.get("show_results") is True:
        return format_html('<span class="badge">Result: {}</span>', item.get_result_display())
    return HIDDEN
