"""The 1:1 rules at their edges: carry-over, cadence, agenda ownership, consent, and
services refusing whoever is not in the pair.

Time is frozen (time_machine) so "N days ago" is exact.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from accounts.models import Person
from one_on_ones import services
from one_on_ones.models import (
    ActionItem,
    AgendaItem,
    Cadence,
    OneOnOne,
    Pair,
    PrivateNote,
    Pulse,
)
from one_on_ones.selectors import agenda_ownership, cadence_gaps
from tests.conftest import build_chain_org

TODAY = date(2026, 9, 20)


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield


def log(org, day: date, *, engineer=None, manager=None) -> OneOnOne:
    return services.log_one_on_one(
        engineer=engineer or org.engineer, manager=manager or org.manager, day=day
    )


def move(engineer: Person, new_manager: Person) -> Person:
    Person.objects.filter(pk=engineer.pk).update(manager=new_manager)
    engineer.refresh_from_db()
    return engineer


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


# Carry-over --------------------------------------------------------------------------


def test_undiscussed_agenda_moves_to_the_pairs_next_one_on_one_and_discussed_stays(org):
    first = log(org, date(2026, 9, 1))
    open_item = services.add_agenda_item(one_on_one=first, actor=org.engineer, text="Rotation")
    done = services.add_agenda_item(one_on_one=first, actor=org.manager, text="Offsite")
    services.set_agenda_discussed(item=done, actor=org.manager, discussed=True)

    second = log(org, date(2026, 9, 15))

    open_item.refresh_from_db()
    done.refresh_from_db()
    assert (open_item.one_on_one_id, open_item.times_carried) == (second.pk, 1)
    assert (done.one_on_one_id, done.times_carried) == (first.pk, 0)


def test_agenda_carries_from_the_latest_earlier_one_on_one_only(org):
    first = log(org, date(2026, 8, 1))
    services.add_agenda_item(one_on_one=first, actor=org.engineer, text="Left on the first")
    second = log(org, date(2026, 8, 15))  # the item moves here
    services.set_agenda_discussed(
        item=AgendaItem.objects.get(text="Left on the first"), actor=org.engineer, discussed=True
    )

    third = log(org, date(2026, 9, 1))

    assert AgendaItem.objects.get().one_on_one_id == second.pk
    assert not AgendaItem.objects.filter(one_on_one=third).exists()


def test_agenda_stays_with_its_pair_when_the_engineer_gets_a_new_manager(org):
    first = log(org, date(2026, 9, 1))
    item = services.add_agenda_item(one_on_one=first, actor=org.engineer, text="For Mara")
    move(org.engineer, org.other_manager)

    log(org, date(2026, 9, 15), manager=org.other_manager)

    item.refresh_from_db()
    assert (item.one_on_one_id, item.times_carried) == (first.pk, 0)


def test_open_action_items_follow_the_engineer_to_a_new_manager_and_done_ones_stay(org):
    first = log(org, date(2026, 9, 1))
    open_item = services.add_action_item(
        one_on_one=first, actor=org.manager, text="Eval plan", owner=org.engineer, due_date=None
    )
    done = services.add_action_item(
        one_on_one=first, actor=org.manager, text="Book room", owner=org.manager, due_date=None
    )
    services.set_action_done(item=done, actor=org.manager, done=True)
    move(org.engineer, org.other_manager)

    with_omar = log(org, date(2026, 9, 15), manager=org.other_manager)

    open_item.refresh_from_db()
    done.refresh_from_db()
    assert with_omar.pair != first.pair  # a new manager makes a new pair
    assert (open_item.one_on_one_id, open_item.times_carried) == (with_omar.pk, 1)
    assert (done.one_on_one_id, done.times_carried) == (first.pk, 0)


def test_a_backfilled_one_on_one_does_not_pull_items_back_from_later_ones(org):
    log(org, date(2026, 9, 1))
    later = log(org, date(2026, 9, 15))
    services.add_action_item(
        one_on_one=later, actor=org.manager, text="Later item", owner=org.engineer, due_date=None
    )
    services.add_agenda_item(one_on_one=later, actor=org.engineer, text="Later topic")

    log(org, date(2026, 9, 8))  # logged afterwards, dated in between

    assert ActionItem.objects.get().one_on_one_id == later.pk
    assert AgendaItem.objects.get().one_on_one_id == later.pk


def test_an_action_item_is_flagged_after_more_than_three_carries_not_at_three(org):
    first = log(org, date(2026, 6, 1))
    item = services.add_action_item(
        one_on_one=first, actor=org.engineer, text="Stuck", owner=org.engineer, due_date=None
    )
    for day in (date(2026, 6, 15), date(2026, 6, 29), date(2026, 7, 13)):
        log(org, day)

    item.refresh_from_db()
    assert (item.times_carried, item.is_flagged) == (3, False)

    log(org, date(2026, 7, 27))

    item.refresh_from_db()
    assert (item.times_carried, item.is_flagged) == (4, True)

    services.set_action_done(item=item, actor=org.engineer, done=True)
    log(org, date(2026, 8, 10))

    item.refresh_from_db()
    assert (item.times_carried, item.is_flagged) == (4, False)  # done: no longer flagged


# Cadence -----------------------------------------------------------------------------


@pytest.mark.parametrize("cadence", [Cadence.WEEKLY, Cadence.FORTNIGHTLY, Cadence.MONTHLY])
def test_last_one_on_one_exactly_three_cadences_ago_is_not_a_gap_one_day_more_is(org, cadence):
    log(org, days_ago(3 * cadence), engineer=org.engineer)
    log(org, days_ago(3 * cadence + 1), engineer=org.peer)
    for engineer in (org.engineer, org.peer):
        services.set_cadence(
            pair=Pair.objects.get(engineer=engineer), actor=org.manager, cadence=cadence
        )

    gaps = cadence_gaps(org.manager, direct_reports_only=True)

    assert [(g.engineer, g.days_since, g.cadence_days) for g in gaps] == [
        (org.peer, 3 * cadence + 1, cadence)
    ]
    assert gaps[0].rule == (f"No 1:1 for more than 3 × the expected cadence ({3 * cadence} days).")


def test_a_planned_one_on_one_does_not_close_a_gap(org):
    log(org, days_ago(43))
    log(org, TODAY + timedelta(days=3))
    log(org, days_ago(1), engineer=org.peer)

    gaps = cadence_gaps(org.manager, direct_reports_only=True)

    assert [(g.engineer, g.last) for g in gaps] == [(org.engineer, days_ago(43))]


def test_a_report_with_no_one_on_one_yet_is_a_gap_once_with_the_manager_for_three_cadences(
    org,
):
    # Eli has had no pair at all (and has been at his level since 2024): lapsed.
    # Priya's pair with Mara was made 42 days ago: not yet.
    with time_machine.travel("2026-08-09 09:00 +00:00", tick=False):
        services.pair_for(manager=org.manager, engineer=org.peer)

    gaps = cadence_gaps(org.manager, direct_reports_only=True)

    assert [(g.engineer, g.last, g.days_since) for g in gaps] == [(org.engineer, None, None)]


def test_the_whole_scope_of_a_director_but_only_direct_reports_when_asked(org):
    log(org, days_ago(1), engineer=org.peer)

    below = {g.engineer for g in cadence_gaps(org.director)}
    direct = {g.engineer for g in cadence_gaps(org.director, direct_reports_only=True)}

    assert below == {org.manager, org.engineer, org.other_manager, org.other_engineer}
    assert direct == {org.manager, org.other_manager}


def test_deactivated_people_are_ignored_as_reports_and_as_managers(org):
    Person.objects.filter(pk=org.engineer.pk).update(is_active=False)
    Person.objects.filter(pk=org.other_manager.pk).update(is_active=False)

    gaps = cadence_gaps(org.director)

    # Eli left; Omar left, so Sam has no manager to meet (nor is Omar a gap himself).
    assert {g.engineer for g in gaps} == {org.manager, org.peer}


@pytest.mark.parametrize("size", [10, 60])
def test_cadence_gaps_is_one_query_whatever_the_org_size(db, django_assert_num_queries, size):
    top = build_chain_org(size)
    first_managers = list(Person.objects.filter(manager=top))
    for report in first_managers[:3]:
        services.log_one_on_one(engineer=report, manager=top, day=days_ago(5))
    Person.objects.update(level_since=date(2025, 1, 1))  # long enough to be lapsed

    with django_assert_num_queries(1):
        gaps = cadence_gaps(top)

    assert len(gaps) == size - 1 - min(3, len(first_managers))


# Agenda ownership --------------------------------------------------------------------


def _agenda(one_on_one: OneOnOne, by: Person, count: int) -> None:
    for n in range(count):
        services.add_agenda_item(one_on_one=one_on_one, actor=by, text=f"Topic {n}")


def test_agenda_ownership_counts_the_last_ten_one_on_ones_by_hand(org):
    # Eleven fortnightly 1:1s; the oldest (with 5 manager items) falls outside the ten.
    days = [date(2026, 4, 5) + timedelta(days=14 * n) for n in range(11)]
    meetings = [log(org, day) for day in days]
    _agenda(meetings[0], org.manager, 5)
    manager_items = [1, 0, 2, 0, 1, 0, 1, 0, 2, 0]  # 7
    engineer_items = [0, 1, 0, 1, 0, 1, 0, 1, 0, 1]  # 5
    for meeting, by_manager, by_engineer in zip(
        meetings[1:], manager_items, engineer_items, strict=True
    ):
        _agenda(meeting, org.manager, by_manager)
        _agenda(meeting, org.engineer, by_engineer)

    ownership = agenda_ownership(meetings[0].pair)

    assert (ownership.by_manager, ownership.by_engineer, ownership.total) == (7, 5, 12)
    assert ownership.manager_share == 7 / 12
    assert ownership.manager_owns_it


def test_agenda_ownership_is_not_pointed_out_at_exactly_half_or_with_no_items(org):
    one = log(org, date(2026, 9, 1))
    assert not agenda_ownership(one.pair).manager_owns_it  # nothing yet: 0 of 0

    _agenda(one, org.manager, 3)
    _agenda(one, org.engineer, 3)

    ownership = agenda_ownership(one.pair)
    assert (ownership.manager_share, ownership.manager_owns_it) == (0.5, False)


def test_agenda_ownership_is_one_query(org, django_assert_num_queries):
    one = log(org, date(2026, 9, 1))
    _agenda(one, org.engineer, 2)

    with django_assert_num_queries(1):
        agenda_ownership(one.pair)


# Consent: a new manager and the engineer's earlier history ---------------------------


@pytest.fixture
def history_with_mara(org):
    """Eli's 1:1 with Mara (shared notes, agenda, an action, both private notes); then
    Eli moves to Omar and they hold their first 1:1."""
    with_mara = log(org, date(2026, 8, 1))
    services.save_shared_notes(
        one_on_one=with_mara, actor=org.manager, version=1, text="Shared with Mara"
    )
    services.add_agenda_item(one_on_one=with_mara, actor=org.engineer, text="Mara topic")
    services.save_private_note(
        one_on_one=with_mara, author=org.manager, version=0, body="Mara's own thoughts"
    )
    services.save_private_note(
        one_on_one=with_mara, author=org.engineer, version=0, body="Eli's own thoughts"
    )
    move(org.engineer, org.other_manager)
    with_omar = log(org, date(2026, 9, 1), manager=org.other_manager)
    return with_mara, with_omar


def test_a_new_manager_reads_earlier_shared_history_only_while_the_engineer_agrees(
    org, history_with_mara
):
    with_mara, with_omar = history_with_mara
    omar = org.other_manager

    assert list(OneOnOne.objects.visible_to(omar)) == [with_omar]
    assert not AgendaItem.objects.visible_to(omar).filter(text="Mara topic").exists()

    services.set_history_consent(engineer=org.engineer, actor=org.engineer, consent=True)

    assert list(OneOnOne.objects.visible_to(omar)) == [with_omar, with_mara]
    assert AgendaItem.objects.visible_to(omar).filter(text="Mara topic").exists()

    services.set_history_consent(engineer=org.engineer, actor=org.engineer, consent=False)

    assert list(OneOnOne.objects.visible_to(omar)) == [with_omar]


def test_a_new_manager_never_reads_earlier_private_notes(org, history_with_mara):
    _, with_omar = history_with_mara
    services.set_history_consent(engineer=org.engineer, actor=org.engineer, consent=True)

    assert not PrivateNote.objects.by(org.other_manager).exists()
    assert [n.body for n in PrivateNote.objects.by(org.manager)] == ["Mara's own thoughts"]
    assert [n.body for n in PrivateNote.objects.by(org.engineer)] == ["Eli's own thoughts"]


def test_consent_lapses_when_the_manager_is_no_longer_the_engineers(org, history_with_mara):
    _, with_omar = history_with_mara
    services.set_history_consent(engineer=org.engineer, actor=org.engineer, consent=True)

    move(org.engineer, org.director)

    # Omar keeps his own pair's 1:1 but no longer reads Eli's history with Mara.
    assert list(OneOnOne.objects.visible_to(org.other_manager)) == [with_omar]


def test_only_the_engineer_gives_consent(org, history_with_mara):
    _, with_omar = history_with_mara

    with pytest.raises(PermissionDenied):
        services.set_history_consent(engineer=org.engineer, actor=org.other_manager, consent=True)

    assert not Pair.objects.get(pk=with_omar.pair.pk).shares_earlier_history


# Services refuse whoever is not in the pair, and save nothing ------------------------


def _snapshot() -> dict:
    return {
        "pairs": list(Pair.objects.values_list("pk", "cadence", "shares_earlier_history")),
        "one_on_ones": list(OneOnOne.objects.values_list("pk", "shared_notes", "version")),
        "agenda": list(AgendaItem.objects.values_list("pk", "text", "discussed")),
        "actions": list(ActionItem.objects.values_list("pk", "text", "done_at")),
        "pulses": list(Pulse.objects.values_list("pk", "learning")),
        "private": list(PrivateNote._base.values_list("pk", "body")),
    }


REFUSALS = {
    "log a 1:1 for someone else's report": lambda org, one, item: services.log_one_on_one(
        engineer=org.engineer, manager=org.other_manager, day=date(2026, 9, 19)
    ),
    "director logs for a skip-level report": lambda org, one, item: services.log_one_on_one(
        engineer=org.engineer, manager=org.director, day=date(2026, 9, 19)
    ),
    "peer adds an agenda item": lambda org, one, item: services.add_agenda_item(
        one_on_one=one, actor=org.peer, text="Nosy"
    ),
    "director ticks an agenda item": lambda org, one, item: services.set_agenda_discussed(
        item=one.agenda.get(), actor=org.director, discussed=True
    ),
    "director writes shared notes": lambda org, one, item: services.save_shared_notes(
        one_on_one=one, actor=org.director, version=1, text="Overwritten"
    ),
    "admin writes a private note": lambda org, one, item: services.save_private_note(
        one_on_one=one, author=org.admin, version=0, body="Admin note"
    ),
    "outsider adds an action item": lambda org, one, item: services.add_action_item(
        one_on_one=one, actor=org.outsider, text="Nosy", owner=org.engineer, due_date=None
    ),
    "manager ticks the engineer's action item": lambda org, one, item: services.set_action_done(
        item=item, actor=org.manager, done=True
    ),
    "manager answers the pulse": lambda org, one, item: services.answer_pulse(
        one_on_one=one, engineer=org.manager, learning=5, work_used=5, direction=5
    ),
    "peer answers the pulse": lambda org, one, item: services.answer_pulse(
        one_on_one=one, engineer=org.peer, learning=5, work_used=5, direction=5
    ),
    "engineer sets the cadence": lambda org, one, item: services.set_cadence(
        pair=one.pair, actor=org.engineer, cadence=Cadence.MONTHLY
    ),
    "manager gives consent": lambda org, one, item: services.set_history_consent(
        engineer=org.engineer, actor=org.manager, consent=True
    ),
}


@pytest.mark.parametrize("write", REFUSALS.values(), ids=REFUSALS.keys())
def test_services_refuse_anyone_but_the_rules_allow_and_save_nothing(org, write):
    one = log(org, date(2026, 9, 18))
    services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Rotation")
    item = services.add_action_item(
        one_on_one=one, actor=org.manager, text="Eval plan", owner=org.engineer, due_date=None
    )
    before = _snapshot()

    with pytest.raises(PermissionDenied):
        write(org, one, item)

    assert _snapshot() == before


def test_an_engineer_who_just_moved_can_consent_before_the_first_one_on_one(org):
    # Eli had 1:1s with Omar, then moved to Mara; Mara has not logged one yet.
    earlier = services.log_one_on_one(
        engineer=move(org.engineer, org.other_manager),
        manager=org.other_manager,
        day=days_ago(30),
    )
    move(org.engineer, org.manager)
    assert not OneOnOne.objects.visible_to(org.manager).exists()

    services.set_history_consent(engineer=org.engineer, actor=org.engineer, consent=True)

    assert list(OneOnOne.objects.visible_to(org.manager)) == [earlier]
