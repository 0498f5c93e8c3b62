"""A labelled corpus for the wording coach (growth/coach.py), in two parts.

`TUNING` is what the coach's patterns were developed against: look at its misses
and false alarms freely while changing the patterns.

`HELD_OUT` must NEVER be used while tuning. Do not read its misses, do not add a
pattern or a word to a class because of one of its sentences, and do not move
sentences between the parts. It was written in full, before the patterns it
measures, and exists to tell us how the coach does on wording nobody tuned for.
If its recall drops below the threshold in tests/growth/test_coach.py, improve
the patterns against TUNING (add tuning sentences if needed), never against this.
Once it has been looked at for tuning, it is no longer held out: write a new one.

Every sentence is written as a manager, a reviewer or an engineer might write it
in a growth plan, a review or 1:1 notes; none is copied from the patterns.
"vague" means vague or positional (the coach should speak); "specific" means
specific and behavioural, often using the same words technically (it should not).

Measure with:  .venv/bin/python -m tests.growth.coach_corpus   (tuning only)
               .venv/bin/python -m tests.growth.coach_corpus --held-out
"""

from __future__ import annotations

import sys
from typing import NamedTuple


class Part(NamedTuple):
    vague: tuple[str, ...]
    specific: tuple[str, ...]


TUNING = Part(
    vague=(
        "You'd benefit from being a stronger communicator with stakeholders.",
        "I'd like to see you become a more confident presenter.",
        "Work on improving your judgement when priorities clash.",
        "Her technical judgment needs to get sharper.",
        "We need you thinking at a principal level about the platform.",
        "If you want the next level, you have to own more outcomes.",
        "Staff-level thinking is what's missing in your designs.",
        "Really try to move the needle this half.",
        "Look for ways to broaden your remit beyond the ranking team.",
        "He should be punching above his weight by now.",
        "Bring more of a senior mindset to planning.",
        "Your presence in meetings could be stronger.",
        "You need to be a better team player.",
        "Be more assertive in design reviews.",
        "Grow your influence across the org.",
        "Develop a stronger sense of ownership.",
        "Go after the low-hanging fruit and show some quick wins.",
        "She needs to earn a seat at the table.",
        "Promotion will come once you show more maturity.",
        "Work on your executive presence.",
        "Demonstrate more technical depth.",
        "I expect you to operate with more autonomy.",
        "Be more of a force multiplier.",
        "Show that you can handle ambiguity.",
        "Your code reviews should be more thoughtful.",
        "He needs to raise the bar for the team.",
        "Keep building your brand internally.",
        "Start acting like the tech lead you want to be.",
        "Improve your stakeholder management.",
        "That's not the kind of work that gets people to senior.",
        "Next cycle is realistic for promo if you keep this up.",
        "You're close to the bar for L5, you just need a bit more scope.",
        "Expand your scope this year.",
        "Be more hands-on with the roadmap.",
        "You need stronger opinions.",
        "I want to become a better mentor to the new hires.",
        "I'd like you to be a better listener in design reviews.",
        "Needs sharper judgment about which experiments to run.",
        "Honestly, he should think about what senior-level impact looks like.",
        "When you're up for promotion next spring, this launch will matter.",
        "Keep polishing your influencing skills.",
        "You need to come across as more polished with execs.",
        "It's time to go the extra mile.",
        "Her communication skills could be stronger.",
        "The next level means operating with more independence.",
        "Be bolder in how you pitch ideas.",
        "Try to get out of your comfort zone more.",
        "Show up more like a leader in incidents.",
    ),
    specific=(
        "Trained a stronger baseline with a linear probe before trying the transformer.",
        "Improve recall on the minority class from 0.61 to 0.70 by the end of Q2.",
        "The KV-cache change moved p95 latency from 410ms to 260ms.",
        "Broadened the eval set to cover 12 languages instead of 3.",
        "Next quarter she runs the incident review for the ranking model.",
        "Write a one-page design doc comparing two retrieval options before planning.",
        "Pair with Sam on two code reviews a week for the feature store.",
        "Present the ablation results at the research review on the 14th.",
        "Sets up drift alerts for the fraud model before launch.",
        "The principal engineer approved the rollback plan.",
        "Promotion of the checkpoint to the registry happens after the eval gate.",
        "Promotion to the staging registry needs the eval report attached.",
        "If the canary passes, we must promote the model to production by Friday.",
        "Reduced the flaky test rate in the training pipeline from 9% to 1%.",
        "A sharper learning-rate decay gave better convergence on the small model.",
        "Runs the weekly data-quality sync and posts the action items in the channel.",
        "Mentors Priya through her first distributed training job.",
        "Wrote the postmortem for the embedding outage within two days.",
        "Asks for a review before merging changes to the feature pipeline.",
        "Explain the trade-off between batch size and throughput in the design doc.",
        "The higher-level API hides the sharding details from users.",
        "Explain the architecture at a higher level in the onboarding doc.",
        "Move the threshold to 0.8 and report precision at that point.",
        "Her call to roll back the model on Saturday saved the release.",
        "Improved the tokenizer's throughput by 2x with batching.",
        "Bigger models did not improve accuracy on the held-out set.",
        "Stronger regularisation reduced overfitting on the small dataset.",
        "The model should be less confident on out-of-distribution inputs.",
        "Hard-negative mining barely moved the needle on recall@10.",
        "If the eval passes, the next step is the canary.",
        "Used L2 regularisation for the linear probe and L1 for the sparse one.",
        "Owns the on-call rotation for the recommendation service this quarter.",
        "Gives a five-minute demo of the labelling tool at the all-hands.",
        "Answers questions from the search team in #ml-help within a day.",
        "Breaks the migration into three PRs that each pass CI.",
        "The evaluation harness is now used by two other teams.",
        "Scope the experiment to one dataset and one metric.",
        "Predictions with more confidence than 0.9 skip human review.",
        "We can be more confident the gain is real after five seeds.",
        "The wrapper operates at a higher level than the raw CUDA API.",
        "Deepen the network by two layers and compare the validation loss.",
        "If the model promotion fails, the pipeline rolls back automatically.",
        "Collected more human judgements on the 200 hardest prompts.",
        "Improve your confidence intervals by bootstrapping 1000 resamples.",
        "The design doc is ready for senior review.",
        "The senior leadership team approved the GPU budget.",
        "Quick wins: cached the tokenizer (20% faster) and pinned the CUDA version.",
        "A better speaker embedding model cut diarisation errors by 12%.",
        "For L2 we use a weight decay of 1e-4.",
        "Moving the lookup table into L3 cache gave a 2x speed-up.",
        "She reviewed the staff engineer's rollout plan and left five comments.",
        "Expanded the scope of the regression suite to cover the tokenizer.",
        "The classifier should be more robust to typos, so add character-swap augmentation.",
        "Deal with ambiguous labels by sending them to a second annotator.",
        "When promotion criteria are met, the checkpoint is tagged and pushed.",
        "Build your vision transformer from the timm config, not from scratch.",
        "Improve your execution time by vectorising the loop.",
        "Our delivery pipeline should be faster after the cache change.",
        "Moved the needle on p95 latency from 400ms to 250ms by batching.",
        "I'm getting more confident that the leak came from the dedup step.",
        "Took the on-call rotation for the incident channel this month.",
        "The results should be better once the duplicate rows are dropped.",
    ),
)


# HELD OUT: never used while tuning the coach (see the module docstring).
HELD_OUT = Part(
    vague=(
        "I want you to become a sharper decision-maker.",
        "Your prioritisation could be a lot stronger.",
        "Try to be a more effective mentor.",
        "We're looking for senior-level judgement from you.",
        "If promotion is the goal, you need to lead something big.",
        "Director-level visibility would help your case.",
        "This quarter, push the envelope.",
        "Take your craft up a notch.",
        "Widen your sphere of influence.",
        "You should own the narrative around the launch.",
        "Demonstrate more maturity in how you handle conflict.",
        "Be more decisive.",
        "He could be a more rounded engineer.",
        "To be considered for L6 you'll need cross-team scope.",
        "Show that you're ready for the next rung.",
        "Make yourself indispensable to the team.",
        "Drive more alignment across teams.",
        "Bring more energy to standups.",
        "Be a stronger advocate for the team's work.",
        "Work on your confidence.",
        "Develop your business acumen.",
        "You have to be more of a thought leader.",
        "Your technical vision needs work.",
        "Think like an owner.",
        "Be more intentional about your growth.",
        "Show more curiosity.",
        "Polish your soft skills.",
        "Get better at managing up.",
        "Raise your bar for quality.",
        "The committee wants to see senior behaviours before they sign off.",
        "You need a bigger footprint in the org.",
        "Lean in more during planning.",
        "Strengthen your presence with stakeholders.",
        "Make more of a splash with the next launch.",
        "You're not yet operating like a staff engineer.",
        "I'd love to see her grow into a real force on the team.",
    ),
    specific=(
        "Benchmarked three quantisation schemes and wrote up the accuracy drop for each.",
        "Led the design review for the vector index migration and recorded the decisions.",
        "A deeper network gave better accuracy but doubled inference cost.",
        "Replaced the hand-rolled retry loop with the shared client and removed 300 lines.",
        "Reviews at least three PRs a week from the data platform team.",
        "Presented the drift dashboard to the fraud team and they adopted it.",
        "Promotion to the production registry requires two approvals.",
        "The senior reviewers signed off on the schema change.",
        "Cut the training time from 9 hours to 5 by fixing the data loader.",
        "Before the next planning meeting, drafts the proposal to share one eval harness.",
        "Runs the A/B test for two weeks and reports the confidence interval.",
        "She improved the labelling guidelines after finding 40 mislabelled examples.",
        "Onboarded two new hires by pairing with them on their first deploy.",
        "Documented the feature flags for the ranking service in the runbook.",
        "A larger context window improved summarisation quality in the human eval.",
        "Set the learning rate higher for the first 1000 steps.",
        "Escalated the GPU quota problem to infra on day one instead of waiting.",
        "Wrote a rollback script and tested it in staging.",
        "Moves the batch inference job from cron to Airflow with retries.",
        "Profiled the preprocessing step and found the regex was the bottleneck.",
        "The model moved up two places on the leaderboard after the fix.",
        "Asks the product manager for the success metric before starting a feature.",
        "Volunteered to run the reading group and picked four papers.",
        "Added a model card with known failure modes for the classifier.",
        "Gave clear feedback in code review with a suggested change each time.",
        "Split the monolithic notebook into a package with tests.",
        "Turned off the stale experiments that were burning GPU hours.",
        "Reproduced the paper's result within 0.3 points before extending it.",
        "The next release will include the calibrated probabilities.",
        "Added per-slice metrics to the evaluation report for the three biggest markets.",
        "Explains to the sales team, in one slide, why the model refuses some requests.",
        "She's presenting the new loss function at the Thursday reading group.",
        "Fixed the off-by-one in the sliding window and added a regression test.",
        "Tracks the cost per thousand predictions in the weekly report.",
        "In 12 months, designs and runs a staged rollout on her own, with the rollback plan.",
        "Raised the eval bar: a new model must beat the baseline on every slice.",
    ),
)


def _report(name: str, part: Part) -> None:
    # Imported here so the corpus stays plain data for anyone who only reads it.
    from growth.coach import find_vague_wording

    missed = [s for s in part.vague if not find_vague_wording(s)]
    alarms = [s for s in part.specific if find_vague_wording(s)]
    caught = len(part.vague) - len(missed)
    print(
        f"{name}: recall {caught}/{len(part.vague)} = {caught / len(part.vague):.0%}, "
        f"false alarms {len(alarms)}/{len(part.specific)}"
    )
    # Only the tuning part lists its sentences: the held-out misses stay unread.
    if part is TUNING:
        for s in missed:
            print(f"  missed: {s}")
        for s in alarms:
            print(f"  false alarm: {s} -> {[n.phrase for n in find_vague_wording(s)]}")


if __name__ == "__main__":
    _report("tuning", TUNING)
    if "--held-out" in sys.argv:
        _report("held-out", HELD_OUT)
