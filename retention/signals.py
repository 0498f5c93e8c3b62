"""Retention signals (DOMAIN.md §4): why an engineer might leave, explained.

Each signal names its rule, its evidence (with links), the action it suggests and who
can act. There is no score: the count and severity of the active signals give a plain
low / medium / high (`LEVEL_RULE`).

Two kinds of evidence:

- records (assignments, the graveyard, growth plans, 1:1 dates): shown along the
  reporting line, like the records themselves;
- the 1:1 pulse: it belongs to the pair (DOMAIN.md §5), so pulse-based signals about
  one engineer are shown only to the engineer and their manager (the 1:1 partner).
  Everyone else sees pulse figures only as aggregates behind the anonymity floor
  (retention/dashboard.py).

`compute_signals` answers for any number of people in a constant number of queries.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from accounts.models import Person, duration
from growth import panels as growth_panels
from one_on_ones import panels as one_on_ones_panels
from retention.models import RetentionSettings
from retention.panels import graveyard_findings_for, problem_type_streaks

NOT_LEARNING = "not_learning"
WORK_NOT_USED = "work_not_used"
DIRECTION_DOUBT = "direction_doubt"
STAGNATING = "stagnating"
GROWTH_NEGLECTED = "growth_neglected"
ONE_ON_ONE_GAP = "one_on_one_gap"

LABELS = {
    NOT_LEARNING: "Not learning",
    WORK_NOT_USED: "Work not used",
    DIRECTION_DOUBT: "Direction doubt",
    STAGNATING: "Stagnating",
    GROWTH_NEGLECTED: "Growth neglected",
    ONE_ON_ONE_GAP: "1:1 gap",
}
# The signals drawn from records, shown along the reporting line and counted per team.
RECORD_KINDS = [NOT_LEARNING, WORK_NOT_USED, STAGNATING, GROWTH_NEGLECTED, ONE_ON_ONE_GAP]

# Pulse-based findings, per engineer; aggregated behind the floor for everyone else.
LEARNING_PULSE = "learning_pulse"
WORK_USED_PULSE = "work_used_pulse"
PULSE_LABELS = {
    LEARNING_PULSE: "“Am I learning?” falling",
    WORK_USED_PULSE: "“Is my work used?” falling",
    DIRECTION_DOUBT: "Doubts the product direction",
}
PULSE_KINDS = list(PULSE_LABELS)

PULSE_WINDOW_DAYS = 180  # pulses older than this say nothing about now
PULSE_LAST = 6  # the latest six pulses of the pair
LOW_SCORE = 2  # 1 (no) … 5 (yes): 2 or below is a "no"

MANAGER = "the manager"
BUSINESS = "the business (directors and product leadership), not the team"

LEVEL_RULE = (
    "Each active signal counts 1 point, or 2 when it is severe (named on the signal). "
    "0–1 points: low; 2–3: medium; 4 or more: high. You see the level of what you may see: "
    "pulse-based signals count only for the engineer and their manager."
)


def pulse_rule(question: str) -> str:
    return (
        f"“{question}” answered {LOW_SCORE} or below in the latest 1:1 pulse, or down by a "
        f"point or more (the latest two answers against the ones before), over the last "
        f"{PULSE_LAST} pulses within {PULSE_WINDOW_DAYS} days."
    )


@dataclass(frozen=True)
class Evidence:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Signal:
    kind: str
    rule: str
    evidence: list[Evidence]
    action: str
    who: str
    severe: bool = False
    from_pulse: bool = False

    @property
    def label(self) -> str:
        return LABELS[self.kind]

    @property
    def points(self) -> int:
        return 2 if self.severe else 1


@dataclass
class EngineerSignals:
    """One engineer's signals as one viewer may see them, and what aggregates need."""

    person: Person
    signals: list[Signal]
    record_kinds: frozenset[str]  # the record-based signals active (per-team counts)
    pulse_flags: frozenset[str] = frozenset()  # only ever shown aggregated by others
    answered_pulse: bool = False
    reviewed: bool = False  # has a plan and a quarterly review within the span
    one_on_ones_kept: bool = True
    pulse_visible: bool = False  # the viewer is the engineer or their 1:1 partner
    kinds: list[str] = field(default_factory=list)

    @property
    def points(self) -> int:
        return sum(signal.points for signal in self.signals)

    @property
    def level(self) -> str:
        return level_for(self.points)

    @property
    def labels(self) -> list[str]:
        return [signal.label for signal in self.signals]


def level_for(points: int) -> str:
    if points >= 4:
        return "high"
    if points >= 2:
        return "medium"
    return "low"


def falling(scores: Sequence[int]) -> bool:
    """The pulse rule: latest at LOW_SCORE or below, or the last two a point below before."""
    if not scores:
        return False
    if scores[-1] <= LOW_SCORE:
        return True
    if len(scores) < 3:
        return False
    # Plain arithmetic: statistics.mean is exact but slow, and this runs per engineer.
    before = scores[:-2]
    return (scores[-1] + scores[-2]) / 2 <= sum(before) / len(before) - 1


class _Links:
    """URL prefixes reversed once, so thousands of evidence links cost no reverse() each."""

    def __init__(self) -> None:
        self._patterns = {
            name: reverse(name, args=[987654321])
            for name in (
                "retention:assignments",
                "retention:model_detail",
                "growth:plan_detail",
                "one_on_ones:detail",
                "one_on_ones:pair",
            )
        }

    def __call__(self, name: str, pk: int) -> str:
        return self._patterns[name].replace("987654321", str(pk))


def compute_signals(
    people: Iterable[Person],
    *,
    viewer: Person,
    today: date | None = None,
    thresholds: RetentionSettings | None = None,
    with_pulse: bool = True,
) -> list[EngineerSignals]:
    """The signals of `people` (already scoped to the viewer) as `viewer` may see them.

    A constant number of queries whatever the number of people: each source is read
    once for all of them.
    """
    today = today or timezone.localdate()
    thresholds = thresholds or RetentionSettings.load()
    people = list(people)
    if not people:
        return []
    link = _Links()
    streaks = problem_type_streaks(people, today)
    findings = graveyard_findings_for(people)
    stagnation = growth_panels.stagnation_by_person(people)
    plans = growth_panels.plan_review_dates(people)
    ids = [person.pk for person in people]
    gaps = {
        gap.engineer.pk: gap
        for gap in one_on_ones_panels.cadence_gaps(viewer, today=today, among=ids)
    }
    pulses = one_on_ones_panels.pulse_answers_for(
        people, last=PULSE_LAST, since=today - timedelta(days=PULSE_WINDOW_DAYS)
    )
    result = []
    for person in people:
        signals: list[Signal] = []
        pulse_visible = with_pulse and viewer.pk in (person.pk, person.manager_id)
        answers = pulses.get(person.pk, [])
        learning_down = falling([a.learning for a in answers])
        used_down = falling([a.work_used for a in answers])
        doubt = bool(answers) and (
            answers[-1].direction <= LOW_SCORE or any(a.raised_concern for a in answers)
        )
        flags = {
            kind
            for kind, on in (
                (LEARNING_PULSE, learning_down),
                (WORK_USED_PULSE, used_down),
                (DIRECTION_DOUBT, doubt),
            )
            if on
        }
        record: set[str] = set()

        # Not learning: one problem type too long, or (inside the pair) a falling pulse.
        streak = streaks.get(person.pk)
        long_streak = streak is not None and streak.days > thresholds.not_learning_days
        evidence = []
        if streak is not None and long_streak:
            record.add(NOT_LEARNING)
            evidence.append(
                Evidence(
                    f"On {streak.problem_type.name} for {streak.length} "
                    f"(since {streak.since:%-d %b %Y}), with no rotation",
                    link("retention:assignments", person.pk),
                )
            )
        if pulse_visible and learning_down:
            evidence.append(_pulse_evidence(answers, "learning", "Am I learning?", link))
        if evidence:
            signals.append(
                Signal(
                    NOT_LEARNING,
                    f"On one problem type for more than {duration(thresholds.not_learning_days)} "
                    f"({thresholds.not_learning_days} days) with no rotation; or "
                    + pulse_rule("Am I learning?"),
                    evidence,
                    "Rotate them to a new problem type (RAG → serving infrastructure → evals …).",
                    MANAGER,
                    severe=len(evidence) > 1
                    or (streak is not None and streak.days > 1.5 * thresholds.not_learning_days),
                    from_pulse=not long_streak,
                )
            )

        # Work not used: graveyard models, or (inside the pair) a falling pulse.
        evidence = [
            Evidence(
                f"{finding.model.name} ({finding.model.problem_type.name}), trained "
                f"{finding.trained_on:%-d %b %Y}, never deployed nor archived",
                link("retention:model_detail", finding.model_id),
            )
            for finding in findings.get(person.pk, [])
        ]
        buried = len(evidence)
        if buried:
            record.add(WORK_NOT_USED)
        if pulse_visible and used_down:
            evidence.append(_pulse_evidence(answers, "work_used", "Is my work used?", link))
        if evidence:
            signals.append(
                Signal(
                    WORK_NOT_USED,
                    "Models they own are graveyard findings in the latest audit; or "
                    + pulse_rule("Is my work used?"),
                    evidence,
                    "Deploy or archive the models with a reason; from now on, nothing goes "
                    "to production training without a deployment plan.",
                    MANAGER,
                    severe=len(evidence) > 1,
                    from_pulse=not buried,
                )
            )

        # Direction doubt: only ever the pair's to see one by one.
        if pulse_visible and doubt:
            last = answers[-1]
            evidence = [
                Evidence(
                    f"“Do I believe in the product direction?”: {last.direction} of 5 on "
                    f"{last.date:%-d %b %Y}",
                    link("one_on_ones:detail", last.one_on_one_id),
                )
            ]
            evidence += [
                Evidence(
                    f"A concern about the direction raised in the 1:1 of {a.date:%-d %b %Y}",
                    link("one_on_ones:detail", a.one_on_one_id),
                )
                for a in answers
                if a.raised_concern
            ]
            signals.append(
                Signal(
                    DIRECTION_DOUBT,
                    f"“Do I believe in the product direction?” answered {LOW_SCORE} or below "
                    "in the latest pulse, or a concern about the direction raised in the "
                    f"last {PULSE_LAST} 1:1s.",
                    evidence,
                    "Be honest about the direction in 1:1s; take the concern to the business. "
                    "Directors see it aggregated, never by name.",
                    BUSINESS,
                    from_pulse=True,
                )
            )

        # Stagnating (growth's rule).
        stuck = stagnation.get(person.pk)
        if stuck is not None:
            record.add(STAGNATING)
            signals.append(
                Signal(
                    STAGNATING,
                    stuck.rule,
                    [
                        Evidence(text, link("growth:plan_detail", person.pk))
                        for text in stuck.evidence
                    ],
                    stuck.support or f"Support the {stuck.transition} transition.",
                    MANAGER,
                    severe=True,
                )
            )

        # Growth neglected: no plan, or no quarterly review for too long.
        plan = plans.get(person.pk)
        neglect_since = today - timedelta(days=thresholds.review_neglect_days)
        reviewed = plan is not None and (plan.last_review_on or plan.created_on) >= neglect_since
        if not reviewed:
            record.add(GROWTH_NEGLECTED)
            if plan is None:
                text = "No growth plan"
            elif plan.last_review_on is None:
                text = f"No quarterly review since the plan began on {plan.created_on:%-d %b %Y}"
            else:
                text = f"Last quarterly review on {plan.last_review_on:%-d %b %Y}"
            signals.append(
                Signal(
                    GROWTH_NEGLECTED,
                    f"No growth plan, or no quarterly review for more than "
                    f"{thresholds.review_neglect_days} days.",
                    [Evidence(text, link("growth:plan_detail", person.pk))],
                    "Hold the growth conversation: what do they want to be able to do in 12 "
                    "months, and the smallest experiment toward it.",
                    MANAGER,
                    severe=plan is None,
                )
            )

        # 1:1 gap (cadence: dates only).
        gap = gaps.get(person.pk)
        if gap is not None:
            record.add(ONE_ON_ONE_GAP)
            since = f"last on {gap.last:%-d %b %Y}" if gap.last else "none held yet"
            signals.append(
                Signal(
                    ONE_ON_ONE_GAP,
                    gap.rule,
                    [
                        Evidence(
                            f"1:1s every {gap.cadence_days} days expected; {since}",
                            link("one_on_ones:pair", person.pk),
                        )
                    ],
                    "Book the next 1:1 this week.",
                    MANAGER,
                    severe=gap.last is None,
                )
            )
        result.append(
            EngineerSignals(
                person=person,
                signals=signals,
                record_kinds=frozenset(record),
                pulse_flags=frozenset(flags),
                answered_pulse=bool(answers),
                reviewed=reviewed,
                one_on_ones_kept=gap is None,
                pulse_visible=pulse_visible,
                kinds=[signal.kind for signal in signals],
            )
        )
    return result


def _pulse_evidence(answers, attr: str, question: str, link: _Links) -> Evidence:
    scores = ", ".join(str(getattr(a, attr)) for a in answers)
    last = answers[-1]
    return Evidence(
        f"“{question}” over the last {len(answers)} pulses: {scores} (of 5)",
        link("one_on_ones:detail", last.one_on_one_id),
    )
