"""The 1:1 pages: the list, an engineer's 1:1s, and the 1:1 itself with its writes."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from accounts.models import Person
from growth.models import GrowthPlan
from one_on_ones import services
from one_on_ones.models import ActionItem, AgendaItem, OneOnOne, Pair, PrivateNote, Pulse
from one_on_ones.templatetags.one_on_ones import render_markdown
from tests.conftest import make_person

TODAY = date(2026, 9, 20)
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def today():
    with time_machine.travel("2026-09-20 10:00 +00:00", tick=False):
        yield TODAY


def url(name: str, *args) -> str:
    return reverse(f"one_on_ones:{name}", args=args)


def log(org, day: date = TODAY, engineer=None, manager=None) -> OneOnOne:
    return services.log_one_on_one(
        engineer=engineer or org.engineer, manager=manager or org.manager, day=day
    )


def preview(response) -> str:
    """The rendered shared notes on a 1:1 page (not the textarea that edits them)."""
    html = response.content.decode()
    match = re.search(r'<div id="shared-notes-preview"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no shared notes on the page"
    return match.group(1)


# --- the list ----------------------------------------------------------------------------


def test_list_shows_the_managers_reports_with_last_next_and_lapsed(client, org):
    log(org, TODAY - timedelta(days=3))
    log(org, TODAY + timedelta(days=11))
    services.log_one_on_one(engineer=org.peer, manager=org.manager, day=TODAY - timedelta(days=60))
    client.force_login(org.manager)

    response = client.get(url("list"))

    rows = {
        name: row
        for name, row in re.findall(
            r'<th scope="row"><a [^>]*>([^<]+)</a></th>(.*?)</tr>', response.content.decode(), re.S
        )
    }
    assert sorted(rows) == ["Eli Engineer", "Priya Peer"]
    assert "17 Sep 2026" in rows["Eli Engineer"] and "1 Oct 2026" in rows["Eli Engineer"]
    assert "On track" in rows["Eli Engineer"]
    assert "Lapsed" in rows["Priya Peer"] and "60 days since the last" in rows["Priya Peer"]


def test_list_shows_the_engineer_their_own_one_on_ones_only(client, org):
    mine = log(org, TODAY - timedelta(days=3))
    theirs = services.log_one_on_one(engineer=org.peer, manager=org.manager, day=TODAY)
    client.force_login(org.engineer)

    response = client.get(url("list"))

    assertContains(response, url("detail", mine.pk))
    assertNotContains(response, url("detail", theirs.pk))
    assertNotContains(response, "Your direct reports")


def _reports(manager: Person, count: int) -> None:
    for i in range(count):
        person = make_person(f"r{i}@example.com", f"Report {i}", manager=manager)
        services.log_one_on_one(engineer=person, manager=manager, day=TODAY - timedelta(days=i))
        services.log_one_on_one(engineer=person, manager=manager, day=TODAY + timedelta(days=i + 1))


@pytest.mark.parametrize("size", [2, 12])
def test_managers_list_queries_do_not_grow_with_reports(
    client, db, django_assert_num_queries, size
):
    manager = make_person("boss@example.com", "Boss")
    _reports(manager, size)
    client.force_login(manager)

    # session, user, reports with last/next 1:1, cadence gaps, own 1:1s, roles
    with django_assert_num_queries(6):
        response = client.get(url("list"))

    assert response.content.decode().count('<th scope="row">') == size


# --- an engineer's 1:1s ------------------------------------------------------------------


def test_pair_page_gives_the_manager_log_cadence_and_trends(client, org):
    for weeks, learning in ((30, 5), (20, 4), (10, 2)):
        one = log(org, TODAY - timedelta(weeks=weeks))
        services.answer_pulse(
            one_on_one=one, engineer=org.engineer, learning=learning, work_used=3, direction=4
        )
    client.force_login(org.manager)

    response = client.get(url("pair", org.engineer.pk))

    assertContains(response, "Log a 1:1")
    assertContains(response, 'value="2026-09-20"')  # the date defaults to today
    assertContains(response, "Expected cadence")
    assert response.content.decode().count('<svg class="pulse-chart"') == 3
    assertContains(response, "3 answers in the last year, from 5 to 2 (1 no, 5 yes), average 3.7.")
    assertContains(response, "<polyline")
    assertNotContains(response, "Your earlier 1:1s")


def test_pair_page_points_out_a_manager_owned_agenda(client, org):
    one = log(org)
    for text in ("Status", "Roadmap", "Hiring"):
        services.add_agenda_item(one_on_one=one, actor=org.manager, text=text)
    services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Rotation")
    client.force_login(org.manager)

    response = client.get(url("pair", org.engineer.pk))

    assertContains(response, "Eli added 1 agenda item and you added 3.")
    assertContains(response, "You added more than half of the agenda.")


def test_pair_page_is_the_pairs_not_the_directors(client, org):
    for who, status in (("director", 404), ("peer", 404), ("admin", 404), ("engineer", 200)):
        client.force_login(getattr(org, who))
        assert client.get(url("pair", org.engineer.pk)).status_code == status, who


def test_log_creates_the_one_on_one_and_opens_it(client, org):
    client.force_login(org.manager)

    response = client.post(url("log", org.engineer.pk), {"date": "2026-09-24"})

    one = OneOnOne.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", one.pk)
    assert (one.date, one.pair.manager, one.created_by) == (
        date(2026, 9, 24),
        org.manager,
        org.manager,
    )


@pytest.mark.parametrize(
    ("day", "error"),
    [
        ("2027-09-22", "That is more than a year ahead: check the year."),
        ("", "This field is required."),
        ("not a date", "Enter a valid date."),
    ],
)
def test_log_refuses_a_bad_date_and_saves_nothing(client, org, day, error):
    client.force_login(org.manager)

    response = client.post(url("log", org.engineer.pk), {"date": day})

    assert response.status_code == 200
    assertContains(response, error)
    assert not OneOnOne.objects.exists()


def test_log_tells_of_a_second_one_on_one_on_the_same_day(client, org):
    log(org)
    client.force_login(org.manager)

    response = client.post(url("log", org.engineer.pk), {"date": TODAY.isoformat()})

    assertContains(response, "There is already a 1:1 on that day.")
    assert OneOnOne.objects.count() == 1


def test_log_is_for_the_direct_manager_alone(client, org):
    for who, status in (("director", 403), ("engineer", 403), ("peer", 404), ("outsider", 404)):
        client.force_login(getattr(org, who))
        response = client.post(url("log", org.engineer.pk), {"date": "2026-09-24"})
        assert response.status_code == status, who
    assert not OneOnOne.objects.exists()


def test_cadence_is_set_by_the_manager(client, org):
    client.force_login(org.manager)

    response = client.post(url("cadence", org.engineer.pk), {"cadence": "7"})

    assert response.status_code == 302
    assert Pair.objects.get(engineer=org.engineer).cadence == 7


def test_cadence_refuses_an_unknown_value(client, org):
    client.force_login(org.manager)

    response = client.post(url("cadence", org.engineer.pk), {"cadence": "3"})

    assert response.status_code == 200
    assertContains(response, "Select a valid choice.")
    assert not Pair.objects.exists()


# --- a new manager and the engineer's consent ---------------------------------------------


@pytest.fixture
def earlier(org) -> OneOnOne:
    """Eli's 1:1 with Omar, his manager before Mara, and his first 1:1 with Mara."""
    org.engineer.manager = org.other_manager
    org.engineer.save(update_fields=["manager"])
    old = log(org, TODAY - timedelta(days=90), manager=org.other_manager)
    services.save_shared_notes(
        one_on_one=old, actor=org.other_manager, version=1, text="Talked about **eval** work"
    )
    services.save_private_note(one_on_one=old, author=org.other_manager, version=0, body="Omar's")
    org.engineer.manager = org.manager
    org.engineer.save(update_fields=["manager"])
    log(org, TODAY - timedelta(days=7))
    return old


def test_engineer_is_offered_consent_only_with_earlier_managers(client, org, earlier):
    client.force_login(org.engineer)

    response = client.get(url("pair", org.engineer.pk))

    assertContains(response, "Let my current manager read my shared 1:1s with earlier managers")
    assertContains(response, "You had 1:1s with Omar Manager.")


def test_engineer_without_earlier_managers_is_not_asked(client, org):
    log(org)
    client.force_login(org.engineer)

    assertNotContains(client.get(url("pair", org.engineer.pk)), "earlier managers")


def test_new_manager_reads_earlier_shared_notes_only_with_consent(client, org, earlier):
    client.force_login(org.manager)
    assert client.get(url("detail", earlier.pk)).status_code == 404

    client.force_login(org.engineer)
    client.post(url("consent", org.engineer.pk), {"consent": "on"})
    client.force_login(org.manager)
    response = client.get(url("detail", earlier.pk))

    assertContains(response, "<strong>eval</strong>")
    assertContains(response, "Read only.")
    assertNotContains(response, "Omar's")  # his private note stays his
    assertNotContains(response, "<textarea")
    assert client.post(url("agenda_add", earlier.pk), {"text": "x"}).status_code == 403

    client.force_login(org.engineer)
    client.post(url("consent", org.engineer.pk), {})  # withdrawn
    client.force_login(org.manager)
    assert client.get(url("detail", earlier.pk)).status_code == 404


def test_consent_is_the_engineers_to_give(client, org, earlier):
    for who in ("manager", "director"):
        client.force_login(getattr(org, who))
        assert client.post(url("consent", org.engineer.pk), {"consent": "on"}).status_code == 403
    assert not Pair.objects.filter(shares_earlier_history=True).exists()


# --- the 1:1 page ------------------------------------------------------------------------


def test_one_on_one_is_read_by_the_pair_alone(client, org):
    one = log(org)
    for who, status in (
        ("engineer", 200),
        ("manager", 200),
        ("director", 404),
        ("peer", 404),
        ("other_manager", 404),
        ("admin", 404),
        ("outsider", 404),
    ):
        client.force_login(getattr(org, who))
        assert client.get(url("detail", one.pk)).status_code == status, who


def test_each_member_sees_their_own_private_note_and_never_the_others(client, org):
    one = log(org)
    services.save_private_note(one_on_one=one, author=org.manager, version=0, body="Mara thinks X")
    services.save_private_note(one_on_one=one, author=org.engineer, version=0, body="Eli thinks Y")

    client.force_login(org.manager)
    as_manager = client.get(url("detail", one.pk))
    client.force_login(org.engineer)
    as_engineer = client.get(url("detail", one.pk))

    assertContains(as_manager, "Mara thinks X")
    assertNotContains(as_manager, "Eli thinks Y")
    assertContains(as_engineer, "Eli thinks Y")
    assertNotContains(as_engineer, "Mara thinks X")
    assertContains(as_engineer, "Private — only you can see this")


def test_page_loads_its_script_from_a_file(client, org):
    one = log(org)
    client.force_login(org.engineer)

    response = client.get(url("detail", one.pk))

    assertContains(response, 'src="/static/js/one_on_ones.js" defer')
    assert re.findall(r"<script(?![^>]*\bsrc=)", response.content.decode()) == []
    assertNotContains(response, " style=")


def _fill(org, one: OneOnOne, count: int) -> None:
    for i in range(count):
        services.add_agenda_item(one_on_one=one, actor=org.engineer, text=f"Topic {i}")
        services.add_action_item(
            one_on_one=one, actor=org.manager, text=f"Action {i}", owner=org.engineer, due_date=None
        )


@pytest.mark.parametrize("viewer", ["engineer", "manager"])
@pytest.mark.parametrize("size", [1, 8])
def test_one_on_one_page_queries_do_not_grow_with_its_items(
    client, org, django_assert_num_queries, viewer, size
):
    one = log(org)
    _fill(org, one, size)
    services.answer_pulse(
        one_on_one=one, engineer=org.engineer, learning=3, work_used=3, direction=3
    )
    GrowthPlan.objects.create(
        engineer=org.engineer, aspiration="a", gap="g", next_review_due=TODAY + timedelta(days=9)
    )
    client.force_login(getattr(org, viewer))

    # session, user, the 1:1, agenda, actions, pulse, private note, growth plan, roles
    with django_assert_num_queries(9):
        response = client.get(url("detail", one.pk))

    html = response.content.decode()
    assert html.count('<li id="agenda-') == html.count('<li id="action-') == size


# --- shared notes: Markdown, autosave, conflicts ------------------------------------------


def test_shared_notes_autosave_answers_htmx_with_the_status_only(client, org):
    one = log(org)
    client.force_login(org.engineer)

    response = client.post(
        url("shared_notes", one.pk), {"text": "We *agreed*", "version": "1"}, headers=HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert response["X-Autosave"] == "saved"
    assert "Saved 10:00" in html
    assert '<input type="hidden" name="version" value="2">' in html
    assert 'hx-swap-oob="true"' in html and "<em>agreed</em>" in html
    assert "HX-Request" in response["Vary"]
    assert OneOnOne.objects.get().shared_notes == "We *agreed*"


def test_two_saves_from_the_same_version_tell_the_second_of_the_conflict(client, org):
    one = log(org)
    client.force_login(org.manager)
    first = client.post(url("shared_notes", one.pk), {"text": "Mine", "version": "1"}, headers=HTMX)
    client.force_login(org.engineer)

    second = client.post(
        url("shared_notes", one.pk), {"text": "Theirs", "version": "1"}, headers=HTMX
    )

    assert first["X-Autosave"] == "saved"
    assert second.status_code == 200
    assert second["X-Autosave"] == "conflict"
    assertContains(second, "changed in another tab or by Mara Manager since you opened them")
    assertContains(second, "Your text is kept: copy it and reload.")
    assertContains(second, '<input type="hidden" name="version" value="1">')
    assert OneOnOne.objects.get().shared_notes == "Mine"


def test_plain_save_conflict_keeps_the_text_on_the_page(client, org):
    one = log(org)
    services.save_shared_notes(one_on_one=one, actor=org.manager, version=1, text="Mine")
    client.force_login(org.engineer)

    response = client.post(url("shared_notes", one.pk), {"text": "Theirs kept", "version": "1"})

    assert response.status_code == 200
    assertContains(response, "<html")
    assertContains(response, "Theirs kept</textarea>")
    assertContains(response, "since you opened them")
    assert OneOnOne.objects.get().shared_notes == "Mine"


def test_plain_save_redirects_to_the_page(client, org):
    one = log(org)
    client.force_login(org.manager)

    response = client.post(url("shared_notes", one.pk), {"text": "Done", "version": "1"})

    assert response.status_code == 302
    assert response["Location"] == url("detail", one.pk) + "#shared-notes"


def test_private_note_autosaves_and_tells_of_a_second_first_version(client, org):
    one = log(org)
    client.force_login(org.manager)

    first = client.post(url("private_note", one.pk), {"body": "A", "version": "0"}, headers=HTMX)
    second = client.post(url("private_note", one.pk), {"body": "B", "version": "0"}, headers=HTMX)

    assert first["X-Autosave"] == "saved"
    assertContains(first, '<input type="hidden" name="version" value="1">')
    assert second["X-Autosave"] == "conflict"
    assertContains(second, "your private note changed in another tab")
    assert [n.body for n in PrivateNote.objects.by(org.manager)] == ["A"]


def test_notes_are_written_by_the_pair_alone(client, org):
    one = log(org)
    client.force_login(org.director)
    assert (
        client.post(url("shared_notes", one.pk), {"text": "x", "version": "1"}).status_code == 404
    )
    assert (
        client.post(url("private_note", one.pk), {"body": "x", "version": "0"}).status_code == 404
    )
    assert OneOnOne.objects.get().shared_notes == ""


XSS = (
    "<script>alert('x')</script>\n\n"
    '<img src="x" onerror="alert(1)">\n\n'
    "[click](javascript:alert(1)) [also](JaVaScRiPt:alert(2)) "
    '<a href="javascript:alert(3)" onclick="alert(4)">raw</a> '
    "[fine](https://example.com/doc)"
)


def test_markdown_renders_xss_payloads_inert():
    html = render_markdown(XSS)

    assert "<script" not in html and "alert('x')" not in html
    assert "onerror" not in html and "onclick" not in html and "<img" not in html
    assert "javascript:" not in html.lower()
    assert '<a href="https://example.com/doc" rel="noopener noreferrer">fine</a>' in html


def test_shared_notes_with_xss_render_inert_on_the_page(client, org):
    one = log(org)
    services.save_shared_notes(one_on_one=one, actor=org.manager, version=1, text=XSS)
    client.force_login(org.engineer)

    shown = preview(client.get(url("detail", one.pk)))

    assert "<script" not in shown and "onerror" not in shown and "onclick" not in shown
    assert "javascript:" not in shown.lower()
    assert "https://example.com/doc" in shown


def test_markdown_headings_sit_below_the_pages():
    assert render_markdown("# Notes\n\n## Next").startswith("<h3>Notes</h3>")


# --- agenda ------------------------------------------------------------------------------


def test_either_side_adds_to_the_agenda_and_it_shows_who(client, org):
    one = log(org)
    for who in ("engineer", "manager"):
        client.force_login(getattr(org, who))
        response = client.post(url("agenda_add", one.pk), {"text": f"From {who}"}, headers=HTMX)
        assert response.status_code == 200
        assert "<html" not in response.content.decode()

    assertContains(response, "From engineer")
    assertContains(response, "Added by Eli Engineer")
    assertContains(response, "Added by Mara Manager")


def test_an_empty_agenda_item_is_refused(client, org):
    one = log(org)
    client.force_login(org.engineer)

    response = client.post(url("agenda_add", one.pk), {"text": ""})

    assert response.status_code == 200
    assertContains(response, "Write what you want to talk about.")
    assertContains(response, "<html")
    assert not AgendaItem.objects.exists()


def test_agenda_item_is_ticked_discussed_and_carried_when_not(client, org):
    one = log(org)
    talked = services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Talked")
    services.add_agenda_item(one_on_one=one, actor=org.engineer, text="Left over")
    client.force_login(org.manager)

    response = client.post(url("agenda_discussed", talked.pk), {"checked": "on"}, headers=HTMX)
    nxt = log(org, TODAY + timedelta(days=14))
    page = client.get(url("detail", nxt.pk))

    assert response.status_code == 200
    assert AgendaItem.objects.get(pk=talked.pk).discussed
    assertContains(page, "Left over")
    assertContains(page, "Carried over")
    assertNotContains(page, "Talked")


# --- action items --------------------------------------------------------------------------


def test_action_item_is_added_for_either_side(client, org):
    one = log(org)
    client.force_login(org.engineer)

    response = client.post(
        url("action_add", one.pk),
        {"text": "Ask for GPUs", "owner": str(org.manager.pk), "due_date": "2026-09-30"},
        headers=HTMX,
    )

    item = ActionItem.objects.get()
    assert (item.owner, item.created_by, item.due_date) == (
        org.manager,
        org.engineer,
        date(2026, 9, 30),
    )
    assertContains(response, "Ask for GPUs")
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"text": "", "owner": "ENGINEER"}, "Write what is to be done."),
        ({"text": "Ask", "owner": "OUTSIDER"}, "Select a valid choice."),
        ({"text": "Ask", "owner": "ENGINEER", "due_date": "soon"}, "Enter a valid date."),
    ],
)
def test_a_bad_action_item_is_refused(client, org, data, error):
    one = log(org)
    people = {"ENGINEER": str(org.engineer.pk), "OUTSIDER": str(org.outsider.pk)}
    client.force_login(org.manager)

    response = client.post(url("action_add", one.pk), {**data, "owner": people[data["owner"]]})

    assert response.status_code == 200
    assertContains(response, error)
    assert not ActionItem.objects.exists()


def test_only_the_owner_ticks_an_action_item(client, org):
    one = log(org)
    item = services.add_action_item(
        one_on_one=one, actor=org.manager, text="Draft", owner=org.engineer, due_date=None
    )
    client.force_login(org.manager)
    assert client.post(url("action_done", item.pk), {"checked": "on"}).status_code == 403
    page = client.get(url("detail", one.pk))
    assertNotContains(page, f'id="action-done-{item.pk}"')

    client.force_login(org.engineer)
    response = client.post(url("action_done", item.pk), {"checked": "on"}, headers=HTMX)

    assert response.status_code == 200
    assert ActionItem.objects.get().done_at is not None


def test_flagged_and_overdue_action_items_are_marked_on_both_sides(client, org):
    one = log(org)
    item = services.add_action_item(
        one_on_one=one,
        actor=org.manager,
        text="Write the doc",
        owner=org.engineer,
        due_date=TODAY - timedelta(days=2),
    )
    ActionItem.objects.filter(pk=item.pk).update(times_carried=4)

    for who in ("engineer", "manager"):
        client.force_login(getattr(org, who))
        response = client.get(url("detail", one.pk))
        assertContains(response, "Carried over 4 times")
        assertContains(response, "Carried into more than three 1:1s")
        assertContains(response, "Overdue")


def test_open_action_item_carries_into_the_next_one_on_one(client, org):
    one = log(org, TODAY - timedelta(days=14))
    services.add_action_item(
        one_on_one=one, actor=org.manager, text="Draft the eval", owner=org.engineer, due_date=None
    )
    client.force_login(org.manager)

    client.post(url("log", org.engineer.pk), {"date": TODAY.isoformat()})
    nxt = OneOnOne.objects.get(date=TODAY)

    assertContains(client.get(url("detail", nxt.pk)), "Draft the eval")


# --- pulse ---------------------------------------------------------------------------------


def test_engineer_answers_the_pulse_and_the_manager_sees_the_answers(client, org):
    one = log(org)
    client.force_login(org.engineer)

    response = client.post(
        url("pulse", one.pk),
        {"learning": "2", "work_used": "4", "direction": "3", "direction_concern": "Roadmap?"},
        headers=HTMX,
    )
    client.force_login(org.manager)
    page = client.get(url("detail", one.pk))

    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert Pulse.objects.values_list("learning", "work_used", "direction").get() == (2, 4, 3)
    assertContains(page, "<dt>Am I learning?</dt><dd>2 of 5</dd>", html=False)
    assertContains(page, "Roadmap?")
    assertNotContains(page, 'name="learning"')


def test_the_manager_cannot_answer_the_pulse(client, org):
    one = log(org)
    client.force_login(org.manager)

    response = client.post(
        url("pulse", one.pk), {"learning": "5", "work_used": "5", "direction": "5"}
    )

    assert response.status_code == 403
    assert not Pulse.objects.exists()


@pytest.mark.parametrize("score", ["0", "6", "", "three"])
def test_a_score_outside_one_to_five_is_refused(client, org, score):
    one = log(org)
    client.force_login(org.engineer)

    response = client.post(
        url("pulse", one.pk), {"learning": score, "work_used": "3", "direction": "3"}
    )

    assert response.status_code == 200
    assertContains(response, "Answer from 1 (no) to 5 (yes).")
    assert not Pulse.objects.exists()


# --- growth prompt -------------------------------------------------------------------------


@pytest.mark.parametrize(("due_in", "prompted"), [(30, True), (-3, True), (31, False)])
def test_growth_prompt_when_the_quarterly_review_is_near(client, org, due_in, prompted):
    one = log(org)
    GrowthPlan.objects.create(
        engineer=org.engineer,
        aspiration="a",
        gap="g",
        next_review_due=TODAY + timedelta(days=due_in),
    )
    client.force_login(org.manager)

    response = client.get(url("detail", one.pk))

    assert ("Time for a growth conversation" in response.content.decode()) is prompted
    if prompted:
        assertContains(response, reverse("growth:plan_detail", args=[org.engineer.pk]))


def test_an_invalid_autosave_keeps_the_pages_version(client, org):
    one = log(org)
    services.save_shared_notes(one_on_one=one, actor=org.manager, version=1, text="Mara's")
    client.force_login(org.engineer)

    too_long = client.post(
        url("shared_notes", one.pk), {"text": "x" * 20001, "version": "1"}, headers=HTMX
    )

    assert too_long["X-Autosave"] == "invalid"
    assertContains(too_long, "Not saved: Ensure this value has at most 20000 characters")
    assertContains(too_long, '<input type="hidden" name="version" value="1">')
    assert OneOnOne.objects.get().shared_notes == "Mara's"
