from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile

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
