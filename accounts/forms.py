from __future__ import annotations

import unicodedata
from collections.abc import Iterator

from django import forms
from django.contrib.auth.forms import PasswordResetForm
from django.core.files.uploadedfile import UploadedFile

from accounts.invitations import invitable_people
from accounts.models import Person

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class OrgImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with a header row, at most 5 MB.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_file(self) -> UploadedFile:
        file = self.cleaned_data["file"]
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                "This file is larger than 5 MB. Split it into smaller files."
            )
        return file


class InvitationForm(forms.Form):
    """Whom to invite (or invite again): one person from a row's button, or those ticked."""

    person = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        error_messages={
            "required": "Choose at least one person to invite.",
            "invalid_choice": "Someone chosen can no longer be invited: they were deactivated or "
            "have a password now. Nobody was invited; check the list below and try again.",
            "invalid_pk_value": "That is not a person in Trellis. Nobody was invited.",
            "invalid_list": "That is not a list of people. Nobody was invited.",
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = invitable_people()


class InvitedPasswordResetForm(PasswordResetForm):
    """Django's password reset, also for people who have no password yet.

    Django skips accounts with an unusable password; in Trellis those are people
    imported (and perhaps invited) who never chose one, and a reset link is how
    they get in when their invitation has expired. Deactivated people still get
    nothing, and the page still says the same whether or not the address exists.
    """

    def get_users(self, email: str) -> Iterator[Person]:
        wanted = unicodedata.normalize("NFKC", email).casefold()
        for person in Person.objects.filter(email__iexact=email, is_active=True):
            if unicodedata.normalize("NFKC", person.email).casefold() == wanted:
                yield person
