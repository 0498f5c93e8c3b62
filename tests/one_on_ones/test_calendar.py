"""The calendar feed: turned on, renewed and off by its person; the .ics has dates,
names and links only, and answers 404 to anything but a live token."""

from __future__ import annotations

import hashlib
import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from accounts.models import Person
from growth.models import GrowthPlan
from one_on_ones import services
from one_on_ones.models import CalendarFeed
from tests.conftest import make_person
from tests.growth.builders import engineer_plan

TODAY = date(2026, 9, 20)
SITE_URL = "https://trellis.example.org"
FEED_URL = re.compile(r"https://trellis\.example\.org/calendar/([A-Za-z0-9_-]+)\.ics")


@pytest.fixture(autouse=True)
def today(settings):
    settings.SITE_URL = SITE_URL
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield


def feed_of(client, person: Person):
    token = services.enable_calendar_feed(person=person)
    client.logout()
    return client.get(reverse("calendar:feed", kwargs={"token": token}))


def listed(response) -> list[tuple[str, date]]:
    """The feed's events as (title, day), in date order."""
    cal = Calendar.from_ical(response.content)
    return sorted(
        ((str(e["SUMMARY"]), e.decoded("DTSTART")) for e in cal.walk("VEVENT")),
        key=lambda event: (event[1], event[0]),
    )


def uids(response) -> list[str]:
    return [str(e["UID"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]


def log(org, day: date, engineer=None):
    return services.log_one_on_one(engineer=engineer or org.engineer, manager=org.manager, day=day)


# The settings page -------------------------------------------------------------------


def test_settings_page_offers_to_turn_the_feed_on(client, org):
    client.force_login(org.engineer)

    response = client.get(reverse("calendar:settings"))

    assertContains(response, "You have no calendar link.")
    assertContains(response, "Turn on the calendar feed")


def test_turning_the_feed_on_shows_the_full_url_once_and_stores_only_its_hash(client, org):
    client.force_login(org.engineer)

    response = client.post(reverse("calendar:enable"))

    token = FEED_URL.search(response.content.decode())[1]
    feed = CalendarFeed.objects.get(person=org.engineer)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    assertContains(response, "it is shown only this once")
    later = client.get(reverse("calendar:settings"))
    assertContains(later, "Renew the link")
    assertNotContains(later, token)


def test_renewing_the_link_stops_the_old_one(client, org):
    client.force_login(org.engineer)
    old = FEED_URL.search(client.post(reverse("calendar:enable")).content.decode())[1]

    new = FEED_URL.search(client.post(reverse("calendar:enable")).content.decode())[1]

    assert new != old
    assert client.get(reverse("calendar:feed", kwargs={"token": old})).status_code == 404
    assert client.get(reverse("calendar:feed", kwargs={"token": new})).status_code == 200


def test_turning_the_feed_off_makes_its_link_404(client, org):
    token = services.enable_calendar_feed(person=org.engineer)
    client.force_login(org.engineer)

    response = client.post(reverse("calendar:revoke"), follow=True)

    assertRedirects(response, reverse("calendar:settings"))
    assertContains(response, "Calendar feed turned off")
    assert not CalendarFeed.objects.filter(person=org.engineer).exists()
    assert client.get(reverse("calendar:feed", kwargs={"token": token})).status_code == 404


def test_each_person_turns_off_only_their_own_feed(client, org):
    services.enable_calendar_feed(person=org.manager)
    client.force_login(org.engineer)

    client.post(reverse("calendar:revoke"))

    assert CalendarFeed.objects.filter(person=org.manager).exists()


# The feed ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["wrong", "A" * 43, hashlib.sha256(b"x").hexdigest()],
    ids=["short", "token-shaped", "a-hash-is-not-a-token"],
)
def test_a_wrong_token_is_404(client, org, token):
    services.enable_calendar_feed(person=org.engineer)

    response = client.get(reverse("calendar:feed", kwargs={"token": token}))

    assert response.status_code == 404


def test_the_stored_hash_does_not_open_the_feed(client, org):
    services.enable_calendar_feed(person=org.engineer)
    stored = CalendarFeed.objects.get(person=org.engineer).token_hash

    response = client.get(reverse("calendar:feed", kwargs={"token": stored}))

    assert response.status_code == 404


def test_a_deactivated_persons_feed_is_404(client, org):
    token = services.enable_calendar_feed(person=org.engineer)
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)

    response = client.get(reverse("calendar:feed", kwargs={"token": token}))

    assert response.status_code == 404


def test_the_feed_is_an_uncached_calendar_without_sign_in(client, org):
    response = feed_of(client, org.engineer)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"BEGIN:VCALENDAR")


def test_the_feed_lists_the_next_six_months_of_one_on_ones_with_the_other_person(client, org):
    log(org, TODAY - timedelta(days=1))  # past: not listed
    log(org, TODAY)
    log(org, date(2027, 3, 20))  # six months ahead: the last day listed
    log(org, date(2027, 3, 21))  # beyond
    log(org, TODAY + timedelta(days=3), engineer=org.peer)  # Mara's with Priya, not Eli's

    assert listed(feed_of(client, org.engineer)) == [
        ("1:1 with Mara Manager", TODAY),
        ("1:1 with Mara Manager", date(2027, 3, 20)),
    ]
    assert listed(feed_of(client, org.manager)) == [
        ("1:1 with Eli Engineer", TODAY),
        ("1:1 with Priya Peer", TODAY + timedelta(days=3)),
        ("1:1 with Eli Engineer", date(2027, 3, 20)),
    ]
    assert listed(feed_of(client, org.director)) == []


def test_one_on_one_events_link_to_the_one_on_one_and_keep_their_uid(client, org):
    one = log(org, TODAY + timedelta(days=7))
    token = services.enable_calendar_feed(person=org.engineer)
    url = reverse("calendar:feed", kwargs={"token": token})

    first, again = client.get(url), client.get(url)

    (event,) = Calendar.from_ical(first.content).walk("VEVENT")
    assert str(event["UID"]) == f"one-on-one-{one.pk}@trellis.example.org"
    assert str(event["URL"]) == SITE_URL + reverse(
        "one_on_ones:detail", kwargs={"one_on_one_id": one.pk}
    )
    assert event.decoded("DTEND") == event.decoded("DTSTART") + timedelta(days=1)
    assert uids(again) == uids(first)


def test_the_feed_lists_quarterly_review_due_dates_own_and_direct_reports(client, org):
    plan = engineer_plan(org)  # due in 10 days
    GrowthPlan.objects.create(
        engineer=org.peer, aspiration="a", gap="g", next_review_due=TODAY + timedelta(days=40)
    )
    gone = make_person("gone@example.com", "Gone Person", manager=org.manager, is_active=False)
    GrowthPlan.objects.create(
        engineer=gone, aspiration="a", gap="g", next_review_due=TODAY + timedelta(days=5)
    )

    engineer_feed = feed_of(client, org.engineer)

    assert listed(engineer_feed) == [("Your quarterly review", TODAY + timedelta(days=10))]
    assert uids(engineer_feed) == [
        f"quarterly-review-{plan.pk}-{plan.next_review_due:%Y%m%d}@trellis.example.org"
    ]
    assert listed(feed_of(client, org.manager)) == [
        ("Quarterly review: Eli Engineer", TODAY + timedelta(days=10)),
        ("Quarterly review: Priya Peer", TODAY + timedelta(days=40)),
    ]


def test_nothing_said_in_a_one_on_one_reaches_the_feed(client, org):
    one = log(org, TODAY + timedelta(days=1))
    services.save_shared_notes(
        one_on_one=one, actor=org.manager, version=1, text="The heron flies at dawn."
    )
    services.save_private_note(
        one_on_one=one, author=org.manager, version=0, body="Eli may be interviewing elsewhere."
    )
    services.save_private_note(
        one_on_one=one, author=org.engineer, version=0, body="My quiet worry about Q3."
    )
    services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Purple giraffe topic")
    services.add_action_item(
        one_on_one=one,
        actor=org.manager,
        text="Polish the brass",
        owner=org.engineer,
        due_date=None,
    )
    services.answer_pulse(
        one_on_one=one,
        engineer=org.engineer,
        learning=2,
        work_used=2,
        direction=1,
        direction_concern="The roadmap is a maze of mirrors.",
    )

    for person in (org.engineer, org.manager):
        body = feed_of(client, person).content.decode()
        assert "1:1 with" in body
        for secret in ("heron", "interviewing", "quiet worry", "giraffe", "brass", "mirrors"):
            assert secret not in body


@pytest.mark.parametrize("count", [1, 3])
def test_the_feed_is_three_queries_whatever_it_lists(client, org, django_assert_num_queries, count):
    for n in range(count):
        log(org, TODAY + timedelta(days=14 * n))
        log(org, TODAY + timedelta(days=14 * n + 1), engineer=org.peer)
    engineer_plan(org)
    token = services.enable_calendar_feed(person=org.manager)

    # the feed's person, their 1:1s, the review dates
    with django_assert_num_queries(3):
        response = client.get(reverse("calendar:feed", kwargs={"token": token}))

    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 2 * count + 1
