"""The coach: points out vague and positional wording with a nudge toward a behaviour.

Vague ("you need more impact") and positional ("to get to senior you need to…")
growth conversations fail (DOMAIN.md §2). The patterns aim at the phrasing
managers actually use about people, and deliberately skip the same words in
technical sentences: "visibility into GPU utilisation", "impact analysis",
"promotion of the model to production", "the senior engineer reviewed".
The coach only advises; it never blocks saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["vague", "positional"]

# Advice is cheap to compute but the input is untrusted: cap what we scan.
MAX_COACH_CHARS = 10_000


@dataclass(frozen=True)
class CoachNote:
    phrase: str
    kind: Kind
    nudge: str


@dataclass(frozen=True)
class _Family:
    kind: Kind
    patterns: tuple[re.Pattern[str], ...]
    nudge: str


def _compile(*patterns: str) -> tuple[re.Pattern[str], ...]:
    # MULTILINE so "$" also ends a line inside a longer text.
    return tuple(re.compile(p, re.IGNORECASE | re.MULTILINE) for p in patterns)


# Words that put someone else's career in the sentence ("your impact", "their game").
_WHOSE = r"(?:your|their|his|her|my|our)"
# A level named as a destination. "mid-way", "staff-reviewed": a hyphen after the
# word means it is not a level here.
_LEVEL = (
    r"(?:junior|mid(?:[-\s]?level)?|senior|staff|principal|the\s+next\s+(?:level|grade|band)|"
    r"ic\d)\b(?!-)(?!\s+(?:of|meeting|sync|standup|offsite|room|lunch|party)\b)"
)
# Where a model, build or artifact gets promoted to: that is release engineering.
_RELEASE_TARGET = r"\s+to\s+(?:prod\w*|staging|main|canary|the\s+registry|release)\b"
# "a bigger impact on p95 latency than pruning" compares techniques, not people:
# impact "on" something counts only when that something is people or the org.
_NOT_ABOUT_PEOPLE = (
    r"\s+than\b|\s+on\s+(?!(?:the\s+|your\s+|their\s+|our\s+)?(?:team|teams|org|"
    r"organi[sz]ation|business|company|product|roadmap|others|people|group|users)\b)"
)

_VAGUE_FAMILIES: tuple[_Family, ...] = (
    _Family(
        "vague",
        _compile(
            r"\b(?:more|greater|bigger|larger|higher|real)\s+impact(?:ful)?\b"
            rf"(?!\s+analysis\b|{_NOT_ABOUT_PEOPLE})",
            rf"\b(?:increas\w*|grow\w*|expand\w*|maximi[sz]\w*|driv\w*|drove)\s+{_WHOSE}?\s*"
            r"impact\b(?!\s+(?:analysis|of|on)\b)",
            r"\bbe(?:come|coming|ing)?\s+(?:more\s+)?impactful\b",
        ),
        'Name the change someone could observe: e.g. "ships one eval that the team adopts '
        'for model selection".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:be|being|been|become|becoming|get|getting)\s+(?:a\s+bit\s+|much\s+)?"
            r"(?:more\s+)?strategic(?:al)?\b",
            r"\bmore\s+strategic(?:al)?(?:ly)?\b",
            r"\bthink(?:s|ing)?\s+(?:more\s+)?strategically\b",
            r"\bthought\s+(?:more\s+)?strategically\b",
        ),
        'Name a decision and how they would make it: e.g. "writes a one-page comparison of two '
        'serving options, with costs, before the quarter plan is set".',
    ),
    _Family(
        "vague",
        _compile(
            # "step up the learning rate" / "step up to 1e-3" is a schedule, not a person.
            r"\bstep(?:s|ped|ping)?\s+(?:it\s+)?up\b(?!\s*(?:the|its|learning|lr|rate|batch|"
            r"warmup|to\s+\d|from)\b)",
        ),
        "Say what they would do that they don't do now: e.g. \"runs the weekly model-quality "
        'review and writes up the actions".',
    ),
    _Family(
        "vague",
        _compile(
            # "(more) visibility into/of/over X" is monitoring, not a career nudge.
            rf"\b(?:more|greater|increas\w*|higher|rais\w*|get|gets|getting|got|gain\w*|{_WHOSE})"
            r"\s+visibility\b(?!\s+(?:into|of|over|on)\b)",
            r"\b(?:get|gets|getting|got|gain\w*)\s+(?:more\s+)?visibility\b"
            r"(?!\s+(?:into|of|over|on)\b)",
            r"\bbe(?:come|coming|ing)?\s+more\s+visible\b",
            rf"\brais\w*\s+{_WHOSE}\s+profile\b",
        ),
        'Say who should see which work, and how: e.g. "presents the ablation results at the '
        'research review this quarter".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:tak\w*|took|show\w*|demonstrat\w*)\s+(?:more|greater|real)\s+ownership\b",
            # "took ownership of the eval pipeline" names what; bare "take ownership" doesn't.
            r"\b(?:take|takes|taking|taken|took|show\w*)\s+ownership\b(?!\s+(?:of|for|over)\b)",
            r"\bmore\s+ownership\b",
            r"\bownership\s+mindset\b",
        ),
        'Name what they would own and what owning it looks like: e.g. "is on call for the '
        'ranking model and writes the post-incident reviews".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:be|being|been|become|becoming|get|getting)\s+(?:a\s+bit\s+|much\s+)?"
            r"(?:more\s+)?proactive\b",
            r"\bmore\s+proactive(?:ly)?\b",
            r"\b(?:tak\w*|took|show\w*)\s+(?:more\s+)?initiative\b",
        ),
        'Describe the first move you expect, before being asked: e.g. "flags a data-quality '
        'issue in the weekly sync before it reaches training".',
    ),
    _Family(
        "vague",
        _compile(
            # Only when "bigger" ends the idea: "thought bigger batches would help" is fine.
            r"\b(?:think|thinks|thinking|thought|dream\w*)\s+(?:much\s+)?big(?:ger)?\b"
            r"(?=\s*(?:$|[.,;:!?)\-]|about\b|than\b|and\b|when\b|in\s+terms\b|here\b))",
            r"\b(?:see|sees|seeing|saw|look\w*\s+at)\s+the\s+big(?:ger)?\s+picture\b",
            r"\bthink\w*\s+outside\s+the\s+box\b",
        ),
        'Name the larger problem and a first step: e.g. "drafts a proposal to share one eval '
        'harness across the three vision teams".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:be|being|become|becoming|act(?:s|ed|ing)?\s+(?:like|as))\s+(?:more\s+(?:of\s+)?)?"
            r"(?:a|an)\s+(?:(?:better|stronger|real|true|natural)\s+)?leader\b",
            r"\b(?:show\w*|demonstrat\w*|more|stronger|better)\s+(?:more\s+)?leadership\b"
            r"(?!\s+(?:team|meeting|offsite|review|sync|channel)\b)",
            r"\bleadership\s+(?:skills|qualities|potential)\b",
        ),
        'Name a leadership behaviour someone could see: e.g. "mentors one junior through their '
        'first ablation study this quarter".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:more\s+)?(?:senior|executive|leadership|stronger|more)\s+presence\b"
            r"(?!\s+of\b)",
            r"\bgravitas\b",
        ),
        'Describe what people would see in the room: e.g. "states a recommendation with its '
        'trade-offs in the design review and backs it with data".',
    ),
    _Family(
        "vague",
        _compile(
            # "turned the log level up" is about logging.
            r"(?<!log )(?<!logging )(?<!verbosity )\blevel(?:s|l?ed|l?ing)?[\s-]+up\b",
            rf"\b(?:rais\w*|up|ups|upp\w*|lift\w*|step\w*\s+up)\s+{_WHOSE}\s+game\b",
            r"\b(?:to|at)\s+the\s+next\s+level\b(?!\s+of\b)",
        ),
        'Name the skill and how you would notice it: e.g. "sets up monitoring and alerts for '
        'the model they ship, before launch".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:be|being|act(?:s|ed|ing)?|behav\w*|operat\w*|show\w*|seem\w*|com\w*\s+across)\s+"
            r"(?:more\s+(?:like\s+)?|like\s+)(?:an?\s+)?(?:senior|staff|principal)\b(?!-)",
            r"\boperat\w*\s+at\s+(?:a|the)\s+(?:senior|staff|higher)\s+level\b",
        ),
        "Name what someone at the next level does here that they don't yet: e.g. \"writes the "
        'failure modes and rollback plan into the design doc".',
    ),
    _Family(
        "vague",
        _compile(
            r"\b(?:add\w*|deliver\w*|bring\w*|brought|creat\w*|driv\w*)\s+more\s+value\b",
            r"\babove\s+and\s+beyond\b",
        ),
        'Say what value, for whom: e.g. "cuts eval turnaround from two days to four hours for '
        'the search team".',
    ),
    _Family(
        "vague",
        _compile(
            r"\bcommunicat\w*\s+(?:much\s+)?(?:better|more\s+(?:clearly|effectively))\b",
            rf"\b(?:improv\w*|work\w*\s+on|better)\s+{_WHOSE}\s+communication\b",
            r"\bcommunication\s+skills\b",
        ),
        'Name the situation and the behaviour: e.g. "sends a written summary with the decision '
        'and owners after each design review".',
    ),
)

_POSITIONAL_FAMILIES: tuple[_Family, ...] = (
    _Family(
        "positional",
        _compile(
            rf"\bto\s+(?:get|move|step|go)\s+(?:up\s+)?to\s+(?:an?\s+)?{_LEVEL}",
            rf"\bto\s+(?:make|reach|become|be|hit)\s+(?:an?\s+)?{_LEVEL}",
            r"\bto\s+(?:move|go|step)\s+up\s+(?:a|one|the\s+next)\s+(?:level|grade|band)\b",
        ),
        "Describe the capability, not the level: what will they be able to do in 12 months "
        "that they can't now? e.g. \"designs an ablation that isolates one variable and reports "
        'variance across seeds".',
    ),
    _Family(
        "positional",
        _compile(
            r"(?:\bto|\bcan|\bcould|\bwill|\bwould|\bwon'?t|\bwouldn'?t|'ll|’ll|\bshould|\bmust|"
            r"\bcannot|\bcan'?t)\s+(?:not\s+)?(?:get|be)\s+promoted\b" + rf"(?!{_RELEASE_TARGET})",
            r"\bfor\s+(?:a\s+|your\s+|the\s+|their\s+|his\s+|her\s+)?promo(?:tion)?\b"
            rf"(?!{_RELEASE_TARGET}|\s+(?:of|pipeline|gate)\b)",
            rf"\b(?:get|earn|win|deserve|going\s+for)\s+(?:a|the|{_WHOSE})\s+promotion\b",
            rf"\b{_WHOSE}\s+promotion\b(?!{_RELEASE_TARGET}|\s+(?:pipeline|gate|job|step|script|of)\b)",
            r"\bpromotion\s+(?:case|packet|committee)\b",
            r"\bpromote\s+(?:you|them|him|her)\b",
        ),
        'Talk about what they want to be able to do, not the promotion: e.g. "in 12 months, '
        'runs a staged rollout with a rollback plan on their own".',
    ),
)

_FAMILIES = _POSITIONAL_FAMILIES + _VAGUE_FAMILIES


def find_vague_wording(text: str) -> list[CoachNote]:
    """Vague and positional phrases in `text`, in the order they appear, each once."""
    text = (text or "")[:MAX_COACH_CHARS]
    matches: list[tuple[int, int, _Family]] = []
    for family in _FAMILIES:
        for pattern in family.patterns:
            for m in pattern.finditer(text):
                matches.append((m.start(), m.end(), family))
    # Overlapping matches are one phrase ("step up your game"): keep the earliest, longest.
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    notes: list[CoachNote] = []
    seen: set[str] = set()
    covered_until = 0
    for start, end, family in matches:
        if start < covered_until:
            continue
        covered_until = end
        phrase = text[start:end]
        key = " ".join(phrase.lower().split())
        if key in seen:
            continue
        seen.add(key)
        notes.append(CoachNote(phrase=phrase, kind=family.kind, nudge=family.nudge))
    return notes
