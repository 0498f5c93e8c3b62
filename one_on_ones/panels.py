"""What 1:1s offer the pages above them (home/) and, later, retention.

The only one_on_ones module other apps may import (import-linter keeps it so).
Cadence and dates only: nothing said in a 1:1 leaves the pair through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Person
from one_on_ones.selectors import CadenceGap, cadence_gaps

__all__ = ["CadenceGap", "OneOnOnePanel", "cadence_gaps", "home_panel"]


@dataclass(frozen=True)
class OneOnOnePanel:
    """The home page's 1:1 data for one person."""

    gaps: list[CadenceGap]  # the viewer's direct reports whose 1:1s lapsed
    template: str = "one_on_ones/_home_panel.html"


def home_panel(person: Person, *, is_manager: bool) -> OneOnOnePanel | None:
    if not is_manager:
        return None
    return OneOnOnePanel(gaps=cadence_gaps(person, direct_reports_only=True))
