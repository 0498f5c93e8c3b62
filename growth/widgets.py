from __future__ import annotations

from django import forms
from django.urls import reverse_lazy


class CoachedTextarea(forms.Textarea):
    """A textarea that asks the coach about vague or positional wording as it is typed.

    htmx posts the field's own value, and only that (hx-params; the CSRF token comes
    from <body hx-headers>), to growth:coach and swaps the advice into a live region
    beside the field. On page load it asks once, and only if the field already has
    text: an empty field needs no advice. Advice never blocks saving; without
    JavaScript the same advice is shown after submit (growth.coach.advice_for_form).
    """

    template_name = "growth/widgets/coached_textarea.html"
    TRIGGER = "input changed delay:400ms"

    def __init__(self, attrs: dict | None = None) -> None:
        # A caller that gives its own hx-trigger (a quieter one) gets exactly that.
        self.ask_on_load = "hx-trigger" not in (attrs or {})
        base = {"rows": 3, "hx-trigger": self.TRIGGER}
        super().__init__({**base, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget_id = context["widget"]["attrs"].get("id") or f"id_{name}"
        coach_id = f"coach-{widget_id}"
        attrs = context["widget"]["attrs"]
        # Keep any description Django set (help text, errors) and add the coach's.
        described_by = " ".join(filter(None, [attrs.get("aria-describedby"), coach_id]))
        # Whether the field has text is decided here, not by an htmx trigger filter
        # (load[...]): htmx evaluates filters with eval, which the CSP forbids.
        text = context["widget"]["value"] or ""
        if self.ask_on_load and text.strip():
            attrs["hx-trigger"] = f"{self.TRIGGER}, load"
        attrs.update(
            {
                "hx-post": str(reverse_lazy("growth:coach")),
                "hx-target": f"#{coach_id}",
                "hx-swap": "innerHTML",
                # The field's own name (with any form prefix), never the whole form.
                "hx-params": name,
                "aria-describedby": described_by,
            }
        )
        context["coach_id"] = coach_id
        return context
