"""What a calibration session shows about its own biases: pure functions over ratings,
each flag explaining itself. No model, no score of people: rules anyone can read."""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

# Justifications that speak of outcomes rather than process. A tested table, like
# the coach's: each pattern is a construction, matched case-insensitively.
OUTCOME_PATTERNS = [
    (
        r"\b(improv|increas|boost|rais|lift)\w*\s+(the\s+)?(accuracy|f1|auc|precision|recall|"
        r"bleu|rouge|metric|score|performance|revenue|ctr|conversion)",
        "a metric that went up",
    ),
    (
        r"\bbeat(s|ing)?\s+(the\s+)?(baseline|benchmark|sota|state of the art|competition)",
        "beating a baseline",
    ),
    (r"\bsota\b|\bstate[- ]of[- ]the[- ]art\b", "state of the art"),
    (r"\bshipped\b|\blaunched\b|\bwent live\b", "shipping"),
    (r"\bwon\b|\bwinning\b|\bwin(s)?\b", "winning"),
    (r"\b(big|huge|major|massive)\s+(gain|win|impact|improvement)s?\b", "a big gain"),
    (r"\bmoved the (needle|metric)\b", "moving a metric"),
    (
        r"\b(\d+(\.\d+)?\s*(%|percent|points?|pp)\s+(gain|improvement|better|lift|up))\b",
        "a number that went up",
    ),
]
# Words that show the justification is about how the work was done.
PROCESS_WORDS = re.compile(
    r"\b(ablation|baseline[s]? (chosen|fixed|set)|variance|seeds?|hypothes\w+|controlled|"
    r"isolat\w+|reproduc\w+|documented|wrote up|monitoring|failure mode|rollback|"
    r"pre-?regist\w+|held[- ]out|confidence interval)\b",
    re.IGNORECASE,
)
_OUTCOME = [(re.compile(p, re.IGNORECASE), label) for p, label in OUTCOME_PATTERNS]

LENIENCY_THRESHOLD = 0.5  # standard deviations from the cycle mean


@dataclass(frozen=True)
class Flag:
    key: str
    title: str
    explanation: str


def outcome_reasons(text: str) -> list[str]:
    """The outcome talk in a justification, as labels ("shipping", …)."""
    return [label for pattern, label in _OUTCOME if pattern.search(text or "")]


def outcome_justified(text: str) -> Flag | None:
    """Outcome talk with no process words: the rating may rest on the result."""
    reasons = outcome_reasons(text)
    if not reasons or PROCESS_WORDS.search(text or ""):
        return None
    return Flag(
        "outcome",
        "Outcome-justified?",
        "The justification speaks of " + ", ".join(dict.fromkeys(reasons)) + " rather than "
        "how the work was done. Rate the process: design, evidence, documentation.",
    )


def negative_result_penalised(score: int, results: Sequence[str]) -> Flag | None:
    """A 1 or 2 whose evidence is mostly negative-result work."""
    if score > 2 or not results:
        return None
    negatives = sum(1 for r in results if r == "negative")
    if negatives * 2 <= len(results):
        return None
    return Flag(
        "negative",
        "Negative result penalised?",
        f"Rated {score} on evidence that is mostly negative results ({negatives} of "
        f"{len(results)}). A rigorous experiment with a negative result is good work.",
    )


def recency(days: Sequence[date], last_fifth_starts: date) -> Flag | None:
    """All evidence from the last fifth of the period."""
    if not days or min(days) < last_fifth_starts:
        return None
    return Flag(
        "recency",
        "Recency",
        f"All evidence is from {last_fifth_starts:%-d %b %Y} on, the last fifth of the "
        "period: the earlier months are not in this rating.",
    )


def thin_evidence(count: int) -> Flag | None:
    if count != 1:
        return None
    return Flag("thin", "Thin evidence", "One work item only: is it the whole picture?")


@dataclass(frozen=True)
class Leniency:
    manager_mean: float
    cycle_mean: float
    offset_sd: float  # (manager mean − cycle mean) / cycle standard deviation

    @property
    def flagged(self) -> bool:
        return abs(self.offset_sd) > LENIENCY_THRESHOLD

    @property
    def direction(self) -> str:
        if not self.flagged:
            return "in line"
        return "lenient" if self.offset_sd > 0 else "severe"


def leniency(manager_scores: Sequence[int], all_scores: Sequence[int]) -> Leniency | None:
    if not manager_scores or len(all_scores) < 2:
        return None
    cycle_mean = statistics.fmean(all_scores)
    spread = statistics.pstdev(all_scores)
    mean = statistics.fmean(manager_scores)
    offset = 0.0 if spread == 0 else (mean - cycle_mean) / spread
    return Leniency(round(mean, 2), round(cycle_mean, 2), round(offset, 2))


@dataclass(frozen=True)
class SessionEffect:
    raised: int
    lowered: int
    draft_spread: float
    final_spread: float

    @property
    def only_lowers(self) -> bool:
        return self.lowered > 0 and self.raised == 0

    @property
    def compressed(self) -> bool:
        return self.final_spread < self.draft_spread


def session_effect(pairs: Iterable[tuple[int, int]]) -> SessionEffect:
    """(draft, final) pairs → how many the session raised and lowered, and the spread."""
    pairs = list(pairs)
    drafts = [d for d, _ in pairs]
    finals = [f for _, f in pairs]
    return SessionEffect(
        raised=sum(1 for d, f in pairs if f > d),
        lowered=sum(1 for d, f in pairs if f < d),
        draft_spread=round(statistics.pstdev(drafts), 2) if drafts else 0.0,
        final_spread=round(statistics.pstdev(finals), 2) if finals else 0.0,
    )
