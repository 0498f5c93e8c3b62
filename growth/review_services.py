"""Quarterly reviews: submitting one (with its snapshot), comparing two, and reminders.

Kept apart from growth/services.py (plans and experiments) because reviews read
the whole plan at once and never edit its text.
"""

from __future__ import annotations

import copy
import difflib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from growth.history import record_change
from growth.models import (
    QUARTER_DAYS,
    REVIEW_DUE_SOON_DAYS,
    Experiment,
    GrowthPlan,
    QuarterlyReview,
    quarter_label,
)
from growth.services import REVIEW_INTERVAL, edit_with_history

SNAPSHOT_VERSION = 1

NO_PROGRESS = "none"
PROGRESSING = "progressing"
COMPLETED = "completed"
ABANDONED = "abandoned"
PROGRESS_CHOICES = [
    (NO_PROGRESS, "No progress"),
    (PROGRESSING, "Progressing"),
    (COMPLETED, "Completed"),
    (ABANDONED, "Abandoned"),
]
# Marking an experiment completed or abandoned in a review closes it.
CLOSING_STATUS = {COMPLETED: Experiment.Status.DONE, ABANDONED: Experiment.Status.ABANDONED}

EXPERIMENT_FIELDS = [
    ("hypothesis", "Hypothesis"),
    ("what_to_try", "What will be tried"),
    ("success_signal", "How success will be recognised"),
    ("due_date", "Timebox / due date"),
    ("status_label", "Status"),
    ("learned", "What was learned"),
    ("closed_on", "Closed on"),
]
COMMITMENT_FIELDS = [
    ("kind_label", "Kind"),
    ("description", "Description"),
    ("due_date", "Due date"),
    ("status_label", "Status"),
    ("manager", "Manager"),
]
# Short values (dates, statuses) read better as "old → new" than as a word diff.
ARROW_FIELDS = {"due_date", "status_label", "closed_on", "kind_label", "manager"}


class ReviewAlreadySubmitted(Exception):
    """The plan already has a review for this quarter (nothing was saved)."""

    def __init__(self, quarter: str) -> None:
        super().__init__(quarter)
        self.quarter = quarter


def quarter_display(label: str) -> str:
    """'2026-Q3' → 'Q3 2026'."""
    year, _, q = label.partition("-")
    return f"{q} {year}"


def reviewable_experiments(plan: GrowthPlan) -> list[Experiment]:
    """Open experiments and those closed within the last quarter: what a review looks at."""
    since = timezone.localdate() - timedelta(days=QUARTER_DAYS)
    open_statuses = [Experiment.Status.PLANNED, Experiment.Status.RUNNING]
    return list(plan.experiments.filter(Q(status__in=open_statuses) | Q(closed_on__gte=since)))


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def build_plan_snapshot(
    plan: GrowthPlan,
    *,
    experiments: list[Experiment] | None = None,
    progress: dict[int, tuple[str, str]] | None = None,
) -> dict:
    """The whole plan as plain JSON (also used for "current plan" in comparisons)."""
    if experiments is None:
        experiments = list(plan.experiments.all())
    progress = progress or {}
    labels = dict(PROGRESS_CHOICES)
    transition = plan.transition
    return {
        "version": SNAPSHOT_VERSION,
        "engineer": {"id": plan.engineer_id, "name": plan.engineer.name},
        "transition": (
            {"id": transition.pk, "name": transition.name, "focus": transition.focus}
            if transition
            else None
        ),
        "aspiration": plan.aspiration,
        "gap": plan.gap,
        "next_review_due": _iso(plan.next_review_due),
        "experiments": [
            {
                "id": e.pk,
                "position": e.position,
                "hypothesis": e.hypothesis,
                "what_to_try": e.what_to_try,
                "success_signal": e.success_signal,
                "due_date": _iso(e.due_date),
                "status": e.status,
                "status_label": e.get_status_display(),
                "learned": e.learned,
                "closed_on": _iso(e.closed_on),
                "progress": (
                    {
                        "value": progress[e.pk][0],
                        "label": labels[progress[e.pk][0]],
                        "note": progress[e.pk][1],
                    }
                    if e.pk in progress
                    else None
                ),
            }
            for e in experiments
        ],
        "commitments": [
            {
                "id": c.pk,
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "description": c.description,
                "due_date": _iso(c.due_date),
                "status": c.status,
                "status_label": c.get_status_display(),
                "manager": c.manager.name,
            }
            for c in plan.commitments.select_related("manager")
        ],
    }


def snapshot_for_display(snapshot: dict) -> dict:
    """A copy of a snapshot with its ISO dates as dates, for templates to format."""
    shown = copy.deepcopy(snapshot)
    for item in shown.get("experiments", []) + shown.get("commitments", []):
        for key in ("due_date", "closed_on"):
            if item.get(key):
                item[key] = date.fromisoformat(item[key])
    return shown


def review_snapshot(
    plan: GrowthPlan,
    *,
    experiments: list[Experiment] | None,
    progress: dict[int, tuple[str, str]],
    due: date,
    submitted_by,
    submitted_on: date,
    texts: dict[str, str],
) -> dict:
    """The plan's snapshot plus the review itself, as stored on QuarterlyReview."""
    snapshot = build_plan_snapshot(plan, experiments=experiments, progress=progress)
    snapshot["review"] = {
        "quarter": quarter_label(due),
        "due_date": _iso(due),
        "submitted_by": submitted_by.name,
        "submitted_on": _iso(submitted_on),
        "what_changed": texts["what_changed"],
        "next_quarter": texts["next_quarter"],
        "manager_note": texts.get("manager_note", ""),
        "made_progress": shows_progress(progress),
    }
    return snapshot


def shows_progress(progress: dict[int, tuple[str, str]]) -> bool:
    """A quarter made progress when any experiment is progressing or completed."""
    return any(choice in (PROGRESSING, COMPLETED) for choice, _ in progress.values())


@transaction.atomic
def submit_quarterly_review(
    *,
    plan: GrowthPlan,
    submitted_by,
    what_changed: str,
    next_quarter: str,
    manager_note: str,
    progress: dict[int, tuple[str, str]],
) -> QuarterlyReview:
    """Record the quarter's review, close finished experiments, snapshot the plan.

    The review covers the quarter of the plan's due date; the next review is
    due one quarter after the later of today and that date. Raises
    ReviewAlreadySubmitted (and saves nothing) if that quarter is reviewed.
    """
    today = timezone.localdate()
    due = plan.next_review_due
    quarter = quarter_label(due)
    # Checked first for a clear answer; the unique constraint below still
    # decides when two submissions race.
    if QuarterlyReview.objects.filter(plan=plan, quarter=quarter).exists():
        raise ReviewAlreadySubmitted(quarter)

    experiments = list(plan.experiments.select_for_update())
    # Only this plan's experiments count, whatever the caller passed.
    ids = {e.pk for e in experiments}
    progress = {pk: entry for pk, entry in progress.items() if pk in ids}
    for i, experiment in enumerate(experiments):
        choice = progress.get(experiment.pk, (NO_PROGRESS, ""))[0]
        status = CLOSING_STATUS.get(choice)
        if status and experiment.status != status:
            # The version bump tells an edit open in another tab that it changed.
            experiments[i] = edit_with_history(
                experiment,
                subject="experiment",
                actor=submitted_by,
                version=experiment.version,
                values={"status": status, "closed_on": today},
                fields=["status", "closed_on"],
                action="closed",
                summary=lambda after: (
                    f"Closed “{after.hypothesis[:80]}” as {after.get_status_display().lower()}"
                    f" in the {quarter_display(quarter)} review"
                ),
            )

    made_progress = shows_progress(progress)
    snapshot = review_snapshot(
        plan,
        experiments=experiments,
        progress=progress,
        due=due,
        submitted_by=submitted_by,
        submitted_on=today,
        texts={
            "what_changed": what_changed,
            "next_quarter": next_quarter,
            "manager_note": manager_note,
        },
    )
    try:
        # A savepoint, so a lost race leaves the outer transaction usable.
        with transaction.atomic():
            review = QuarterlyReview.objects.create(
                plan=plan,
                quarter=quarter,
                due_date=due,
                submitted_by=submitted_by,
                what_changed=what_changed,
                next_quarter=next_quarter,
                manager_note=manager_note,
                made_progress=made_progress,
                snapshot=snapshot,
            )
    except IntegrityError:
        raise ReviewAlreadySubmitted(quarter) from None

    next_due = max(today, due) + REVIEW_INTERVAL
    GrowthPlan.objects.filter(pk=plan.pk).update(next_review_due=next_due)
    plan.next_review_due = next_due
    record_change(
        plan=plan,
        actor=submitted_by,
        subject="review",
        subject_id=review.pk,
        action="submitted",
        summary=f"Submitted the {quarter_display(quarter)} quarterly review",
        diff={"Next review due": [_iso(due), _iso(next_due)]},
    )
    return review


# --- Comparing two versions of a plan -------------------------------------------------


@dataclass
class TextDiff:
    label: str
    left: list[tuple[str, str]]  # (kind, text): kind "equal" or "del"
    right: list[tuple[str, str]]  # kind "equal" or "ins"
    inline: list[tuple[str, str]]  # both in reading order, for a one-column view
    changed: bool


@dataclass
class FieldChange:
    label: str
    old: str
    new: str
    words: TextDiff | None = None  # a word diff for prose; None for "old → new"


@dataclass
class ItemDiff:
    state: str  # "added", "removed", "changed", "unchanged"
    title: str
    item: dict
    changes: list[FieldChange] = field(default_factory=list)


# A word with the whitespace after it; leading whitespace is a token of its own.
_TOKENS = re.compile(r"^\s+|\S+\s*")


def diff_words(label: str, old: str, new: str) -> TextDiff:
    """A word-level diff of two texts, as segments for a side-by-side view."""
    a = _TOKENS.findall(old or "")
    b = _TOKENS.findall(new or "")
    left: list[tuple[str, str]] = []
    right: list[tuple[str, str]] = []
    inline: list[tuple[str, str]] = []
    # Words are matched without their spacing, so a reflowed line is not a change.
    matcher = difflib.SequenceMatcher(
        a=[t.strip() for t in a], b=[t.strip() for t in b], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            for side in (left, right, inline):
                side.append(("equal", "".join(a[i1:i2])))
            continue
        _append_changed(left, "del", a[i1:i2])
        _append_changed(right, "ins", b[j1:j2])
        _append_changed(inline, "del", a[i1:i2])
        if i2 > i1 and j2 > j1:
            inline.append(("equal", " "))
        _append_changed(inline, "ins", b[j1:j2])
    changed = (old or "") != (new or "")
    return TextDiff(label=label, left=left, right=right, inline=inline, changed=changed)


def _append_changed(out: list[tuple[str, str]], kind: str, tokens: list[str]) -> None:
    # Keep the whitespace around a change outside the <del>/<ins> so the mark
    # covers words only.
    text = "".join(tokens)
    stripped = text.strip()
    if not stripped:
        if text:
            out.append(("equal", text))
        return
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    if lead:
        out.append(("equal", lead))
    out.append((kind, stripped))
    if trail:
        out.append(("equal", trail))


def _text(value) -> str:
    return "" if value is None else str(value)


def _diff_items(old_items: list[dict], new_items: list[dict], fields, title_key) -> list[ItemDiff]:
    old_by_id = {item["id"]: item for item in old_items}
    new_ids = {item["id"] for item in new_items}
    result: list[ItemDiff] = []
    for item in new_items:
        before = old_by_id.get(item["id"])
        if before is None:
            result.append(ItemDiff("added", _text(item[title_key]), item))
            continue
        changes = []
        for key, label in fields:
            old, new = _text(before.get(key)), _text(item.get(key))
            if old != new:
                words = None if key in ARROW_FIELDS else diff_words(label, old, new)
                changes.append(FieldChange(label, old or "—", new or "—", words))
        result.append(
            ItemDiff("changed" if changes else "unchanged", _text(item[title_key]), item, changes)
        )
    for item in old_items:
        if item["id"] not in new_ids:
            result.append(ItemDiff("removed", _text(item[title_key]), item))
    return result


def _transition_text(snapshot: dict) -> str:
    transition = snapshot.get("transition")
    return f"{transition['name']}: {transition['focus']}" if transition else ""


def compare_snapshots(old: dict, new: dict) -> dict:
    """Texts diffed word by word; experiments and commitments matched by id."""
    texts = [
        diff_words("Transition", _transition_text(old), _transition_text(new)),
        diff_words(
            "What do you want to be able to do in 12 months that you can't do now?",
            old.get("aspiration", ""),
            new.get("aspiration", ""),
        ),
        diff_words("What is the gap between now and that?", old.get("gap", ""), new.get("gap", "")),
    ]
    # Review texts only exist on reviews: comparing them with the live plan
    # would show every word as removed.
    old_review, new_review = old.get("review"), new.get("review")
    if old_review and new_review:
        for key, label in [
            ("what_changed", "What changed this quarter"),
            ("next_quarter", "Next quarter's experiments"),
            ("manager_note", "Manager's note"),
        ]:
            texts.append(diff_words(label, old_review.get(key, ""), new_review.get(key, "")))
    return {
        "texts": texts,
        "experiments": _diff_items(
            old.get("experiments", []), new.get("experiments", []), EXPERIMENT_FIELDS, "hypothesis"
        ),
        "commitments": _diff_items(
            old.get("commitments", []),
            new.get("commitments", []),
            COMMITMENT_FIELDS,
            "description",
        ),
        "reviews_compared": bool(old_review and new_review),
    }


# --- Reminders on home pages ---------------------------------------------------------------


@dataclass
class ReviewAlerts:
    mine: GrowthPlan | None
    reports: list[GrowthPlan]


def reviews_needing_attention(*, manager=None, engineer=None) -> ReviewAlerts:
    """Plans whose review is due soon or overdue: the engineer's own, the manager's reports'.

    One query whichever is asked.
    """
    who = Q()
    if engineer is not None:
        who |= Q(engineer=engineer)
    if manager is not None:
        who |= Q(engineer__manager=manager)
    if not who:
        return ReviewAlerts(mine=None, reports=[])
    horizon = timezone.localdate() + timedelta(days=REVIEW_DUE_SOON_DAYS)
    plans = list(
        GrowthPlan.objects.filter(who, engineer__is_active=True, next_review_due__lte=horizon)
        .select_related("engineer")
        .order_by("next_review_due", "engineer__name")
    )
    mine = next((p for p in plans if engineer is not None and p.engineer_id == engineer.pk), None)
    reports = [p for p in plans if manager is not None and p.engineer.manager_id == manager.pk]
    return ReviewAlerts(mine=mine, reports=reports)
