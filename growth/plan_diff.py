"""Comparing two versions of a growth plan: a word diff for prose, "old → new" for
short values, experiments and commitments matched by id.

Works on snapshots (plain JSON), so any two quarterly reviews, or a review and
the current plan, compare the same way.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from growth.models import plan_questions

QUESTIONS = plan_questions()

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
            QUESTIONS["aspiration"],
            old.get("aspiration", ""),
            new.get("aspiration", ""),
        ),
        diff_words(QUESTIONS["gap"], old.get("gap", ""), new.get("gap", "")),
    ]
    # Review texts only exist on reviews: comparing them with the live plan
    # would show every word as removed.
    old_review, new_review = old.get("review"), new.get("review")
    if old_review and new_review:
        for key in ("what_changed", "next_quarter", "manager_note"):
            label = QUESTIONS[key]
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
