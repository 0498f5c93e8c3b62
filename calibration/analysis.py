"""What a calibration session shows about its own biases: pure functions over ratings,
each flag explaining itself. No model, no score of people: rules anyone can read."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

# What a model's numbers are called in a justification; "the metric definitions" or
# "the metric logging" are process, so those are not a metric going up.
_METRIC = (
    r"(accuracy|f1|auc|precision|recall|bleu|rouge|metrics?|scores?|performance|revenue|"
    r"ctr|conversion|engagement|retention|quality|numbers)\b"
    r"(?!\s+(definitions?|logging|pipelines?|dashboards?|tracking|computation))"
)
# Justifications that speak of outcomes rather than process. A tested table, like the
# coach's (tests/calibration/test_analysis.py): each pattern is a construction,
# matched case-insensitively, with the label the flag says it in.
OUTCOME_PATTERNS = [
    (
        r"\b(improv|increas|boost|rais|lift|grew|grow|doubl)\w*\s+(the\s+|our\s+|its\s+)?"
        r"(model\s+)?" + _METRIC,
        "a metric that went up",
    ),
    (
        r"\b" + _METRIC + r"\s+(went up|grew|rose|jumped|improved|increased|doubled)\b",
        "a metric that went up",
    ),
    (
        r"\b(cut|reduc|lower|halv|decreas|drop)\w*\s+(the\s+)?(\w+\s+)?"
        r"(latency|error rate|costs?|loss|churn|wer|perplexity)\b",
        "a metric that went down",
    ),
    (
        r"\b(reach|hit|achiev|got)\w*\s+(an?\s+)?\d+(\.\d+)?\s*%?\s*(\w+\s+)?" + _METRIC,
        "a number reached",
    ),
    (
        r"\b\d+(\.\d+)?\s*(%|percent|points?|pp)\s+(\w+\s+)?"
        r"(gain|improvement|better|lift|up|increase|boost)\b|\+\s?\d+(\.\d+)?\s*(%|pp|points?)",
        "a number that went up",
    ),
    (
        r"\bbeat(s|ing)?\s+(the\s+|our\s+|every\s+)?(\w+\s+)?"
        r"(baselines?|benchmarks?|sota|state of the art|competition)\b|\boutperform\w*",
        "beating a baseline",
    ),
    (r"\bsota\b|\bstate[- ]of[- ]the[- ]art\b", "state of the art"),
    (r"\b(top|topped|led|leads|first on|climbed)\s+(\w+\s+){0,2}leaderboard", "a leaderboard"),
    (
        # "Shipped nothing this half, but…" is not a launch.
        r"\b(shipped|launched|went live|rolled out|went (in)?to production)\b(?!\s+nothing)",
        "shipping",
    ),
    (r"\b(won|winning|wins?)\b(?!\s+rates?\b)", "winning"),  # "the win rate" is a metric
    (
        r"\b(big|bigger|biggest|huge|major|massive|large|largest)\s+(\w+\s+){0,2}"
        r"(gains?|wins?|impact|improvements?|jump|success)\b",
        "a big gain",
    ),
    (r"\bmoved the (needle|metrics?)\b", "moving a metric"),
    (r"\bbest\s+(model|results?|scores?|numbers?|performance)\b", "the best result"),
    (
        r"\b(experiments?|models?|ideas?|approach|bets?)\s+(worked|paid off|succeeded)\b"
        r"|\b(was|were|is)\s+a\s+(\w+\s+)?success\b"
        r"|\bpositive\s+(?!(and|or)\b)([\w/-]+\s+){0,2}results?\b"
        r"|\bresults?\s+speaks?\s+for\s+(itself|themselves)\b",
        "a result that worked",
    ),
    (
        r"\b(leadership|execs?|customers|users|stakeholders)\s+(loved|were thrilled|noticed)",
        "applause",
    ),
]
# Words that show the justification is about how the work was done.
PROCESS_WORDS = re.compile(
    r"\b(ablations?|baselines? (chosen|fixed|set|first)|variance|seeds?|hypothes\w+|"
    r"controlled|isolat\w+|reproduc\w+|documented|wrote up|write-?up|postmortem|runbook|"
    r"monitoring|failure modes?|rollback|pre-?regist\w+|confidence intervals?|"
    r"error analysis|design (doc|review))\b",
    re.IGNORECASE,
)
_OUTCOME = [(re.compile(p, re.IGNORECASE), label) for p, label in OUTCOME_PATTERNS]

LENIENCY_THRESHOLD = 0.5  # standard deviations from the cycle mean


@dataclass(frozen=True)
class Flag:
    key: str
    title: str
    explanation: str


def outcome_phrases(text: str) -> list[tuple[str, str]]:
    """The outcome talk in a justification: (label, the phrase as written), in text order."""
    found = []
    for pattern, label in _OUTCOME:
        match = pattern.search(text or "")
        if match:
            found.append((match.start(), label, match.group(0).strip()))
    return [(label, phrase) for _, label, phrase in sorted(found, key=lambda f: f[0])]


def outcome_reasons(text: str) -> list[str]:
    """The outcome talk in a justification, as labels ("shipping", …)."""
    return [label for label, _ in outcome_phrases(text)]


def outcome_justified(text: str) -> Flag | None:
    """Outcome talk with no process words: the rating may rest on the result."""
    if PROCESS_WORDS.search(text or ""):  # one pattern first, the fifteen only if needed
        return None
    phrases = outcome_phrases(text)
    if not phrases:
        return None
    by_label: dict[str, list[str]] = {}
    for label, phrase in phrases:
        quoted = by_label.setdefault(label, [])
        if phrase.lower() not in (q.lower() for q in quoted):
            quoted.append(phrase)
    spoken = [
        f"{label} ({', '.join(f'“{q}”' for q in quoted)})" for label, quoted in by_label.items()
    ]
    return Flag(
        "outcome",
        "Outcome-justified?",
        "The justification speaks of " + _and(spoken) + " rather than how the work was "
        "done. Rate the process: the design, the evidence, the write-up.",
    )


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def negative_result_penalised(score: int, results: Sequence[str]) -> Flag | None:
    """A 1 or 2 whose evidence is mostly (more than half) negative-result work."""
    if score > 2 or not results:
        return None
    negatives = sum(1 for r in results if r == "negative")
    if negatives * 2 <= len(results):
        return None
    return Flag(
        "negative",
        "Negative result penalised?",
        f"Rated {score} on evidence that is mostly negative results ({negatives} of "
        f"{len(results)}). A rigorous experiment with a negative result is good work: "
        "was the process weak, or only the result?",
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
    """One work item only (or none left: evidence is required, but items can be deleted)."""
    if count > 1:
        return None
    if count == 0:
        return Flag("thin", "No evidence", "No work item is cited: nothing here to check.")
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

    @property
    def label(self) -> str:
        """ "lenient: +0.8 SD", in words first, then the signed offset."""
        sign = "−" if self.offset_sd < 0 else "+"
        return f"{self.direction}: {sign}{abs(self.offset_sd):.1f} SD"


@dataclass(frozen=True)
class Spread:
    """A set of scores' size, mean and population standard deviation."""

    count: int
    mean: float
    sd: float


def spread(scores: Iterable[int]) -> Spread:
    """Mean and population standard deviation of integer scores."""
    return spread_of_counts(Counter(scores))


def spread_of_counts(counts: Mapping[int, int]) -> Spread:
    """`spread` of the scores counted as {score: how many}, from exact integer sums: the
    session reads a cycle's 12,000 scores as four counts per manager from the database.
    Agrees with statistics.pstdev to the last bit or one below."""
    count = sum(counts.values())
    if not count:
        return Spread(0, 0.0, 0.0)
    total = sum(score * n for score, n in counts.items())
    squares = sum(score * score * n for score, n in counts.items())
    return Spread(count, total / count, math.sqrt((count * squares - total * total) / count**2))


def leniency(manager_scores: Sequence[int], all_scores: Sequence[int]) -> Leniency | None:
    """A manager's mean against the cycle's, in the cycle's (population) standard deviations."""
    return leniency_of(spread(manager_scores), spread(all_scores))


def leniency_of(manager: Spread, cycle: Spread) -> Leniency | None:
    """`leniency` of a manager's scores and the cycle's, given as their spreads."""
    if not manager.count or cycle.count < 2:
        return None
    offset = 0.0 if cycle.sd == 0 else (manager.mean - cycle.mean) / cycle.sd
    return Leniency(round(manager.mean, 2), round(cycle.mean, 2), round(offset, 2))


@dataclass(frozen=True)
class SessionEffect:
    raised: int
    lowered: int
    draft_spread: float  # population standard deviation of the draft scores
    final_spread: float
    total: int = 0  # ratings compared

    @property
    def changed(self) -> int:
        return self.raised + self.lowered

    @property
    def only_lowers(self) -> bool:
        return self.lowered > 0 and self.raised == 0

    @property
    def compressed(self) -> bool:
        return self.final_spread < self.draft_spread


def session_effect(pairs: Iterable[tuple[int, int]]) -> SessionEffect:
    """(draft, final) pairs → how many the session raised and lowered, and the spread."""
    pairs = list(pairs)
    return session_effect_of(
        raised=sum(1 for d, f in pairs if f > d),
        lowered=sum(1 for d, f in pairs if f < d),
        drafts=Counter(d for d, _ in pairs),
        finals=Counter(f for _, f in pairs),
    )


def session_effect_of(
    *, raised: int, lowered: int, drafts: Mapping[int, int], finals: Mapping[int, int]
) -> SessionEffect:
    """`session_effect` from counts: raised, lowered, and {score: how many} of the drafts
    and of the finals (what one aggregate query over a cycle answers)."""
    return SessionEffect(
        raised=raised,
        lowered=lowered,
        draft_spread=round(spread_of_counts(drafts).sd, 2),
        final_spread=round(spread_of_counts(finals).sd, 2),
        total=sum(drafts.values()),
    )
