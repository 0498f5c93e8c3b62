"""Demo 1:1s for the demo org (accounts/demo.py): a year of fortnightly history for
the demo manager's pairs, the last four months for the Evals team.

`seed_one_on_ones_demo(people)` is safe to run again: an engineer who already has
1:1s is left alone, so a demo someone has been clicking around in is never reset.

Everything goes through one_on_ones/services.py with the right person acting and
a past `at`, relative to the day of seeding, so the history reads like a real one:
agenda items from both sides (the engineer adds most), shared notes, the
managers' private notes, action items ticked before the next 1:1 (open ones carry
over), the engineer's pulse, and one planned 1:1 ahead. The stories worth seeing:

- Rahul's "am I learning?" falls over the year (the not-learning signal);
- the Evals team loses faith in the product direction, and says why in words;
- Priya, not Chen, sets Chen's agenda (the ownership ratio points it out);
- an action item Priya owes Leo has been carried from 1:1 to 1:1 (flagged);
- Hannah's 1:1s stopped two months ago (a cadence gap on Priya's home page).
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Person
from one_on_ones import services
from one_on_ones.models import OneOnOne

EVERY = timedelta(days=14)
DEMO_MANAGER = "manager@example.com"  # Priya Raman: a year with each of her reports
DOUBTING_MANAGER = "keiko.tanaka@example.com"  # the Evals team: the last four months
# How many fortnightly 1:1s each manager's reports get, and how many of the latest
# with agenda and action items (ten: the agenda-ownership window). Only these two
# teams, and older 1:1s kept short: each 1:1 is a dozen service calls, and `make run`
# and the tests seed a fresh database.
HELD = {DEMO_MANAGER: (26, 10), DOUBTING_MANAGER: (9, 3)}

LEARNING_FALLS = "rahul.iyer@example.com"
MANAGER_LED = "chen.wei@example.com"
FLAGGED = "engineer@example.com"  # Leo, who waits on Priya
LAPSED = "hannah.berg@example.com"
LAPSED_DAYS = 60  # more than 3 × 14
# Evals engineers who put their doubts in words, one concern each, in the last 1:1s.
DOUBTERS = [
    "fatima.el.amrani@example.com",
    "ravi.shankar@example.com",
    "ben.adeyemi@example.com",
]

ENGINEER_TOPICS = [
    "Feedback on my design doc",
    "Rotating onto serving work next quarter",
    "On-call load this sprint",
    "Which eval set we should trust",
    "Blocked on GPU quota for the ablations",
    "Submitting a talk to the team's reading group",
    "What 'production thinking' means at my level",
    "Pairing with the platform team on the feature store",
    "Training run costs are creeping up",
    "Review of my experiment plan",
    "Time for the writing I keep postponing",
    "Who owns the model after launch",
]
MANAGER_TOPICS = [
    "Feedback from the launch review",
    "Quarterly goals check-in",
    "Help with the hiring loop",
    "Incident follow-up",
    "Team offsite planning",
    "Priorities for the next two weeks",
]
CLOSINGS = [
    "Agreed next steps below.",
    "Good conversation; nothing blocking.",
    "Picking this up again next time.",
    "Decided to write it down and share it with the team.",
    "Both of us to think about it before the next 1:1.",
]
ACTIONS = [
    "Share the design doc with two reviewers",
    "Write up the ablation results",
    "Book time with the serving team",
    "Draft the eval plan",
    "Send the conference proposal for review",
    "Summarise the incident timeline",
]
PRIVATE = [
    "Seems well. Keep an eye on on-call load.",
    "Quieter than usual today; ask how the project is going outside the 1:1.",
    "Ready for more scope: look for a project to lead next quarter.",
    "Mentioned interviewing elsewhere last year. Check in on how things feel.",
]
RAHUL_PRIVATE = [
    "Rahul sounded flat again: the fourth quarter on the same retrieval problems.",
    "Raise a rotation to serving before his quarterly review; he won't ask himself.",
]
DIRECTION_CONCERNS = [
    "We keep building eval suites for features that are cut before launch.",
    "The roadmap changed three times this quarter; I can't tell what we are optimising for.",
    "We are told agents are the priority, but nothing we measure is about agents.",
]
STUCK_ACTION = "Get Leo a seat in the serving team's incident reviews"
# Small ups and downs, so no trend is a straight line.
WOBBLE = [0, 1, 0, -1, 0, 0, 1, -1]


@dataclass
class _Pair:
    manager: Person
    engineer: Person
    seed: int  # stable per engineer: spreads weekdays, topics and wobble
    now: datetime
    held: int  # how many 1:1s to seed
    detailed: int  # how many of the latest have agenda and action items

    def on(self, day: date, hour: int = 10) -> datetime:
        """A moment on `day`, never later than now."""
        return min(timezone.make_aware(datetime.combine(day, time(hour))), self.now)

    @property
    def email(self) -> str:
        return self.engineer.email


def _clamp(score: float) -> int:
    return max(1, min(5, round(score)))


def _days(p: _Pair) -> list[date]:
    """The pair's held 1:1s, oldest first: fortnightly, on weekdays, up to recently."""
    today = timezone.localdate(p.now)
    last = today - timedelta(days=LAPSED_DAYS if p.email == LAPSED else 1 + p.seed % 10)
    days = [last - EVERY * n for n in reversed(range(p.held))]
    return [day - timedelta(days=max(0, day.weekday() - 4)) for day in days]


def _pulse(p: _Pair, n: int) -> dict:
    """The three answers at the n-th 1:1: the stories, or steady with wobble."""
    t = n / (p.held - 1)  # 0 at the first, 1 at the latest
    wobble = WOBBLE[(n + p.seed) % len(WOBBLE)]
    learning: float = 4 + wobble
    work_used: float = 4 + WOBBLE[(n + 3) % len(WOBBLE)]
    direction: float = 4
    concern = ""
    if p.email == LEARNING_FALLS:
        learning = 5 - 3.4 * t + wobble * 0.4  # 5 → 2
        work_used = 3
    if p.manager.email == DOUBTING_MANAGER:
        direction = 4.4 - 2.6 * max(0.0, t - 0.4) / 0.6 + wobble * 0.4  # holds, then 2
        if p.email in DOUBTERS and n == p.held - 1 - DOUBTERS.index(p.email):
            concern = DIRECTION_CONCERNS[DOUBTERS.index(p.email)]
    return {
        "learning": _clamp(learning),
        "work_used": _clamp(work_used),
        "direction": _clamp(direction),
        "direction_concern": concern,
    }


def _agenda(p: _Pair, n: int) -> list[tuple[Person, str]]:
    """Who adds what ahead of the n-th 1:1: mostly the engineer, but Chen's is Priya's."""
    k = n + p.seed
    mine = ENGINEER_TOPICS[k % len(ENGINEER_TOPICS)]
    more = ENGINEER_TOPICS[(k + 5) % len(ENGINEER_TOPICS)]
    theirs = MANAGER_TOPICS[k % len(MANAGER_TOPICS)]
    if p.email == MANAGER_LED:
        items = [(p.manager, theirs), (p.manager, MANAGER_TOPICS[(k + 2) % len(MANAGER_TOPICS)])]
        return items + ([(p.engineer, mine)] if n % 4 == 0 else [])
    if n % 2 == 0:
        return [(p.engineer, mine), (p.manager, theirs)]
    return [(p.engineer, mine), (p.engineer, more)]


def _held(p: _Pair, day: date, n: int) -> OneOnOne:
    """The n-th 1:1 as it happened. Older ones were kept short (notes and the pulse);
    the recent ones have the agenda and action items the 1:1 pages show."""
    one = services.log_one_on_one(
        engineer=p.engineer, manager=p.manager, day=day, at=p.on(day - timedelta(days=3))
    )
    detailed = n >= p.held - p.detailed
    topics = _agenda_discussed(p, one, day, n) if detailed else ["the last two weeks"]
    notes = f"Talked about {'; '.join(topics)}. {CLOSINGS[(n + p.seed) % len(CLOSINGS)]}"
    one = services.save_shared_notes(
        one_on_one=one, actor=p.manager, version=one.version, text=notes, at=p.on(day, 11)
    )
    private = RAHUL_PRIVATE if p.email == LEARNING_FALLS else PRIVATE
    if n % 4 == p.seed % 4:
        services.save_private_note(
            one_on_one=one,
            author=p.manager,
            version=0,
            body=private[(n // 4) % len(private)],
            at=p.on(day, 11),
        )
    if detailed:
        _actions(p, one, day, n)
    services.answer_pulse(one_on_one=one, engineer=p.engineer, **_pulse(p, n), at=p.on(day, 12))
    return one


def _agenda_discussed(p: _Pair, one: OneOnOne, day: date, n: int) -> list[str]:
    """Both sides add items ahead; most are discussed, and every fifth 1:1 one item is
    left for the next (it carries over). Returns the topics discussed."""
    for by, text in _agenda(p, n):
        services.add_agenda_item(
            one_on_one=one, actor=by, text=text, at=p.on(day - timedelta(days=2))
        )
    items = list(one.agenda.all())  # with any carried into this one
    skipped = items[-1] if n % 5 == 4 and n < p.held - 1 else None
    topics = []
    for item in items:
        if item is not skipped:
            services.set_agenda_discussed(item=item, actor=p.manager, discussed=True)
            topics.append(item.text.lower())
    return topics


def _actions(p: _Pair, one: OneOnOne, day: date, n: int) -> None:
    owner = p.engineer if n % 2 == 0 else p.manager
    action = services.add_action_item(
        one_on_one=one,
        actor=p.manager,
        text=ACTIONS[(n + p.seed) % len(ACTIONS)],
        owner=owner,
        due_date=day + timedelta(days=10),
        at=p.on(day, 11),
    )
    if n < p.held - 1:  # ticked before the next 1:1; the latest's carry into the planned one
        services.set_action_done(
            item=action, actor=owner, done=True, at=p.on(day + timedelta(days=7))
        )
    if p.email == FLAGGED and n == p.held - 5:
        # Never ticked: carried into each 1:1 since, and flagged on both sides.
        services.add_action_item(
            one_on_one=one,
            actor=p.manager,
            text=STUCK_ACTION,
            owner=p.manager,
            due_date=day + timedelta(days=14),
            at=p.on(day, 11),
        )


def _seed_pair(p: _Pair) -> None:
    days = _days(p)
    for n, day in enumerate(days):
        _held(p, day, n)
    if p.email == LAPSED:
        return  # no 1:1 planned either: the gap the home page shows
    upcoming = services.log_one_on_one(
        engineer=p.engineer, manager=p.manager, day=days[-1] + EVERY, at=p.now
    )
    # Added ahead, as the next agenda should be: by the engineer, but Chen's by Priya.
    if p.email == MANAGER_LED:
        by, text = p.manager, MANAGER_TOPICS[p.seed % len(MANAGER_TOPICS)]
    else:
        by, text = p.engineer, ENGINEER_TOPICS[p.seed % len(ENGINEER_TOPICS)]
    services.add_agenda_item(one_on_one=upcoming, actor=by, text=text)


@transaction.atomic
def seed_one_on_ones_demo(people: Mapping[str, Person]) -> int:
    """Add the 1:1 history of each of `people` (by email) in a seeded team who has no
    1:1s yet. Returns how many engineers it seeded."""
    now = timezone.now()
    with_history = set(
        OneOnOne.objects.filter(pair__engineer__in=people.values()).values_list(
            "pair__engineer__email", flat=True
        )
    )
    managers = {person.pk: person for person in people.values() if person.email in HELD}
    created = 0
    for email, person in people.items():
        manager = managers.get(person.manager_id) if person.manager_id else None
        # Not in a seeded team, already met, or either side deactivated: leave alone.
        if manager is None or email in with_history:
            continue
        if not (person.is_active and manager.is_active):
            continue
        seed = zlib.crc32(email.encode()) % 97
        _seed_pair(_Pair(manager, person, seed, now, *HELD[manager.email]))
        created += 1
    return created
