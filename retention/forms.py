from __future__ import annotations

from collections.abc import Sequence

from django import forms
from django.utils import timezone

from accounts.form_tools import DateInput
from accounts.models import Person
from retention.models import ProblemType, Purpose, Status


class PeopleField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class PersonField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:
        return obj.name


class RegisterModelForm(forms.Form):
    name = forms.CharField(max_length=200, help_text="The model or training run.")
    project = forms.CharField(max_length=200)
    problem_type = forms.ModelChoiceField(queryset=ProblemType.objects.all())
    purpose = forms.ChoiceField(
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        help_text="A production run trains only with an approved deployment plan.",
    )
    owners = PeopleField(
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,  # the service names the refusal: a model owned by nobody
        help_text="The engineers whose model it is.",
    )

    def __init__(self, *args, people: Sequence[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owners = self.fields["owners"]
        assert isinstance(owners, PeopleField)
        owners.queryset = Person.objects.filter(pk__in=[p.pk for p in people]).order_by("name")


class MoveForm(forms.Form):
    to = forms.ChoiceField(choices=[(s, label) for s, label in Status.choices if s != "archived"])
    on = forms.DateField(label="On", widget=DateInput, required=False, help_text="Default: today.")
    back = forms.CharField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class ArchiveForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="What was learned, or why it will not be deployed.",
    )
    back = forms.CharField(required=False, widget=forms.HiddenInput)
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class DeploymentPlanForm(forms.Form):
    target_system = forms.CharField(max_length=200, help_text="Where it will run.")
    owner = PersonField(
        queryset=Person.objects.none(), help_text="Who sees the deployment through."
    )
    success_metric = forms.CharField(max_length=300, help_text="How you will know it worked.")
    target_date = forms.DateField(widget=DateInput)
    rollback = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="How to go back if it fails in production.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, people: Sequence[Person], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = self.fields["owner"]
        assert isinstance(owner, PersonField)
        owner.queryset = Person.objects.filter(pk__in=[p.pk for p in people]).order_by("name")


class ApproveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class AssignmentForm(forms.Form):
    problem_type = forms.ModelChoiceField(queryset=ProblemType.objects.all())
    project = forms.CharField(max_length=200)
    started_on = forms.DateField(label="From", widget=DateInput)
    ended_on = forms.DateField(
        label="To",
        widget=DateInput,
        required=False,
        help_text="Leave empty for what they work on now: it ends the current assignment.",
    )

    @classmethod
    def fresh(cls) -> AssignmentForm:
        return cls(initial={"started_on": timezone.localdate()}, auto_id="id_assign_%s")


EXPIRY_CHOICES = [("30", "30 days"), ("90", "90 days"), ("365", "A year"), ("", "Never")]


class TokenForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="What uses it, e.g. “nightly training”.")
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        choices=EXPIRY_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        initial="90",
    )
