"""The 1:1 core: who reads what, private notes, carry-over."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from one_on_ones import services
from one_on_ones.models import ActionItem, AgendaItem, OneOnOne, Pair, PrivateNote


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield


def test_private_note_reaches_its_author_only(org):
    one = services.log_one_on_one(engineer=org.engineer, manager=org.manager, day=date(2026, 9, 18))
    services.save_private_note(one_on_one=one, author=org.manager, version=0, body="secret")

    assert PrivateNote.objects.count() == 0  # the default manager reaches nothing
    assert list(one.private_notes.all()) == []
    assert [n.body for n in PrivateNote.objects.by(org.manager)] == ["secret"]
    for other in (org.engineer, org.director, org.admin, org.peer):
        assert not PrivateNote.objects.by(other).exists()


def test_content_is_the_pairs_not_the_reporting_lines(org):
    one = services.log_one_on_one(engineer=org.engineer, manager=org.manager, day=date(2026, 9, 18))

    assert OneOnOne.objects.visible_to(org.engineer).get() == one
    assert OneOnOne.objects.visible_to(org.manager).get() == one
    for other in (org.director, org.admin, org.peer, org.other_manager, org.outsider):
        assert not OneOnOne.objects.visible_to(other).exists()
    assert Pair.objects.visible_to(org.director).count() == 1  # cadence, not content


def test_undiscussed_agenda_and_open_actions_carry_to_the_next(org):
    first = services.log_one_on_one(
        engineer=org.engineer, manager=org.manager, day=date(2026, 9, 1)
    )
    services.add_agenda_item(one_on_one=first, actor=org.engineer, text="Rotation")
    done = services.add_agenda_item(one_on_one=first, actor=org.manager, text="Offsite")
    services.set_agenda_discussed(item=done, actor=org.engineer, discussed=True)
    services.add_action_item(
        one_on_one=first, actor=org.manager, text="Draft eval", owner=org.engineer, due_date=None
    )

    second = services.log_one_on_one(
        engineer=org.engineer, manager=org.manager, day=date(2026, 9, 15)
    )

    assert [a.text for a in AgendaItem.objects.filter(one_on_one=second)] == ["Rotation"]
    assert [a.text for a in ActionItem.objects.filter(one_on_one=second)] == ["Draft eval"]


def test_only_the_engineer_answers_the_pulse(org):
    one = services.log_one_on_one(engineer=org.engineer, manager=org.manager, day=date(2026, 9, 18))
    with pytest.raises(PermissionDenied):
        services.answer_pulse(
            one_on_one=one, engineer=org.manager, learning=3, work_used=3, direction=3
        )
    services.answer_pulse(
        one_on_one=one, engineer=org.engineer, learning=2, work_used=4, direction=5
    )
