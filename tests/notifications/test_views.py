"""The bell, the list, marking read, email choices and the job-health page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.jobs import RunLog, recording
from notifications.kinds import KINDS
from notifications.models import EmailPreference, JobRun, Notification
from notifications.services import notify

HTMX = {"HX-Request": "true"}


def tell(person, n: int = 1, kind: str = "review_due") -> list[Notification]:
    return [
        notify(recipients=[person], kind=kind, dedupe_key=f"k{i}", title=f"Reminder {i}")[0]
        for i in range(n)
    ]


def test_the_bell_shows_the_unread_count(client, org):
    tell(org.engineer, 2)
    tell(org.peer, 1)
    client.force_login(org.engineer)

    response = client.get(reverse("notifications:bell"), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert '<span class="bell-count">2<span class="visually-hidden"> unread</span>' in html


def test_the_bell_without_javascript_leads_to_the_list(client, org):
    client.force_login(org.engineer)

    response = client.get(reverse("notifications:bell"))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")


def test_every_page_links_to_the_bell(client, org):
    client.force_login(org.engineer)

    html = client.get(reverse("home")).content.decode()

    assert f'hx-get="{reverse("notifications:bell")}"' in html
    assert f'href="{reverse("notifications:list")}"' in html


def test_the_list_shows_only_the_persons_own(client, org):
    tell(org.engineer, 1)
    notify(recipients=[org.manager], kind="review_due", dedupe_key="m", title="For Mara only")
    client.force_login(org.engineer)

    html = client.get(reverse("notifications:list")).content.decode()

    assert "Reminder 0" in html
    assert "For Mara only" not in html
    assert "1 unread" in html


def test_marking_one_read_with_htmx_answers_the_list_and_the_bell(client, org):
    first, second = tell(org.engineer, 2)
    client.force_login(org.engineer)

    response = client.post(reverse("notifications:mark_read", args=[first.pk]), headers=HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "1 unread" in html
    assert 'hx-swap-oob="true"' in html
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None
    assert second.read_at is None


def test_marking_one_read_without_javascript_redirects_to_the_list(client, org):
    (notification,) = tell(org.engineer)
    client.force_login(org.engineer)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")
    assert Notification.objects.unread().count() == 0


def test_nobody_marks_anyone_elses_notification(client, org):
    (notification,) = tell(org.engineer)
    client.force_login(org.manager)

    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))

    assert response.status_code == 404
    assert Notification.objects.unread().count() == 1


def test_mark_all_read_marks_only_the_persons_own(client, org):
    tell(org.engineer, 3)
    tell(org.peer, 1)
    client.force_login(org.engineer)

    client.post(reverse("notifications:mark_all_read"))

    assert Notification.objects.unread().get().recipient == org.peer


def test_turning_off_email_for_a_kind_is_kept(client, org):
    client.force_login(org.engineer)

    response = client.post(
        reverse("notifications:preferences"), {"emailed": ["review_due_soon", "review_due"]}
    )

    assert response.status_code == 302
    assert dict(
        EmailPreference.objects.filter(person=org.engineer).values_list("kind", "email")
    ) == {**dict.fromkeys(KINDS, False), "review_due_soon": True, "review_due": True}
    html = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="review_overdue"' in html
    assert html.count("checked") == 2


@pytest.mark.parametrize("count", [1, 3])
def test_the_list_costs_the_same_at_any_size(client, org, django_assert_num_queries, count):
    tell(org.engineer, count)
    client.force_login(org.engineer)
    url = reverse("notifications:list")

    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.content.decode().count("Mark as read<") == count


def _runs(job: str, n: int, *, skipped: int = 0) -> None:
    for _ in range(n):
        with recording(job) as log:
            log.found, log.sent = 3, 2
            for i in range(skipped):
                log.skip(f"Plan {i}", "the engineer has no manager")


def test_job_health_shows_each_jobs_runs_with_what_was_skipped(client, org):
    _runs("review-reminders", 2, skipped=1)
    _runs("email-delivery", 1)
    with pytest.raises(ValueError), recording("email-delivery"):
        raise ValueError("SMTP down")
    client.force_login(org.director)

    html = client.get(reverse("notifications:job_health")).content.decode()

    assert "Quarterly review reminders" in html
    assert html.count("Plan 0: the engineer has no manager") == 2
    assert '<span class="badge badge-danger">Failed</span> ValueError: SMTP down' in html
    assert html.count('<span class="badge badge-ok">Succeeded</span>') == 3


def test_job_health_shows_an_unfinished_run_as_interrupted(client, org):
    JobRun.objects.create(job="review-reminders", started_at=timezone.now() - timedelta(hours=2))
    client.force_login(org.admin)

    html = client.get(reverse("notifications:job_health")).content.decode()

    assert '<span class="badge badge-warn">Interrupted</span>' in html


def test_job_health_is_refused_to_managers(client, org):
    client.force_login(org.manager)

    assert client.get(reverse("notifications:job_health")).status_code == 403


@pytest.mark.parametrize("runs", [1, 12])
def test_job_health_costs_the_same_at_any_size(client, org, django_assert_num_queries, runs):
    _runs("review-reminders", runs, skipped=2)
    _runs("email-delivery", runs)
    client.force_login(org.admin)

    with django_assert_num_queries(8):
        response = client.get(reverse("notifications:job_health"))

    assert response.content.decode().count("<tr>") == 2 * min(runs, 10) + 2


def test_runlog_keeps_a_bounded_list_of_skips():
    log = RunLog(run=JobRun(job="x"))
    for i in range(250):
        log.skip(f"item {i}", "why")

    assert (log.skipped_count, len(log.skipped)) == (250, 200)
