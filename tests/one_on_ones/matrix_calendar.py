"""Permission matrix cases for the calendar feed (one_on_ones/urls_calendar.py).

The settings page and its writes act on the signed-in person's own feed, so every
signed-in role gets the same answer. The feed has no sign-in: its token is the key,
so anyone (a calendar app) gets it with a live token and 404 with any other.
"""

from __future__ import annotations

from types import SimpleNamespace

from one_on_ones import services
from tests.matrix import ANYONE, SIGNED_IN, Case, statuses


def engineer_feed(org: SimpleNamespace) -> dict:
    return {"token": services.enable_calendar_feed(person=org.engineer)}


def wrong_token(org: SimpleNamespace) -> dict:
    services.enable_calendar_feed(person=org.engineer)
    return {"token": "not-the-token"}


CASES = [
    Case("calendar:settings", SIGNED_IN),
    Case("calendar:settings", statuses(405), method="post"),
    # Shows the new link in the answer itself: it is never shown again.
    Case("calendar:enable", statuses(200), method="post"),
    Case("calendar:enable", statuses(405), label="post-only"),
    Case("calendar:revoke", statuses(302), method="post"),
    Case("calendar:revoke", statuses(405), label="post-only"),
    Case("calendar:feed", ANYONE, kwargs=engineer_feed),
    Case("calendar:feed", statuses(404, anonymous=404), kwargs=wrong_token, label="wrong-token"),
    Case("calendar:feed", statuses(405, anonymous=405), kwargs=engineer_feed, method="post"),
]
