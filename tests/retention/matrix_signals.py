"""Permission matrix cases for the retention signals: the dashboard, one engineer's
signals and the CSV export. Everyone signed in has a dashboard (of the people below
them); a team filter or an engineer outside the viewer's line is 404."""

from __future__ import annotations

from types import SimpleNamespace

from tests.matrix import REPORTING_LINE, SIGNED_IN, Case, statuses

# Vision (org.engineer's team) is in scope of those with Vision people below them.
VISION_BELOW = statuses(404, manager=200, director=200)


def the_engineer(org: SimpleNamespace) -> dict:
    return {"person_id": org.engineer.pk}


def vision_filter(org: SimpleNamespace) -> dict:
    return {"team": str(org.vision.pk)}


CASES = [
    Case("retention:dashboard", SIGNED_IN),
    Case("retention:dashboard", VISION_BELOW, data=vision_filter, label="team"),
    Case("retention:dashboard_export", SIGNED_IN),
    Case("retention:dashboard_export", VISION_BELOW, data=vision_filter, label="team"),
    Case("retention:person_signals", REPORTING_LINE, kwargs=the_engineer),
]
