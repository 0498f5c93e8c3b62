"""The 1:1 page: agenda, shared notes, the viewer's own private note, action items, pulse.

Who may read a 1:1 is one_on_ones/views/scope.py's answer (the pair, and a later
manager while the engineer agrees: read only; 404 for everyone else, the director
included). Who may write what is asked of one_on_ones/rules.py (403 with a reason).

The parts that change inline are named partials of detail.html. A write on success
gives htmx its section back and redirects a plain POST to the page (PRG); with
errors htmx gets the section with the errors in place and a plain POST the whole
page, both with status 200 so htmx swaps them.

The notes save as they are typed (htmx, debounced) with the version they were
opened at. The answer is a small status region: "Saved 10:42", or a conflict that
never overwrites the other save (the text stays in the textarea to copy). Its
X-Autosave header tells static/js/one_on_ones.js whether the text is now safe.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.http import AuthedRequest
from accounts.models import Person
from growth.panels import review_due_within
from one_on_ones import rules, services
from one_on_ones.forms import (
    ActionForm,
    AgendaForm,
    PrivateNoteForm,
    PulseForm,
    SharedNotesForm,
    TickForm,
)
from one_on_ones.models import OneOnOne, PrivateNote, Pulse
from one_on_ones.services import StaleVersion
from one_on_ones.views.scope import (
    get_action_item_for_user,
    get_agenda_item_for_user,
    get_one_on_one_for_user,
)

PAGE = "one_on_ones/detail.html"
GROWTH_PROMPT_DAYS = 30
# Several forms share field names on one page, so each gets its own id prefix.
AGENDA_ID, ACTION_ID, PULSE_ID = "id_agenda_%s", "id_action_%s", "id_pulse_%s"
SHARED_ID, PRIVATE_ID = "id_shared_%s", "id_private_%s"


@dataclass(frozen=True)
class Rights:
    """What the viewer may do in this 1:1, for the template."""

    member: bool  # add agenda and action items, edit the shared notes, keep a private note
    engineer: bool  # answer the pulse
    manager: bool

    @classmethod
    def of(cls, user: Person, one_on_one: OneOnOne) -> Rights:
        pair = one_on_one.pair
        return cls(
            member=rules.is_member(user, pair),
            engineer=rules.is_pair_engineer(user, pair),
            manager=rules.is_pair_manager(user, pair),
        )


@dataclass(frozen=True)
class SaveState:
    """What became of an autosave, for the status region beside the textarea."""

    version: int  # the version the next save carries
    outcome: str = ""  # "saved", "conflict" or "invalid"; "" when just opened
    message: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class Forms:
    """Forms the page shows instead of fresh ones (bound, with errors or a conflict)."""

    agenda: AgendaForm | None = None
    action: ActionForm | None = None
    pulse: PulseForm | None = None
    shared: tuple[SharedNotesForm, SaveState] | None = None
    private: tuple[PrivateNoteForm, SaveState] | None = None


def _agenda(request: AuthedRequest, one: OneOnOne, rights: Rights, forms: Forms) -> dict:
    form = forms.agenda or AgendaForm(auto_id=AGENDA_ID)
    return {
        "agenda_items": list(one.agenda.select_related("added_by")),
        "agenda_form": form if rights.member else None,
    }


def _actions(request: AuthedRequest, one: OneOnOne, rights: Rights, forms: Forms) -> dict:
    rows = [
        (item, rules.can_tick(request.user, item)) for item in one.actions.select_related("owner")
    ]
    form = forms.action or ActionForm(pair=one.pair, auto_id=ACTION_ID)
    return {"action_rows": rows, "action_form": form if rights.member else None}


def _pulse(request: AuthedRequest, one: OneOnOne, rights: Rights, forms: Forms) -> dict:
    pulse = Pulse.objects.filter(one_on_one=one).first()
    ctx: dict = {"pulse": pulse}
    if pulse is not None:
        ctx["pulse_answers"] = [(q, getattr(pulse, name)) for name, q in Pulse.QUESTIONS.items()]
    if rights.engineer:
        fields = (*Pulse.QUESTIONS, "direction_concern")
        initial = {name: getattr(pulse, name) for name in fields} if pulse else {}
        ctx["pulse_form"] = forms.pulse or PulseForm(initial=initial, auto_id=PULSE_ID)
    return ctx


SECTIONS: dict[str, Callable[[AuthedRequest, OneOnOne, Rights, Forms], dict]] = {
    "agenda": _agenda,
    "actions": _actions,
    "pulse": _pulse,
}


def _notes(request: AuthedRequest, one: OneOnOne, forms: Forms) -> dict:
    """The shared notes' form and the viewer's own private note (members only)."""
    shared = forms.shared or (
        SharedNotesForm(initial={"text": one.shared_notes}, auto_id=SHARED_ID),
        SaveState(version=one.version),
    )
    note = PrivateNote.objects.by(request.user).filter(one_on_one=one).first()
    private = forms.private or (
        PrivateNoteForm(initial={"body": note.body if note else ""}, auto_id=PRIVATE_ID),
        SaveState(version=note.version if note else 0),
    )
    return {
        "shared_form": shared[0],
        "shared_state": shared[1],
        "private_form": private[0],
        "private_state": private[1],
    }


def _context(request: AuthedRequest, one: OneOnOne) -> dict:
    return {"one_on_one": one, "pair": one.pair, "rights": Rights.of(request.user, one)}


def _render_page(request: AuthedRequest, one: OneOnOne, forms: Forms = Forms()) -> HttpResponse:
    ctx = _context(request, one)
    rights: Rights = ctx["rights"]
    for build in SECTIONS.values():
        ctx.update(build(request, one, rights, forms))
    if rights.member:
        ctx.update(_notes(request, one, forms))
        # A growth conversation is prompted in the pair that holds it now.
        if rules.can_log_one_on_one(one.pair.manager, one.pair.engineer):
            ctx["review_plan"] = review_due_within(one.pair.engineer, GROWTH_PROMPT_DAYS)
    return render(request, PAGE, ctx)


def _render_section(
    request: AuthedRequest, one: OneOnOne, section: str, forms: Forms = Forms()
) -> HttpResponse:
    ctx = _context(request, one)
    ctx.update(SECTIONS[section](request, one, ctx["rights"], forms))
    return render(request, f"{PAGE}#{section}", ctx)


def _saved(request: AuthedRequest, one: OneOnOne, section: str) -> HttpResponse:
    """After a write: htmx gets the fresh section, a plain POST is redirected (PRG)."""
    if request.htmx:
        return _render_section(request, one, section)
    return redirect(reverse("one_on_ones:detail", args=[one.pk]) + f"#{section}")


def _with_errors(request: AuthedRequest, one: OneOnOne, section: str, forms: Forms) -> HttpResponse:
    """Errors in place, status 200: the section for htmx, the whole page otherwise."""
    if request.htmx:
        return _render_section(request, one, section, forms)
    return _render_page(request, one, forms)


# --- the page ---------------------------------------------------------------------------


@login_required
@require_GET
def one_on_one_detail(request: AuthedRequest, one_on_one_id: int) -> HttpResponse:
    one = get_one_on_one_for_user(request, one_on_one_id)
    return _render_page(request, one)


# --- notes (autosaved) ------------------------------------------------------------------


def _sent_version(form: BaseForm) -> int:
    """The version the page holds, kept through an invalid save: never the database's,
    which would let the next save overwrite a change this page has not seen. Without
    one, 0: for shared notes no version, so every save conflicts until a reload."""
    return form.cleaned_data.get("version") or 0


def _first_error(form: BaseForm) -> str:
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    if "version" in form.errors:
        return "Not saved: this page is out of date. Copy your text and reload."
    return f"Not saved: {errors[0]}"


def _autosaved(
    request: AuthedRequest, one: OneOnOne, part: str, form: BaseForm, state: SaveState
) -> HttpResponse:
    """The status region for htmx; a plain POST the page (PRG when saved)."""
    if request.htmx:
        ctx = {**_context(request, one), f"{part}_state": state}
        response = render(request, f"{PAGE}#{part}_saved", ctx)
    elif state.outcome == "saved":
        messages.success(request, state.message)
        response = redirect(reverse("one_on_ones:detail", args=[one.pk]) + f"#{part}-notes")
    elif isinstance(form, SharedNotesForm):
        response = _render_page(request, one, Forms(shared=(form, state)))
    else:
        assert isinstance(form, PrivateNoteForm)
        response = _render_page(request, one, Forms(private=(form, state)))
    response["X-Autosave"] = state.outcome
    return response


def _autosave(
    request: AuthedRequest,
    one_on_one_id: int,
    part: str,
    form: SharedNotesForm | PrivateNoteForm,
    save: Callable[[OneOnOne, int], tuple[OneOnOne, OneOnOne | PrivateNote]],
    conflict: Callable[[OneOnOne], str],
    saved: str,
) -> HttpResponse:
    """One autosaving note of a 1:1 (the shared notes or the author's private note):
    `save(one, version)` answers the 1:1 and the saved record (its version and time),
    or raises StaleVersion, told with `conflict(one)`; the rest is the same for both."""
    one = get_one_on_one_for_user(request, one_on_one_id)
    rules.require(rules.is_member(request.user, one.pair), rules.ONLY_MEMBERS)
    if not form.is_valid():
        state = SaveState(_sent_version(form), "invalid", _first_error(form))
        return _autosaved(request, one, part, form, state)
    version = form.cleaned_data["version"]
    try:
        one, record = save(one, version)
    except StaleVersion:
        return _autosaved(request, one, part, form, SaveState(version, "conflict", conflict(one)))
    state = SaveState(record.version, "saved", saved, record.updated_at)
    return _autosaved(request, one, part, form, state)


@login_required
@require_POST
def save_shared_notes(request: AuthedRequest, one_on_one_id: int) -> HttpResponse:
    form = SharedNotesForm(request.POST, auto_id=SHARED_ID)

    def save(one: OneOnOne, version: int) -> tuple[OneOnOne, OneOnOne]:
        text = form.cleaned_data["text"]
        one = services.save_shared_notes(
            one_on_one=one, actor=request.user, version=version, text=text
        )
        return one, one

    def conflict(one: OneOnOne) -> str:
        pair = one.pair
        other = pair.engineer if rules.is_pair_manager(request.user, pair) else pair.manager
        return (
            f"Not saved: these notes changed in another tab or by {other.name} since you "
            "opened them. Your text is kept: copy it and reload."
        )

    return _autosave(request, one_on_one_id, "shared", form, save, conflict, "Shared notes saved.")


@login_required
@require_POST
def save_private_note(request: AuthedRequest, one_on_one_id: int) -> HttpResponse:
    form = PrivateNoteForm(request.POST, auto_id=PRIVATE_ID)

    def save(one: OneOnOne, version: int) -> tuple[OneOnOne, PrivateNote]:
        body = form.cleaned_data["body"]
        note = services.save_private_note(
            one_on_one=one, author=request.user, version=version, body=body
        )
        return one, note

    def conflict(one: OneOnOne) -> str:
        return (
            "Not saved: your private note changed in another tab since you opened it. "
            "Your text is kept: copy it and reload."
        )

    return _autosave(request, one_on_one_id, "private", form, save, conflict, "Private note saved.")


# --- agenda (either member) -------------------------------------------------------------


@login_required
@require_POST
def add_agenda_item(request: AuthedRequest, one_on_one_id: int) -> HttpResponse:
    one = get_one_on_one_for_user(request, one_on_one_id)
    rules.require(rules.is_member(request.user, one.pair), rules.ONLY_MEMBERS)
    form = AgendaForm(request.POST, auto_id=AGENDA_ID)
    if not form.is_valid():
        return _with_errors(request, one, "agenda", Forms(agenda=form))
    services.add_agenda_item(one_on_one=one, actor=request.user, text=form.cleaned_data["text"])
    return _saved(request, one, "agenda")


@login_required
@require_POST
def set_agenda_discussed(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_agenda_item_for_user(request, item_id)
    rules.require(rules.is_member(request.user, item.one_on_one.pair), rules.ONLY_MEMBERS)
    form = TickForm(request.POST)
    form.is_valid()  # a checkbox: always valid, absent means no
    services.set_agenda_discussed(
        item=item, actor=request.user, discussed=form.cleaned_data["checked"]
    )
    return _saved(request, item.one_on_one, "agenda")


# --- action items (either member adds; the owner ticks) ---------------------------------


@login_required
@require_POST
def add_action_item(request: AuthedRequest, one_on_one_id: int) -> HttpResponse:
    one = get_one_on_one_for_user(request, one_on_one_id)
    rules.require(rules.is_member(request.user, one.pair), rules.ONLY_MEMBERS)
    form = ActionForm(request.POST, pair=one.pair, auto_id=ACTION_ID)
    if form.is_valid():
        try:
            services.add_action_item(
                one_on_one=one,
                actor=request.user,
                text=form.cleaned_data["text"],
                owner=form.owner_person(),
                due_date=form.cleaned_data["due_date"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, one, "actions")
    return _with_errors(request, one, "actions", Forms(action=form))


@login_required
@require_POST
def set_action_done(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = get_action_item_for_user(request, item_id)
    rules.require(rules.can_tick(request.user, item), rules.ONLY_OWNER)
    form = TickForm(request.POST)
    form.is_valid()  # a checkbox: always valid, absent means no
    services.set_action_done(item=item, actor=request.user, done=form.cleaned_data["checked"])
    return _saved(request, item.one_on_one, "actions")


# --- pulse (the engineer only) ----------------------------------------------------------


@login_required
@require_POST
def answer_pulse(request: AuthedRequest, one_on_one_id: int) -> HttpResponse:
    one = get_one_on_one_for_user(request, one_on_one_id)
    rules.require(rules.is_pair_engineer(request.user, one.pair), rules.ONLY_ENGINEER)
    form = PulseForm(request.POST, auto_id=PULSE_ID)
    if form.is_valid():
        try:
            services.answer_pulse(one_on_one=one, engineer=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _saved(request, one, "pulse")
    return _with_errors(request, one, "pulse", Forms(pulse=form))
