from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

from growth.coach import MAX_COACH_CHARS, advice_for_form, find_vague_wording
from growth.widgets import CoachedTextarea
from tests.growth.coach_corpus import HELD_OUT, TUNING

# (text, the phrase the coach should quote, kind)
FLAGGED = [
    ("You need more impact on the team.", "more impact", "vague"),
    ("Increase your impact", "Increase your impact", "vague"),
    ("I want you to have more impact this year", "more impact", "vague"),
    ("Try to be more impactful in reviews", "be more impactful", "vague"),
    ("Be more strategic", "Be more strategic", "vague"),
    ("She should think more strategically about it", "think more strategically", "vague"),
    ("He needs to step up.", "step up", "vague"),
    ("Needs to  STEP   UP in design reviews", "STEP   UP", "vague"),
    ("stepping up when the on-call is busy", "stepping up", "vague"),
    ("Get more visibility with leadership", "Get more visibility", "vague"),
    ("be more visible to the org", "be more visible", "vague"),
    ("Take more ownership", "Take more ownership", "vague"),
    ("Last quarter she took more ownership", "took more ownership", "vague"),
    ("You should take ownership.", "take ownership", "vague"),
    ("be more proactive", "be more proactive", "vague"),
    ("show more initiative in planning", "show more initiative", "vague"),
    ("You need to think bigger.", "think bigger", "vague"),
    ("try to see the bigger picture", "see the bigger picture", "vague"),
    ("Be a leader", "Be a leader", "vague"),
    ("show more leadership in the team", "show more leadership", "vague"),
    ("Needs more senior presence in meetings", "more senior presence", "vague"),
    ("time to level up", "level up", "vague"),
    ("levelling up your skills", "levelling up", "vague"),
    ("Raise your game", "Raise your game", "vague"),
    ("step up your game", "step up your game", "vague"),
    ("take it to the next level", "to the next level", "vague"),
    ("act more senior in reviews", "act more senior", "vague"),
    ("go above and beyond", "above and beyond", "vague"),
    ("improve your communication", "improve your communication", "vague"),
    ("To get to senior you need to own a service", "To get to senior", "positional"),
    ("to get to staff, lead a cross-team project", "to get to staff", "positional"),
    ("To get promoted you must ship the ranker", "to get promoted", "positional"),
    ("for promotion you must present at the review", "for promotion", "positional"),
    ("This is what it takes to reach staff.", "to reach staff", "positional"),
    ("if you want to be senior, run the on-call", "to be senior", "positional"),
    ("what you need to make mid-level", "to make mid-level", "positional"),
    ("in order to become a staff engineer", "to become a staff", "positional"),
    ("You'll be promoted once the launch lands", "'ll be promoted", "positional"),
    ("before you can get promoted", "can get promoted", "positional"),
    ("your promotion depends on this launch", "your promotion", "positional"),
    ("to move up a level next year", "to move up a level", "positional"),
    ("what you need to reach the next level", "to reach the next level", "positional"),
    ("to be promoted to senior", "to be promoted", "positional"),
    # Constructions, not phrases: a comparative on a quality, a level named indirectly,
    # managers' idioms.
    ("She should become a stronger presenter.", "a stronger presenter", "vague"),
    ("Improve your judgement on trade-offs.", "Improve your judgement", "vague"),
    ("You need to be more assertive in reviews.", "be more assertive", "vague"),
    ("Your code reviews should be more thoughtful.", "be more thoughtful", "vague"),
    ("Try to move the needle.", "move the needle", "vague"),
    ("Broaden your remit this half.", "Broaden your remit", "vague"),
    ("This role needs principal-level thinking.", "principal-level thinking", "positional"),
    (
        "If you're after the next level, you must own a roadmap.",
        "If you're after the next level",
        "positional",
    ),
    ("You're close to the bar for L5.", "the bar for L5", "positional"),
    ("That's the work that gets people to staff.", "gets people to staff", "positional"),
]

NOT_FLAGGED = [
    "Reduced p95 latency from 300ms to 120ms.",
    "Wrote the impact analysis of the ablation.",
    "Measured the impact of dropout on recall.",
    "Quantisation had a bigger impact on latency than pruning.",
    "Label smoothing had more impact on the minority class.",
    "We aim to reach the next level of accuracy on the benchmark.",
    "The senior engineer reviewed the experiment plan.",
    "Mara, a staff engineer, reviewed the design doc.",
    "Built the promotion pipeline for model artifacts.",
    "Criteria for promotion to production: passes the eval gate.",
    "The model will be promoted to production after the canary.",
    "Added visibility into GPU utilisation.",
    "We need more visibility into GPU utilisation per job.",
    "We step up the learning rate after warmup.",
    "Took ownership of the eval pipeline and cut flaky runs from 12% to 2%.",
    "I thought bigger batches would help, but variance rose.",
    "The leadership team approved the GPU budget.",
    "Checked for presence of label noise in the validation set.",
    "Mid-way through training the loss spiked.",
    "Turned the log level up to DEBUG to trace the crash.",
    "Proactive autoscaling cut cold starts by half.",
    "Ran three seeds and reported the variance across them.",
    "Strategic sampling of hard negatives improved recall by 4 points.",
    "The next level of the feature hierarchy is sparse.",
    "Reduced all-reduce communication overhead by 30%.",
    "I have to get to staff meeting by ten.",
    "Hard-negative mining barely moved the needle on recall@10.",
    "The model should be less confident on out-of-distribution inputs.",
    "The wrapper operates at a higher level than the raw CUDA API.",
    "If the model promotion fails, the pipeline rolls back automatically.",
    "Used L2 regularisation for the probe; the L3 cache holds the table.",
    "The design doc is ready for senior review.",
    "",
]


@pytest.mark.parametrize(("text", "phrase", "kind"), FLAGGED)
def test_coach_flags_vague_and_positional_phrases(text, phrase, kind):
    notes = find_vague_wording(text)

    assert [(n.phrase.lower(), n.kind) for n in notes] == [(phrase.lower(), kind)]


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_coach_leaves_behavioural_sentences_alone(text):
    assert find_vague_wording(text) == []


def test_coach_table_is_big_enough():
    assert len(FLAGGED) >= 15
    assert len(NOT_FLAGGED) >= 15
    assert len(FLAGGED) + len(NOT_FLAGGED) >= 30


def test_coach_nudges_are_specific_to_the_phrase_family():
    impact = find_vague_wording("more impact")[0]
    ownership = find_vague_wording("take more ownership")[0]
    positional = find_vague_wording("to get to senior")[0]

    assert impact.nudge.startswith("Name the change someone could observe")
    assert '"ships one eval that the team adopts for model selection"' in impact.nudge
    assert ownership.nudge != impact.nudge
    assert "capability, not the level" in positional.nudge
    for text, _, _ in FLAGGED:
        assert all(len(note.nudge) > 40 for note in find_vague_wording(text))


def test_coach_quotes_the_phrase_as_typed():
    assert find_vague_wording("Please Step  Up soon")[0].phrase == "Step  Up"


def test_coach_reports_a_repeated_phrase_once_in_text_order():
    notes = find_vague_wording(
        "More impact. To get to senior you need more impact, and MORE  IMPACT."
    )

    assert [(n.phrase, n.kind) for n in notes] == [
        ("More impact", "vague"),
        ("To get to senior", "positional"),
    ]


def test_coach_finds_several_phrases_in_one_text():
    notes = find_vague_wording("Be more strategic.\nThen think bigger\nand step up")

    assert [n.phrase for n in notes] == ["Be more strategic", "think bigger", "step up"]


def test_coach_reads_only_the_first_ten_thousand_characters():
    text = "x" * (MAX_COACH_CHARS - 10) + " take more ownership"

    assert find_vague_wording(text) == []
    assert find_vague_wording(text[10:])[0].phrase == "take more ownership"


# The endpoint


def test_coach_endpoint_returns_advice_partial_for_htmx(client, org):
    client.force_login(org.manager)

    response = client.post(
        reverse("growth:coach"),
        {"aspiration": "You need more impact and to step up"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    assert 'role="note"' in body
    assert "‘more impact’ is vague — Name the change someone could observe" in body
    assert "‘step up’ is vague" in body


def test_coach_endpoint_names_positional_wording(client, org):
    client.force_login(org.engineer)

    response = client.post(reverse("growth:coach"), {"gap": "for promotion you must ship X"})

    assert "‘for promotion’ is positional — Talk about what they want" in response.content.decode()


def test_coach_endpoint_reads_only_the_field_that_asked(client, org):
    client.force_login(org.engineer)
    # htmx posts the whole form unless told otherwise; the advice is for one field.
    form = {"aspiration": "Design ablations", "gap": "be more proactive"}

    for_aspiration = client.post(
        reverse("growth:coach"), form, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="aspiration"
    )
    for_gap = client.post(
        reverse("growth:coach"), form, HTTP_HX_REQUEST="true", HTTP_HX_TRIGGER_NAME="gap"
    )

    assert for_aspiration.status_code == 200
    assert for_aspiration.content.decode().strip() == ""
    assert "‘be more proactive’ is vague" in for_gap.content.decode()


def test_coach_endpoint_answers_nothing_for_a_field_that_was_not_posted(client, org):
    client.force_login(org.engineer)

    response = client.post(
        reverse("growth:coach"),
        {"gap": "be more proactive"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="aspiration",
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_coach_endpoint_without_a_trigger_name_reads_the_first_field(client, org):
    client.force_login(org.engineer)

    response = client.post(
        reverse("growth:coach"), {"aspiration": "think bigger", "gap": "be more proactive"}
    )

    body = response.content.decode()
    assert "‘think bigger’" in body
    assert "proactive" not in body


def test_coach_endpoint_says_nothing_about_clean_text(client, org):
    client.force_login(org.engineer)

    response = client.post(
        reverse("growth:coach"),
        {"aspiration": "Reduced p95 latency from 300ms to 120ms"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response.content.decode().strip() == ""


def test_coach_endpoint_ignores_the_csrf_token_field(client, org):
    client.force_login(org.engineer)

    response = client.post(
        reverse("growth:coach"), {"csrfmiddlewaretoken": "step up", "body": "fine"}
    )
    named = client.post(
        reverse("growth:coach"),
        {"csrfmiddlewaretoken": "step up"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TRIGGER_NAME="csrfmiddlewaretoken",
    )

    assert response.content.decode().strip() == ""
    assert named.status_code == 200
    assert named.content.decode().strip() == ""


def test_coach_endpoint_analyses_only_the_first_ten_thousand_characters(client, org):
    client.force_login(org.engineer)
    text = "be more proactive " + "a" * 20_000 + " think bigger."

    response = client.post(reverse("growth:coach"), {"body": text})

    assert response.status_code == 200
    body = response.content.decode()
    assert "‘be more proactive’" in body
    assert "think bigger" not in body


def test_coach_endpoint_requires_login(client, db):
    response = client.post(reverse("growth:coach"), {"body": "more impact"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_coach_endpoint_refuses_get(client, org):
    client.force_login(org.engineer)

    response = client.get(reverse("growth:coach"))

    assert response.status_code == 405


# The template filter, for pages that show advice beside saved text without JavaScript


def test_coach_notes_filter_gives_notes_to_templates():
    template = Template(
        "{% load coach %}{% for note in text|coach_notes %}[{{ note.phrase }}|{{ note.kind }}]"
        "{% endfor %}"
    )

    rendered = template.render(Context({"text": "Step up. To reach staff, mentor."}))

    assert rendered == "[Step up|vague][To reach staff|positional]"


def test_coach_partial_shows_saved_text_advice_without_javascript():
    template = Template(
        '{% load coach %}{% include "growth/_coach.html" with notes=text|coach_notes %}'
    )

    rendered = template.render(Context({"text": "be more proactive"}))

    assert 'role="note"' in rendered
    assert "‘be more proactive’ is vague — Describe the first move you expect" in rendered


def test_coach_notes_filter_is_empty_for_clean_or_missing_text():
    template = Template("{% load coach %}{{ text|coach_notes|length }}")

    assert template.render(Context({"text": "Ran three seeds."})) == "0"
    assert template.render(Context({})) == "0"


def test_coached_field_keeps_its_help_text_description_beside_the_coach():
    from django import forms

    from growth.widgets import CoachedTextarea

    class F(forms.Form):
        text = forms.CharField(widget=CoachedTextarea, help_text="Say what someone could see.")

    html = str(F()["text"])

    assert 'aria-describedby="id_text_helptext coach-id_text"' in html


def test_coached_field_posts_only_itself_and_asks_on_load_only_with_text():
    class F(forms.Form):
        text = forms.CharField(widget=CoachedTextarea)

    empty = str(F(prefix="plan")["text"])
    blank = str(F(prefix="plan", initial={"text": " \n "})["text"])
    written = str(F(prefix="plan", initial={"text": "Be more strategic"})["text"])
    sent_back = str(F({"plan-text": "Step up"}, prefix="plan")["text"])

    # Only this field is posted (the CSRF token comes from <body hx-headers>) ...
    assert 'name="plan-text"' in empty
    assert 'hx-params="plan-text"' in empty
    assert 'hx-target="#coach-id_plan-text"' in empty
    # ... and page load asks only when the field already has text, decided here: an
    # htmx trigger filter (load[...]) would need eval, which the CSP forbids.
    assert 'hx-trigger="input changed delay:400ms"' in empty
    assert 'hx-trigger="input changed delay:400ms"' in blank
    assert 'hx-trigger="input changed delay:400ms, load"' in written
    assert 'hx-trigger="input changed delay:400ms, load"' in sent_back


def test_coached_field_keeps_a_quieter_trigger_it_is_given():
    widget = CoachedTextarea({"rows": 2, "hx-trigger": "input changed delay:400ms"})

    html = widget.render("body", "Be more strategic")

    assert 'hx-trigger="input changed delay:400ms"' in html
    assert 'hx-params="body"' in html


# Advice for pages without JavaScript


class CoachedForm(forms.Form):
    aspiration = forms.CharField(label="Where you want to be", widget=CoachedTextarea)
    gap = forms.CharField(widget=CoachedTextarea, required=False)
    title = forms.CharField()  # not coached: never advised on


def test_advice_for_form_names_each_coached_field_and_its_phrases():
    form = CoachedForm(
        {"aspiration": "Be more strategic and step up", "gap": "To reach staff", "title": "step up"}
    )
    assert form.is_valid()

    advice = advice_for_form(form)

    assert advice == [
        "Coach on “Where you want to be”: “Be more strategic” — "
        + find_vague_wording("Be more strategic")[0].nudge,
        "Coach on “Where you want to be”: “step up” — " + find_vague_wording("step up")[0].nudge,
        "Coach on “Gap”: “To reach staff” — " + find_vague_wording("To reach staff")[0].nudge,
    ]


def test_advice_for_form_is_empty_for_clean_text():
    form = CoachedForm({"aspiration": "Ran three seeds.", "gap": "", "title": "more impact"})
    assert form.is_valid()

    assert advice_for_form(form) == []


def test_advice_for_form_skips_fields_that_did_not_validate():
    form = CoachedForm({"aspiration": "", "gap": "be more proactive", "title": "x"})
    assert not form.is_valid()

    assert [a.split(":")[0] for a in advice_for_form(form)] == ["Coach on “Gap”"]


def test_advice_for_form_reads_the_plan_form(db):
    from growth.forms import PlanForm

    form = PlanForm({"aspiration": "Take more ownership", "gap": "Seeds vary", "version": "0"})
    assert form.is_valid(), form.errors

    assert advice_for_form(form) == [
        f"Coach on “{form['aspiration'].label}”: “Take more ownership” — "
        + find_vague_wording("Take more ownership")[0].nudge
    ]


# The corpus: tests/growth/coach_corpus.py. Tune on TUNING only; HELD_OUT is never
# looked at while changing the patterns (see that module).

# Measured once the patterns were tuned, before anyone read a held-out miss:
# 14 of 36 held-out vague sentences flagged (39%). The floor leaves one sentence of slack.
HELD_OUT_RECALL_FLOOR = 0.35


def recall(sentences: tuple[str, ...]) -> float:
    return sum(bool(find_vague_wording(s)) for s in sentences) / len(sentences)


def test_coach_corpus_parts_are_big_enough_and_apart():
    for part in (TUNING, HELD_OUT):
        assert len(part.vague) >= 30
        assert len(part.specific) >= 30
    assert not set(TUNING.vague + TUNING.specific) & set(HELD_OUT.vague + HELD_OUT.specific)


def test_coach_catches_the_tuning_corpus():
    missed = [s for s in TUNING.vague if not find_vague_wording(s)]

    assert recall(TUNING.vague) >= 0.95, missed


def test_coach_recall_on_held_out_vague_sentences():
    # No list of misses here on purpose: reading them would be tuning on HELD_OUT.
    assert recall(HELD_OUT.vague) >= HELD_OUT_RECALL_FLOOR


@pytest.mark.parametrize("text", TUNING.specific + HELD_OUT.specific)
def test_coach_raises_no_false_alarm_on_specific_corpus_sentences(text):
    assert find_vague_wording(text) == []
