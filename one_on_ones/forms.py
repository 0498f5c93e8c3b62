"""Forms of the 1:1 pages. Plain forms: each write goes through one_on_ones/services.py."""

from __future__ import annotations

import datetime
import re
from datetime import timedelta

from django import forms
from django.utils import timezone

from accounts.form_tools import DateInput
from accounts.models import Person
from growth.panels import CoachedTextarea
from one_on_ones.models import Cadence, Pair, Pulse
from one_on_ones.services import MAX_DAYS_AHEAD

# C0/C1 control characters and DEL, except tab and newline: nothing a page shows.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
SCORE_CHOICES = [(1, "1 (no)"), (2, "2"), (3, "3"), (4, "4"), (5, "5 (yes)")]
SCORE_ERROR = "Answer from 1 (no) to 5 (yes)."
NOTE_MAX_LENGTH = 20000  # as the models' note fields


class NoteField(forms.CharField):
    """Notes as typed (spaces kept: Markdown reads them), with browser line ends made plain."""

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, strip=False, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = CONTROL_CHARACTERS.sub("", value.replace("\r\n", "\n").replace("\r", "\n"))
        return super().to_python(value)


class VersionField(forms.IntegerField):
    """The version the note was opened at (0: no note yet); a save needs it to still hold."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(min_value=0, **kwargs)


class LogForm(forms.Form):
    date = forms.DateField(label="Date of the 1:1", widget=DateInput())

    def clean_date(self) -> datetime.date:
        day = self.cleaned_data["date"]
        if day > timezone.localdate() + timedelta(days=MAX_DAYS_AHEAD):
            raise forms.ValidationError("That is more than a year ahead: check the year.")
        return day


class CadenceForm(forms.Form):
    cadence = forms.TypedChoiceField(label="Expected cadence", choices=Cadence.choices, coerce=int)


class ConsentForm(forms.Form):
    consent = forms.BooleanField(
        label="Let my current manager read my shared 1:1s with earlier managers",
        help_text="Shared notes, agenda, action items and pulse. Private notes stay "
        "with their authors either way. You can withdraw this at any time.",
        required=False,
    )


class SharedNotesForm(forms.Form):
    text = NoteField(
        label="Edit the shared notes",
        max_length=NOTE_MAX_LENGTH,
        help_text="Both of you see these notes. Markdown: **bold**, *italic*, lines starting "
        "with - for a list, [text](https://…) for a link. They save as you type.",
        widget=CoachedTextarea({"rows": 8}),
    )
    version = VersionField()


class PrivateNoteForm(forms.Form):
    body = NoteField(
        label="Private — only you can see this",
        max_length=NOTE_MAX_LENGTH,
        help_text="Not the other person, not your manager, not admins. Saves as you type.",
        widget=forms.Textarea({"rows": 4}),
    )
    version = VersionField()


class AgendaForm(forms.Form):
    text = forms.CharField(
        label="Add to the agenda",
        max_length=500,
        error_messages={"required": "Write what you want to talk about."},
        widget=CoachedTextarea({"rows": 2}),
    )


class ActionForm(forms.Form):
    text = forms.CharField(
        label="Action item",
        max_length=500,
        error_messages={"required": "Write what is to be done."},
    )
    owner = forms.TypedChoiceField(label="Owner", coerce=int)
    due_date = forms.DateField(label="Due (optional)", required=False, widget=DateInput())

    def __init__(self, *args, pair: Pair, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.members = {pair.engineer_id: pair.engineer, pair.manager_id: pair.manager}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.TypedChoiceField)
        owner.choices = [(pk, person.name) for pk, person in self.members.items()]

    def owner_person(self) -> Person:
        return self.members[self.cleaned_data["owner"]]


class TickForm(forms.Form):
    """An agenda item's "discussed" or an action item's "done": the box ticked or not."""

    checked = forms.BooleanField(required=False)


def _score(name: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=Pulse.QUESTIONS[name],
        choices=SCORE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": SCORE_ERROR, "invalid_choice": SCORE_ERROR},
    )


class PulseForm(forms.Form):
    learning = _score("learning")
    work_used = _score("work_used")
    direction = _score("direction")
    direction_concern = forms.CharField(
        label=str(Pulse._meta.get_field("direction_concern").verbose_name),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 2}),
    )
