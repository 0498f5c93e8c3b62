"""The coach: points out vague and positional wording with a nudge toward a behaviour.

Vague ("you need more impact") and positional ("to get to senior you need to…")
growth conversations fail (DOMAIN.md §2). The patterns aim at the phrasing
managers actually use about people, and deliberately skip the same words in
technical sentences: "visibility into GPU utilisation", "impact analysis",
"promotion of the model to production", "the senior engineer reviewed".
Besides remembered phrases it reads constructions over small word classes (see
"Constructions" below), measured on the labelled corpus in
tests/growth/coach_corpus.py. The coach only advises; it never blocks saving:
as it is typed (growth.views.coach) or, without JavaScript, after a form is
submitted (advice_for_form).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from django import forms

from growth.widgets import CoachedTextarea

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
_RELEASE_TARGET = (
    r"\s+to\s+(?:the\s+)?(?:[a-z-]+\s+)?(?:prod\w*|staging|main|canary|registry|release|serving)\b"
)
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
            r"\boperat\w*\s+at\s+(?:a|the)\s+(?:senior|staff|higher)\s+level\b"
            r"(?!\s+(?:of|than|in|abstraction)\b)",
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

_POSITIONAL_NUDGE = (
    "Describe the capability, not the level: what will they be able to do in 12 months "
    "that they can't now? e.g. \"designs an ablation that isolates one variable and reports "
    'variance across seeds".'
)

_POSITIONAL_FAMILIES: tuple[_Family, ...] = (
    _Family(
        "positional",
        _compile(
            rf"\bto\s+(?:get|move|step|go)\s+(?:up\s+)?to\s+(?:an?\s+)?{_LEVEL}",
            rf"\bto\s+(?:make|reach|become|be|hit)\s+(?:an?\s+)?{_LEVEL}",
            r"\bto\s+(?:move|go|step)\s+up\s+(?:a|one|the\s+next)\s+(?:level|grade|band)\b",
        ),
        _POSITIONAL_NUDGE,
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

# --- Constructions -----------------------------------------------------------------
#
# The families above remember phrases. What managers actually write varies the words
# around a few constructions, so the families below are regular expressions over small
# word classes: a comparative on an abstract quality ("a stronger presenter", "improve
# your judgement"), a level named indirectly ("principal-level thinking", "if you want
# the next level, …"), and managers' idioms ("move the needle"). A class holds words
# said of people only; a word that is also technical ("confidence", "scope", "vision")
# counts only in a frame that puts a person around it ("work on your confidence").
# Measured on tests/growth/coach_corpus.py: tune on its TUNING part, never on HELD_OUT.


def _one_of(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# Someone being advised. Not "we": "we can be more confident the gain is real".
_YOU = r"(?:you|they|he|she|i)"
# "needs to be", "could get", "should become".
_MODAL = (
    r"(?:could|should|would|can|must|needs?\s+to|has\s+to|have\s+to|ought\s+to|"
    r"will\s+need\s+to)"
)
# "a bit more", "much stronger".
_DEGREE = r"(?:(?:a\s+(?:lot|bit|little)|much|far|way|even)\s+)?"
_COMPARATIVE = _one_of(
    "more", "greater", "stronger", "better", "sharper", "clearer", "bolder", "deeper", "sounder"
)
# Comparatives that end a predicate: "could be stronger", "needs to get sharper".
_COMPARATIVE_PREDICATE = _one_of(
    "better",
    "stronger",
    "sharper",
    "clearer",
    "bolder",
    "crisper",
    "tighter",
    "broader",
    "wider",
    "bigger",
    "deeper",
    "greater",
    r"more\s+[a-z-]+",
)
# Qualities only ever said of people. Singular "judgement": "more human judgements"
# are labels.
_QUALITY = _one_of(
    r"judg(?:e)?ment\b",
    "maturity",
    "assertiveness",
    "conviction",
    "composure",
    "charisma",
    "enthusiasm",
    "professionalism",
    "seniority",
    "instincts",
    "mindset",
    "gravitas",
    r"sense\s+of\s+(?:ownership|urgency|purpose)",
    r"(?:soft|people|interpersonal|communication|leadership|presentation|influencing)\s+skills",
    r"stakeholder\s+management",
    r"presence(?!\s+of\b)",
    r"(?:technical|engineering|product)\s+(?:depth|breadth|judg(?:e)?ment|leadership|maturity)",
)
# Words that are also technical: they count only as "your X". "your delivery pipeline",
# "your confidence intervals" and "your execution time" are things, not qualities.
_OWN_QUALITY = (
    _one_of(
        "confidence",
        "credibility",
        "influence",
        "vision",
        "craft",
        "execution",
        "delivery",
        "autonomy",
        r"prioriti[sz]ation",
        "brand",
        "reputation",
        "reach",
        "remit",
        "scope",
        r"skill\s*set",
        "horizons",
    )
    + r"\b(?!['’]s|\s+(?:pipeline|service|model|job|script|system|tool|dashboard|report|"
    r"metrics?|api|cluster|stack|layer|module|code|time|times|speed|engine|plan|graph|"
    r"intervals?|scores?|threshold|estimates?|transformer|encoder|backbone|tasks?|data\w*|"
    r"of\s+(?:the|a|this|that)\b)\b)"
)
# An optional word before the quality: "your executive presence". Not "computer vision".
_ADJECTIVE = r"(?:(?!computer\b)[a-z-]+\s+)?"
# Verbs of growing a quality: "improve your judgement", "broaden your remit".
_GROW = (
    r"(?:(?:improv|develop|grow|build|strengthen|sharpen|polish|rais|broaden|widen|expand|"
    r"deepen|boost|enhanc|refin|stretch)\w*|hon(?:e|es|ed|ing)|(?:work|focus)\w*\s+on)"
)
# What someone is, said with a comparative: "a stronger presenter", "a better mentor".
_ROLE = (
    _one_of(
        "presenter",
        "communicator",
        "mentor",
        "coach",
        r"team\s*player",
        "teammate",
        "leader",
        r"tech\s+lead",
        "engineer",
        "collaborator",
        "listener",
        "partner",
        "contributor",
        "owner",
        "thinker",
        r"problem[\s-]solver",
        "negotiator",
        r"role\s+model",
        r"force\s+multiplier",
        r"self[\s-]starter",
    )
    + r"\b(?![\s-](?:model|embedding|encoder|network|features?|id)\b)"
)
# Said of a person after "be more …": "be more assertive", "be more hands-on".
_PERSONAL_ADJECTIVE = _one_of(
    "assertive",
    "thoughtful",
    r"hands[\s-]on",
    "vocal",
    "outspoken",
    "polished",
    "engaged",
    "collaborative",
    "accountable",
    "autonomous",
    r"self[\s-](?:directed|sufficient)",
    "mature",
    "influential",
    "driven",
    "persuasive",
    "present",
)
# The start of advice to a person: an imperative opening a sentence, "you need to",
# "we need you to", or "your reviews should". Not "the model should".
_ADVISED = (
    rf"(?:^\s*|[.!?;:]\s+|\b{_YOU}\s+(?:[\w'’]+\s+){{0,3}}?|"
    rf"\b{_WHOSE}\s+(?:[\w-]+\s+){{1,3}}?{_MODAL}\s+(?:really\s+|still\s+)?)"
)

# Ladder levels, and what naming one as a destination looks like.
_LADDER = r"(?:junior|mid|senior|staff|principal|distinguished)"
# "ready for senior review" is a review; "ready for senior" is a level.
_LADDER_DESTINATION = (
    rf"{_LADDER}\b(?!-|\s+(?:review\w*|sign\w*|approv\w*|meeting|sync|standup|team|"
    r"leadership|management|members?)\b)"
)
# "L5", "IC4"; not "L2 regularisation" or "the L3 cache".
_LEVEL_CODE = (
    r"(?:l|ic|e)\d{1,2}\b(?!\s+(?:cache|norms?|loss|regulari[sz]\w*|penalty|distance|misses)\b)"
)
# "promotion" in the release sense: of a model, to production, by a pipeline.
_PROMOTION = (
    r"(?<!model )(?<!checkpoint )(?<!artifact )(?<!artefact )(?<!release )(?<!canary )"
    rf"promo(?:tion)?\b(?!{_RELEASE_TARGET}|\s+(?:of|pipeline|gate|job|step|script|fails?|"
    r"failed|succeeds?|run|rules?|criteria)\b)"
)
_NEXT_STEP = rf"(?:the\s+next\s+(?:level|grade|band|title)\b(?!\s+of\b)|{_PROMOTION})"
# What a level is said to bring: "staff-level thinking", "a senior mindset".
_LEVEL_TRAIT = (
    _one_of(
        "thinking",
        r"judg(?:e)?ment",
        "mindset",
        "maturity",
        "presence",
        "impact",
        "scope",
        "ownership",
        "influence",
        "leadership",
        "expectations",
        r"behaviou?rs?",
    )
    + r"\b(?!\s+(?:team|teams|group|meeting|offsite|review|sync)\b)"
)

_CONSTRUCTION_FAMILIES: tuple[_Family, ...] = (
    _Family(
        "positional",
        _compile(
            # "staff-level thinking", "principal-level technical judgement", "a senior mindset".
            rf"\b{_LADDER}[\s-]level\s+(?:[a-z]+\s+)?{_LEVEL_TRAIT}",
            rf"\b{_LADDER}\s+{_LEVEL_TRAIT}",
            # "thinking at a principal level"; not "explain it at a higher level of detail".
            r"\b(?:think|operat|work|perform|function|contribut|play)\w*\s+(?:at|on)\s+"
            rf"(?:a|an|the)\s+(?:{_LADDER}|higher|more\s+senior|next)\s+level\b"
            r"(?!\s+(?:of|than|in|abstraction)\b)",
            # A conditional frame: "if you want the next level", "once promotion comes up".
            rf"\b(?:if|once|when|until|unless|before)\b[^.;:!?\n]{{0,40}}?\b{_NEXT_STEP}",
            # An obligation frame: "promotion will come once…", "the next level requires you…".
            rf"\b{_NEXT_STEP}(?:\s+[\w'’]+){{0,2}}?\s+"
            r"(?:will\s+come|comes\s+(?:once|when|after|with)|"
            r"(?:requires|demands|means)\s+(?:you|your|them|their|him|her|showing|owning|leading|"
            r"being|operating)|(?:depends|hinges)\s+on\s+(?:you|your|their|his|her|how)|"
            r"is\s+about\s+(?:you|your|showing|being|owning|leading))\b",
            rf"\bfor\s+(?:{_LEVEL_CODE}|{_LADDER_DESTINATION}|"
            r"the\s+next\s+(?:level|grade|band)\b),?"
            r"\s+(?:you|they|he|she)(?:'ll|’ll|\s+will)?\s+(?:\w+\s+)?"
            r"(?:must|need|needs|have\s+to|has\s+to)\b",
            # "the bar for L5", "ready for staff", "on track for the next level".
            r"\b(?:the\s+bar|ready|readiness|in\s+line|eligible|on\s+track)\s+for\s+"
            rf"(?:a\s+|the\s+|your\s+)?(?:{_NEXT_STEP}|{_LEVEL_CODE}|{_LADDER_DESTINATION})",
            # "the work that gets people to senior".
            r"\b(?:get|gets|getting|got|take|takes|took|bring|brings|move|moves)\s+"
            r"(?:you|people|someone|engineers|folks|them|him|her|me)\s+to\s+"
            rf"(?:{_LADDER_DESTINATION}|{_LEVEL_CODE}|the\s+next\s+(?:level|grade|band)\b)",
        ),
        _POSITIONAL_NUDGE,
    ),
    _Family(
        "vague",
        _compile(
            # "a stronger presenter", "a more confident presenter", "more of a force multiplier".
            rf"\ban?\s+{_DEGREE}(?:better|stronger|sharper|bolder|greater|more\s+[a-z-]+)\s+"
            rf"{_ROLE}",
            rf"\bmore\s+of\s+an?\s+(?:[a-z-]+\s+)?{_ROLE}",
            # "better judgement", "a stronger sense of ownership", "more technical depth".
            rf"\b{_COMPARATIVE}\s+{_QUALITY}",
            r"\b(?:stronger|clearer|firmer|bolder)\s+opinions\b",
            # "her presence in meetings could be stronger".
            rf"\b{_WHOSE}\s+{_ADJECTIVE}(?:{_QUALITY}|{_OWN_QUALITY})(?:\s+[\w-]+){{0,4}}?"
            rf"\s+{_MODAL}\s+(?:really\s+|still\s+)?(?:be|get|become)\s+{_DEGREE}"
            rf"{_COMPARATIVE_PREDICATE}\b",
            # "be more assertive", "you need to be more hands-on", "your reviews should be
            # more thoughtful"; the advice is the phrase, not who it is for.
            rf"{_ADVISED}(?P<phrase>(?:be|being|become|becoming|get|getting|seem|sound|"
            rf"come\s+across\s+as)\s+{_DEGREE}(?:more|less)\s+{_PERSONAL_ADJECTIVE})\b",
            # "be bolder in how you pitch ideas".
            rf"{_ADVISED}(?P<phrase>(?:be|being|become|becoming|get|getting)\s+{_DEGREE}"
            r"(?:bolder|braver|sharper|louder|tougher|hungrier))\b",
            # "operate with more autonomy".
            r"\b(?:operat|work|act|lead)\w*\s+with\s+(?:more|greater|real)\s+"
            r"(?:autonomy|independence|confidence|conviction|ownership|urgency|authority)\b",
        ),
        'Name one situation and what they would do differently in it: e.g. "in the design '
        'review, says which option they would pick and the one risk that worries them".',
    ),
    _Family(
        "vague",
        _compile(
            # "improve your judgement", "broaden your remit", "grow your influence".
            rf"\b{_GROW}\s+{_WHOSE}\s+{_ADJECTIVE}(?:{_QUALITY}|{_OWN_QUALITY})",
        ),
        'Name the work you mean and who would notice it: e.g. "leads the feature-store '
        'migration with the two other ranking teams and runs its weekly sync".',
    ),
    _Family(
        "vague",
        _compile(
            # "move the needle"; "barely moved the needle on recall@10" is a measurement.
            rf"\bmov\w*\s+the\s+(?:needle|dial)\b(?!{_NOT_ABOUT_PEOPLE})",
            # "quick wins: cached the tokenizer" names them.
            r"\b(?:low[\s-]hanging\s+fruit|quick\s+wins?)\b(?!\s*[:(]|\s+(?:such\s+as|like)\b)",
            r"\ba\s+seat\s+at\s+the\s+table\b",
            rf"\bpunch\w*\s+above\s+{_WHOSE}\s+weight\b",
            rf"\brais\w*\s+(?:the|{_WHOSE})\s+bar\b(?!\s*:)",
            r"\b(?:handl|deal|cop|navigat|thriv|comfortable)\w*\s+(?:with\s+|in\s+)?ambiguity\b",
            r"\bgo(?:es|ing)?\s+the\s+extra\s+mile\b",
            r"\bhit\w*\s+the\s+ground\s+running\b",
            r"\bwear\w*\s+(?:many|more|different)\s+hats\b",
            r"\bbias\s+(?:for|to|towards)\s+action\b",
            rf"\b(?:out\s+of|beyond)\s+{_WHOSE}\s+comfort\s+zone\b",
            rf"\bbr(?:ing|ings|inging|ought)\s+{_WHOSE}\s+a[\s-]game\b",
            r"\b(?:act|behav|operat|show\w*\s+up|com\w*\s+across)\w*\s+(?:more\s+)?like\s+"
            r"(?:a|an|the)\s+(?:real\s+)?(?:tech\s+lead|leader|owner)\b",
        ),
        'Say it without the idiom: what would they do, and how would you notice? e.g. "cuts '
        "the ranking model's cold-start errors by half this quarter and writes up how\".",
    ),
)

_FAMILIES = _POSITIONAL_FAMILIES + _VAGUE_FAMILIES + _CONSTRUCTION_FAMILIES


def find_vague_wording(text: str) -> list[CoachNote]:
    """Vague and positional phrases in `text`, in the order they appear, each once."""
    text = (text or "")[:MAX_COACH_CHARS]
    matches: list[tuple[int, int, _Family]] = []
    for family in _FAMILIES:
        for pattern in family.patterns:
            # A pattern that needs context around the advice ("you need to be more
            # assertive") names the advice itself as its "phrase" group.
            group = "phrase" if "phrase" in pattern.groupindex else 0
            for m in pattern.finditer(text):
                matches.append((m.start(group), m.end(group), family))
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


def advice_for_form(form: forms.BaseForm) -> list[str]:
    """The coach's advice on a bound, validated form, for pages that work without JavaScript.

    One message per note, for every field whose widget is a CoachedTextarea, in field
    order: Coach on “<label>”: “<phrase>” — <nudge>.
    """
    cleaned = getattr(form, "cleaned_data", {})
    advice: list[str] = []
    for name, field in form.fields.items():
        text = cleaned.get(name)
        if not isinstance(field.widget, CoachedTextarea) or not isinstance(text, str):
            continue
        label = form[name].label
        advice += [
            f"Coach on “{label}”: “{n.phrase}” — {n.nudge}" for n in find_vague_wording(text)
        ]
    return advice
