"""Attribution: who gets the credit. For an engineer in the viewer's reporting line,
every contribution to work dated in a period, grouped by role (for a work item, who
did what on it is its own page, calibration:work_item_detail)."""

from __future__ import annotations

import calendar
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.http import AuthedRequest
from calibration.evidence import attribution_of
from calibration.views.scope import get_person_for_user
from calibration.views.work_items import results_context
from calibration.work_item_forms import DateInput


def six_months_before(day: date) -> date:
    """The same day six months earlier (the month's last day when that month is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 - 6, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class PeriodForm(forms.Form):
    start = forms.DateField(label="From", widget=DateInput())
    end = forms.DateField(label="To", widget=DateInput())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The period ends before it starts.")
        return data


@login_required
@require_GET
def attribution(request: AuthedRequest, person_id: int) -> HttpResponse:
    person = get_person_for_user(request, person_id)
    today = timezone.localdate()
    default = {"start": six_months_before(today), "end": today}
    asked = {k: v for k, v in request.GET.items() if k in default and v}  # blank: the default
    form = PeriodForm({**{k: v.isoformat() for k, v in default.items()}, **asked})
    # A period that does not parse is pointed out, and the last six months shown meanwhile.
    period = form.cleaned_data if form.is_valid() else default
    context = {
        "person": person,
        "form": form,
        "attribution": attribution_of(person, start=period["start"], end=period["end"]),
        **results_context(request),
    }
    return render(request, "calibration/attribution.html", context)
