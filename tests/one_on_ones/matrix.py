"""Permission matrix cases for the 1:1 URLs.

The person of every case is org.engineer; the pair is org.manager and org.engineer,
and the builders make their 1:1s through the services. 1:1 content belongs to the
pair, not to the reporting line: the director gets 404 on it, as anyone outside
does. Writes the reporting line may see but not make (logging, cadence, consent)
answer 403 to the person or director they are not for.
"""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from one_on_ones import services
from one_on_ones.models import OneOnOne, Pair
from tests.matrix import SIGNED_IN, Case, statuses

PAIR_READS = statuses(404, person=200, manager=200)
PAIR_WRITES = statuses(404, person=302, manager=302)
PAIR_HTMX = statuses(404, person=200, manager=200)
MANAGER_WRITES = statuses(404, manager=302, person=403, director=403)
ENGINEER_WRITES = statuses(404, person=302, manager=403)
ENGINEER_CONSENT = statuses(404, person=302, manager=403, director=403)
POST_ONLY = statuses(405)  # a write URL refuses GET, before looking anything up


def the_engineer(org: SimpleNamespace) -> dict:
    return {"engineer_id": org.engineer.pk}


def held_one_on_one(org: SimpleNamespace) -> OneOnOne:
    """Today's 1:1 of org.manager and org.engineer, logged on first use."""
    today = timezone.localdate()
    held = OneOnOne.objects.filter(
        pair__manager=org.manager, pair__engineer=org.engineer, date=today
    ).first()
    org.one_on_one = held or services.log_one_on_one(
        engineer=org.engineer, manager=org.manager, day=today
    )
    return org.one_on_one


def a_one_on_one(org: SimpleNamespace) -> dict:
    return {"one_on_one_id": held_one_on_one(org).pk}


def a_full_one_on_one(org: SimpleNamespace) -> dict:
    """A 1:1 with something in every part: the page as it is used."""
    one = held_one_on_one(org)
    today = timezone.localdate()
    services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Rotation to serving")
    item = services.add_agenda_item(one_on_one=one, actor=org.manager, text="Offsite plans")
    services.set_agenda_discussed(item=item, actor=org.engineer, discussed=True)
    services.add_action_item(
        one_on_one=one,
        actor=org.manager,
        text="Draft the eval plan",
        owner=org.engineer,
        due_date=today - timedelta(days=1),
    )
    services.add_action_item(
        one_on_one=one, actor=org.manager, text="Ask about GPUs", owner=org.manager, due_date=None
    )
    services.save_shared_notes(
        one_on_one=one,
        actor=org.manager,
        version=one.version,
        text="# Notes\n\n- **Rotation**: serving next quarter\n- [Design doc](https://example.com)",
    )
    services.save_private_note(one_on_one=one, author=org.manager, version=0, body="Mine alone")
    services.answer_pulse(
        one_on_one=one,
        engineer=org.engineer,
        learning=2,
        work_used=4,
        direction=3,
        direction_concern="Unsure about the roadmap",
    )
    return {"one_on_one_id": one.pk}


def a_pair_with_history(org: SimpleNamespace) -> dict:
    """The engineer's page with pulse answers over months and an earlier manager."""
    today = timezone.localdate()
    earlier = Pair.objects.create(manager=org.other_manager, engineer=org.engineer)
    OneOnOne.objects.create(
        pair=earlier, date=today - timedelta(days=200), created_by=org.other_manager
    )
    for weeks, score in ((20, 4), (10, 3), (1, 2)):
        one = services.log_one_on_one(
            engineer=org.engineer, manager=org.manager, day=today - timedelta(weeks=weeks)
        )
        services.add_agenda_item(one_on_one=one, actor=org.manager, text="Status")
        services.answer_pulse(
            one_on_one=one, engineer=org.engineer, learning=score, work_used=3, direction=5
        )
    return the_engineer(org)


def an_engineer_with_a_pair(org: SimpleNamespace) -> dict:
    held_one_on_one(org)
    return the_engineer(org)


def an_agenda_item(org: SimpleNamespace) -> dict:
    org.agenda_item = services.add_agenda_item(
        one_on_one=held_one_on_one(org), actor=org.engineer, text="Rotation"
    )
    return {"item_id": org.agenda_item.pk}


def an_engineers_action(org: SimpleNamespace) -> dict:
    org.action_item = services.add_action_item(
        one_on_one=held_one_on_one(org),
        actor=org.manager,
        text="Draft the eval plan",
        owner=org.engineer,
        due_date=None,
    )
    return {"item_id": org.action_item.pk}


def log_data(org: SimpleNamespace) -> dict:
    return {"date": (timezone.localdate() + timedelta(days=7)).isoformat()}


def shared_data(org: SimpleNamespace) -> dict:
    return {"text": "We talked about the rotation.", "version": str(org.one_on_one.version)}


def action_data(org: SimpleNamespace) -> dict:
    return {"text": "Book the design review", "owner": str(org.engineer.pk), "due_date": ""}


def pulse_data(org: SimpleNamespace) -> dict:
    return {"learning": "4", "work_used": "3", "direction": "5", "direction_concern": ""}


HTMX = {"HX-Request": "true"}

CASES = [
    Case("one_on_ones:list", SIGNED_IN),
    Case("one_on_ones:list", statuses(405), method="post"),
    Case("one_on_ones:pair", PAIR_READS, kwargs=the_engineer, label="no-1on1-yet"),
    Case("one_on_ones:pair", PAIR_READS, kwargs=a_pair_with_history),
    Case("one_on_ones:log", MANAGER_WRITES, kwargs=the_engineer, method="post", data=log_data),
    Case("one_on_ones:log", POST_ONLY, kwargs=the_engineer),
    Case(
        "one_on_ones:cadence",
        MANAGER_WRITES,
        kwargs=the_engineer,
        method="post",
        data=lambda org: {"cadence": "7"},
    ),
    Case("one_on_ones:cadence", POST_ONLY, kwargs=the_engineer),
    Case(
        "one_on_ones:consent",
        ENGINEER_CONSENT,
        kwargs=an_engineer_with_a_pair,
        method="post",
        data=lambda org: {"consent": "on"},
    ),
    Case("one_on_ones:consent", POST_ONLY, kwargs=the_engineer),
    Case("one_on_ones:detail", PAIR_READS, kwargs=a_full_one_on_one),
    Case("one_on_ones:detail", PAIR_READS, kwargs=a_one_on_one, label="empty"),
    Case("one_on_ones:detail", statuses(405), kwargs=a_one_on_one, method="post"),
    Case(
        "one_on_ones:shared_notes",
        PAIR_WRITES,
        kwargs=a_one_on_one,
        method="post",
        data=shared_data,
    ),
    Case(
        "one_on_ones:shared_notes",
        PAIR_HTMX,
        kwargs=a_one_on_one,
        method="post",
        data=shared_data,
        headers=HTMX,
        label="htmx",
    ),
    Case("one_on_ones:shared_notes", POST_ONLY, kwargs=a_one_on_one),
    Case(
        "one_on_ones:private_note",
        PAIR_WRITES,
        kwargs=a_one_on_one,
        method="post",
        data=lambda org: {"body": "Mine alone", "version": "0"},
    ),
    Case("one_on_ones:private_note", POST_ONLY, kwargs=a_one_on_one),
    Case(
        "one_on_ones:agenda_add",
        PAIR_WRITES,
        kwargs=a_one_on_one,
        method="post",
        data=lambda org: {"text": "How the offsite went"},
    ),
    Case(
        "one_on_ones:agenda_add",
        PAIR_HTMX,
        kwargs=a_one_on_one,
        method="post",
        data=lambda org: {"text": "How the offsite went"},
        headers=HTMX,
        label="htmx",
    ),
    Case("one_on_ones:agenda_add", POST_ONLY, kwargs=a_one_on_one),
    Case(
        "one_on_ones:agenda_discussed",
        PAIR_WRITES,
        kwargs=an_agenda_item,
        method="post",
        data=lambda org: {"checked": "on"},
    ),
    Case("one_on_ones:agenda_discussed", POST_ONLY, kwargs=an_agenda_item),
    Case(
        "one_on_ones:action_add",
        PAIR_WRITES,
        kwargs=a_one_on_one,
        method="post",
        data=action_data,
    ),
    Case("one_on_ones:action_add", POST_ONLY, kwargs=a_one_on_one),
    # Only the owner ticks (here the engineer); the manager may see it, not tick it.
    Case(
        "one_on_ones:action_done",
        ENGINEER_WRITES,
        kwargs=an_engineers_action,
        method="post",
        data=lambda org: {"checked": "on"},
    ),
    Case("one_on_ones:action_done", POST_ONLY, kwargs=an_engineers_action),
    Case("one_on_ones:pulse", ENGINEER_WRITES, kwargs=a_one_on_one, method="post", data=pulse_data),
    Case("one_on_ones:pulse", POST_ONLY, kwargs=a_one_on_one),
]
