"""The session's flags and statistics at their edges (calibration/analysis.py).

Pure functions, so no database: each flag just inside and just outside its rule,
and the leniency and compression arithmetic checked against a hand computation.
"""

from __future__ import annotations

import random
import statistics
from datetime import date, timedelta

import pytest

from calibration.analysis import (
    LENIENCY_THRESHOLD,
    Spread,
    leniency,
    negative_result_penalised,
    outcome_justified,
    outcome_reasons,
    recency,
    session_effect,
    spread,
    thin_evidence,
)
from calibration.models import CalibrationCycle

# --- outcome-justified? ------------------------------------------------------------------

# Justifications that rest the score on what happened rather than how the work was
# done, written as managers write them in a draft.
OUTCOME_TALK = [
    "Improved accuracy on the fraud model by 4 points this half.",
    "Her ranking change beat the baseline by a wide margin.",
    "Got SOTA on the internal OCR benchmark.",
    "Shipped the new recommender to all users in March.",
    "The team won the internal forecasting challenge thanks to him.",
    "Huge win for the search team this quarter.",
    "Lifted conversion by 3% with the new reranker.",
    "Moved the needle on retention more than anyone on the team.",
    "Delivered a 7% improvement in recall on the held-out set.",
    "Reached 94% accuracy, the best model in the org.",
    "The model went live and revenue grew 5%.",
    "Outperformed every other team's model on the leaderboard.",
    "His launch drove a big jump in engagement.",
    "Results speak for themselves: +8 points of F1.",
    "Both of her experiments worked and went to production.",
    "Cut latency in half, which customers noticed immediately.",
    "Delivered the biggest model quality gain of the year.",
    "Her positive A/B test result is why she gets a 4.",
    "The project was a big success and leadership loved it.",
    "Rolled out the new ranker and the numbers went up across the board.",
    "Reduced the word error rate from 12% to 9%.",
]

# Justifications about process: they may name metrics, baselines, launches or even
# wins, but the score rests on how the work was done. None may be flagged.
PROCESS_TALK = [
    "Wrote up the negative result with the ablations so nobody repeats it.",
    "Chose the baseline before running anything and stuck to it.",
    "Pre-registered the metric and reported confidence intervals.",
    "Every run is reproducible from the config in the repo.",
    "Three seeds per configuration, variance reported with every number.",
    "Found the label leakage that inflated everyone's accuracy, and documented how.",
    "Designed the experiment so one variable changes per run.",
    "Stopped the rollout when monitoring showed drift, and wrote the postmortem.",
    "Her design doc lists the failure modes and a rollback plan.",
    "Tested whether the accuracy gain was real and showed it was noise from one seed.",
    "Ran the sweep with a fixed budget and reported all runs, not the best one.",
    "Shipped nothing this half, but the evaluation harness she built is used by three teams.",
    "Improved the metric definitions after finding they rewarded leakage.",
    "Documented why the launch was delayed: offline numbers did not match online behaviour.",
    "Reproduced the paper's baseline before claiming any improvement.",
    "Her analysis of why the model failed on rare classes is the clearest write-up this half.",
    "Asked for a held-out set before anyone looked at test numbers.",
    "Wrote the runbook and on-call alerts for the feature store.",
    "Killed her own project after two weeks when the pilot data showed the premise was wrong.",
    "Split the win rate by segment and showed the overall number hid a regression.",
    "Raised the question of leakage in the design review, and it was real.",
    "Increased the number of seeds from one to five so comparisons mean something.",
    "Did not chase the leaderboard; spent the time on an honest error analysis.",
]

# Outcome words next to process words: the process carries the rating, no flag.
MIXED = [
    "Shipped the ranker; the ablations she ran first are why we trusted it.",
    "Beat the baseline, and more to the point controlled for seed variance to show it.",
]


@pytest.mark.parametrize("text", OUTCOME_TALK)
def test_outcome_talk_is_flagged(text):
    flag = outcome_justified(text)

    assert flag is not None, text
    assert flag.key == "outcome"


@pytest.mark.parametrize("text", PROCESS_TALK + MIXED)
def test_process_talk_is_not_flagged(text):
    assert outcome_justified(text) is None


@pytest.mark.parametrize("text", PROCESS_TALK)
def test_process_talk_has_no_outcome_phrase_at_all(text):
    # Clean, not merely excused by a process word: the table tests the patterns.
    assert outcome_reasons(text) == []


def test_the_tables_are_big_enough():
    assert len(OUTCOME_TALK) >= 15
    assert len(PROCESS_TALK) >= 15


def test_outcome_flag_quotes_the_phrases_as_written():
    flag = outcome_justified("Shipped it. Beat the Baseline too.")

    assert flag is not None
    assert "“Shipped”" in flag.explanation
    assert "“Beat the Baseline”" in flag.explanation


def test_outcome_flag_names_a_phrase_once():
    flag = outcome_justified("Shipped, shipped and shipped again.")

    assert flag is not None
    assert flag.explanation.count("“") == 1


def test_empty_justification_is_not_outcome_justified():
    assert outcome_justified("") is None


# --- negative result penalised? ----------------------------------------------------------

NEG, POS, INC = "negative", "positive", "inconclusive"


@pytest.mark.parametrize(
    ("score", "results", "flagged"),
    [
        (2, [NEG] * 51 + [POS] * 49, True),  # 51%: mostly negative
        (2, [NEG] * 50 + [POS] * 50, False),  # 50%: half is not "mostly"
        (2, [NEG, POS], False),
        (2, [NEG, NEG, INC], True),
        (2, [NEG], True),
        (1, [NEG, NEG, POS], True),
        (3, [NEG, NEG, NEG], False),  # a 3 is not rated down
        (4, [NEG], False),
        (2, [INC, INC, NEG], False),  # inconclusive is not negative
        (2, [], False),
    ],
)
def test_negative_result_penalised_edges(score, results, flagged):
    assert (negative_result_penalised(score, results) is not None) is flagged


def test_negative_result_flag_counts_the_negatives():
    flag = negative_result_penalised(2, [NEG, NEG, POS])

    assert flag is not None
    assert "2 of 3" in flag.explanation


# --- recency ------------------------------------------------------------------------------

# 1 Jan – 30 Jun 2026 spans 180 days; the last fifth is the last 36 (180 // 5), so it
# starts 144 days in: 31 + 28 + 31 + 30 = 120 days to 1 May, then 24 more, 25 May.
CYCLE = CalibrationCycle(period_start=date(2026, 1, 1), period_end=date(2026, 6, 30))
BOUNDARY = date(2026, 5, 25)


def test_last_fifth_starts_on_the_hand_computed_day():
    assert CYCLE.last_fifth_starts == BOUNDARY


def test_all_evidence_on_the_boundary_day_is_recent():
    assert recency([BOUNDARY, BOUNDARY + timedelta(days=30)], CYCLE.last_fifth_starts)


def test_one_item_the_day_before_the_boundary_is_not_recent():
    day_before = BOUNDARY - timedelta(days=1)

    assert recency([day_before, BOUNDARY, date(2026, 6, 30)], CYCLE.last_fifth_starts) is None


def test_recency_without_evidence_is_not_flagged():
    assert recency([], CYCLE.last_fifth_starts) is None


def test_recency_flag_names_the_day():
    flag = recency([BOUNDARY], CYCLE.last_fifth_starts)

    assert flag is not None
    assert "25 May 2026" in flag.explanation


# --- thin evidence ------------------------------------------------------------------------


def test_one_work_item_is_thin():
    flag = thin_evidence(1)

    assert flag is not None
    assert flag.key == "thin"


def test_two_work_items_are_not_thin():
    assert thin_evidence(2) is None


def test_no_work_item_at_all_is_flagged_too():
    # Evidence is required when drafting, but a deleted work item can leave none.
    flag = thin_evidence(0)

    assert flag is not None
    assert "No work item" in flag.explanation


# --- leniency -----------------------------------------------------------------------------

# Mara drafts 4, 4, 3, 3 and Omar 2, 2, 3, 1: eight scores in the cycle.
#   cycle mean  = (4+4+3+3+2+2+3+1) / 8 = 22 / 8 = 2.75
#   deviations  = 1.25, 1.25, 0.25, 0.25, -0.75, -0.75, 0.25, -1.75
#   squares     = 1.5625 × 2 + 0.0625 × 3 + 0.5625 × 2 + 3.0625 = 7.5
#   variance    = 7.5 / 8 = 0.9375 (population: the cycle is everyone, not a sample)
#   SD          = √0.9375 = 0.9682…
#   Mara: mean 14 / 4 = 3.5, offset (3.5 − 2.75) / 0.9682 = +0.7746 → +0.77, lenient
#   Omar: mean  8 / 4 = 2.0, offset (2.0 − 2.75) / 0.9682 = −0.7746 → −0.77, severe
MARA = [4, 4, 3, 3]
OMAR = [2, 2, 3, 1]


def test_leniency_on_the_hand_computed_example():
    mara = leniency(MARA, MARA + OMAR)
    omar = leniency(OMAR, MARA + OMAR)

    assert mara is not None and omar is not None
    assert (mara.manager_mean, mara.cycle_mean, mara.offset_sd) == (3.5, 2.75, 0.77)
    assert (omar.manager_mean, omar.offset_sd) == (2.0, -0.77)
    assert (mara.flagged, mara.direction) == (True, "lenient")
    assert (omar.flagged, omar.direction) == (True, "severe")
    assert mara.label == "lenient: +0.8 SD"
    assert omar.label == "severe: −0.8 SD"


# Ravi drafts 3, 3 beside 1, 2, 3, 3, 4, 4 from the others: eight scores.
#   cycle mean = (3+3+1+2+3+3+4+4) / 8 = 23 / 8 = 2.875
#   squares    = 0.015625 × 4 + 3.515625 + 0.765625 + 1.265625 × 2 = 6.875
#   SD         = √(6.875 / 8) = √0.859375 = 0.9270…
#   Ravi: (3 − 2.875) / 0.9270 = +0.1348 → +0.13: within 0.5, in line
def test_leniency_within_the_threshold_is_in_line():
    ravi = leniency([3, 3], [3, 3, 1, 2, 3, 3, 4, 4])

    assert ravi is not None
    assert ravi.offset_sd == 0.13
    assert (ravi.flagged, ravi.direction) == (False, "in line")
    assert ravi.label == "in line: +0.1 SD"


def test_leniency_exactly_at_the_threshold_is_not_flagged():
    # Cycle 1, 3 (mean 2, SD 1); a manager mean of 2.5 is exactly +0.5 SD.
    at_edge = leniency([2, 3], [1, 3])

    assert at_edge is not None
    assert at_edge.offset_sd == LENIENCY_THRESHOLD
    assert not at_edge.flagged


def test_leniency_when_everyone_gives_the_same_score():
    same = leniency([3, 3], [3, 3, 3, 3])

    assert same is not None
    assert (same.offset_sd, same.flagged) == (0.0, False)


def test_leniency_needs_scores():
    assert leniency([], [1, 2, 3]) is None
    assert leniency([3], [3]) is None


# --- the session's effect -----------------------------------------------------------------


# Drafts 1, 2, 3, 4 and finals 2, 2, 3, 3 (the session raised the 1, lowered the 4):
#   draft mean 2.5; squares 2.25 + 0.25 + 0.25 + 2.25 = 5; SD √(5/4) = √1.25 = 1.118 → 1.12
#   final mean 2.5; squares 0.25 × 4 = 1;                 SD √(1/4) = 0.5
# The spread shrank from 1.12 to 0.5: compression.
def test_compression_on_the_hand_computed_example():
    effect = session_effect([(1, 2), (2, 2), (3, 3), (4, 3)])

    assert (effect.raised, effect.lowered, effect.changed) == (1, 1, 2)
    assert (effect.draft_spread, effect.final_spread) == (1.12, 0.5)
    assert effect.compressed
    assert not effect.only_lowers


def test_a_session_that_only_lowers():
    effect = session_effect([(3, 2), (4, 3), (2, 2)])

    assert (effect.raised, effect.lowered) == (0, 2)
    assert effect.only_lowers


def test_a_session_that_changes_nothing():
    effect = session_effect([(3, 3), (2, 2)])

    assert (effect.changed, effect.only_lowers, effect.compressed) == (0, False, False)


def test_a_session_that_widens_the_spread_is_not_compression():
    effect = session_effect([(2, 1), (3, 4)])

    assert effect.final_spread > effect.draft_spread
    assert not effect.compressed
    assert not effect.only_lowers


def test_session_effect_of_an_empty_cycle():
    effect = session_effect([])

    assert (effect.changed, effect.draft_spread, effect.final_spread) == (0, 0.0, 0.0)


def test_spread_agrees_with_the_statistics_module():
    """The fast integer spread says what statistics.pstdev says, to the second decimal
    the page shows and within a rounding error below it."""
    rng = random.Random(7)
    for size in [2, 3, 10, 101, 5000]:
        for _ in range(20):
            scores = [rng.randint(1, 4) for _ in range(size)]
            fast = spread(scores)
            assert fast.mean == pytest.approx(statistics.fmean(scores), abs=1e-12)
            assert fast.sd == pytest.approx(statistics.pstdev(scores), abs=1e-12)
    assert spread([]) == Spread(0, 0.0, 0.0)
    assert spread([3, 3, 3]).sd == 0.0
