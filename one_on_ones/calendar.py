"""The private .ics feed: a person's upcoming 1:1s and quarterly review due dates.

Dates, names and links only. Nothing said in a 1:1 (agenda, notes, action items,
pulse) goes into a feed: a calendar app syncs it to places Trellis cannot see.
The feed URL is the secret (services.enable_calendar_feed); only its hash is stored.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event, vDuration

from accounts.models import Person
from growth import panels as growth_panels
from one_on_ones.models import CalendarFeed, OneOnOne
from one_on_ones.services import hash_token

# How far ahead the feed lists 1:1s.
HORIZON = relativedelta(months=6)
# Calendar apps that honour these poll the feed hourly.
REFRESH = timedelta(hours=1)


def person_for_token(token: str) -> Person:
    """The active person whose feed `token` opens; 404 for a wrong or revoked token."""
    feed = (
        CalendarFeed.objects.filter(token_hash=hash_token(token), person__is_active=True)
        .select_related("person")
        .first()
    )
    if feed is None:
        raise Http404("No such calendar feed.")
    return feed.person


def feed_url(token: str) -> str:
    """The full URL to subscribe to, shown once when the feed is turned on or renewed."""
    return _absolute(reverse("calendar:feed", kwargs={"token": token}))


def upcoming_one_on_ones(person: Person, today: date) -> list[OneOnOne]:
    """The person's 1:1s from today to the horizon, as manager or engineer (one query)."""
    return list(
        OneOnOne.objects.filter(
            Q(pair__manager=person) | Q(pair__engineer=person),
            date__gte=today,
            date__lte=today + HORIZON,
            pair__manager__is_active=True,
            pair__engineer__is_active=True,
        )
        .select_related("pair__manager", "pair__engineer")
        .order_by("date", "pk")
    )


def build_feed(person: Person, *, now: datetime | None = None) -> bytes:
    """The person's calendar as iCalendar bytes (two queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    host = urlsplit(settings.SITE_URL).hostname or "trellis"
    cal = Calendar()
    cal.add("prodid", "-//Trellis//1:1s and quarterly reviews//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Trellis: {person.name}")
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    for one_on_one in upcoming_one_on_ones(person, today):
        pair = one_on_one.pair
        other = pair.engineer if pair.manager_id == person.pk else pair.manager
        url = _absolute(reverse("one_on_ones:detail", kwargs={"one_on_one_id": one_on_one.pk}))
        cal.add_component(
            _all_day(
                # Stable across fetches and moves: the 1:1's row, not its date.
                uid=f"one-on-one-{one_on_one.pk}@{host}",
                day=one_on_one.date,
                summary=f"1:1 with {other.name}",
                url=url,
                now=now,
            )
        )
    for plan in growth_panels.review_dates(person):
        if plan.next_review_due > today + HORIZON:
            continue
        engineer = plan.engineer
        mine = engineer.pk == person.pk
        cal.add_component(
            _all_day(
                # One event per plan and quarter: a submitted review leaves this one
                # and the next due date becomes a new event.
                uid=f"quarterly-review-{plan.pk}-{plan.next_review_due:%Y%m%d}@{host}",
                day=plan.next_review_due,
                summary="Your quarterly review" if mine else f"Quarterly review: {engineer.name}",
                url=_absolute(reverse("growth:plan_detail", kwargs={"person_id": engineer.pk})),
                now=now,
            )
        )
    return cal.to_ical()


def _all_day(*, uid: str, day: date, summary: str, url: str, now: datetime) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("description", f"Open in Trellis: {url}")
    event.add("transp", "TRANSPARENT")  # an all-day marker, not a busy day
    return event


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path
