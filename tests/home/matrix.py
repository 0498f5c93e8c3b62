"""Permission matrix cases for the home app's own URLs (the home page and profile are
in tests/accounts/matrix.py with the other project-level URLs)."""

from __future__ import annotations

from tests.matrix import SIGNED_IN, Case, statuses

CASES = [
    # The bench's empty page (home/views.py floor): any signed-in person.
    Case("home:floor", SIGNED_IN),
    Case("home:floor", statuses(405), method="post"),
]
