"""Permission matrix cases for notifications and job health.

A person's notifications are theirs alone: marking one read answers 404 to anyone
else, whoever they are in the reporting line. Job health is for admins and
directors (both directors: it shows the whole schedule, nobody's data).
"""

from __future__ import annotations

from types import SimpleNamespace

from notifications.services import notify
from tests.matrix import SIGNED_IN, Case, statuses

POST_ONLY = statuses(405)
OWN_WRITE = statuses(302)
JOB_HEALTH = statuses(403, admin=200, director=200, other_director=200)
HTMX = {"HX-Request": "true"}


def a_notification(org: SimpleNamespace) -> dict:
    (notification,) = notify(
        recipients=[org.engineer],
        kind="review_due",
        dedupe_key="matrix",
        title="Your quarterly review is due today",
    )
    return {"notification_id": notification.pk}


CASES = [
    Case("notifications:list", SIGNED_IN),
    Case("notifications:list", POST_ONLY, method="post"),
    # Plain: to the list; htmx: the bell with its count.
    Case("notifications:bell", statuses(302)),
    Case("notifications:bell", SIGNED_IN, headers=HTMX, label="htmx"),
    Case("notifications:bell", POST_ONLY, method="post"),
    Case(
        "notifications:mark_read",
        statuses(404, person=302),
        kwargs=a_notification,
        method="post",
    ),
    Case("notifications:mark_read", POST_ONLY, kwargs=a_notification),
    Case("notifications:mark_all_read", OWN_WRITE, method="post"),
    Case("notifications:mark_all_read", POST_ONLY),
    Case("notifications:preferences", SIGNED_IN),
    Case(
        "notifications:preferences",
        OWN_WRITE,
        method="post",
        data=lambda org: {"emailed": ["review_due"]},
    ),
    Case("notifications:job_health", JOB_HEALTH),
    Case("notifications:job_health", POST_ONLY, method="post"),
]
