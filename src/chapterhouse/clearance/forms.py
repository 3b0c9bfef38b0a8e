"""The clearance stage's forms: the DD 1910 built from the call's field list, amendments, uploads, answers."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.utils import timezone

from chapterhouse.web.forms import Form
from chapterhouse.web.uploads import OversizeUpload


def required(message: str) -> dict:
    return {"required": message}


class DD1910Form(Form):
    """One text field per field the call file lists, in its order, labelled and explained as it says."""

    def __init__(self, fields, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form_fields = list(fields)
        for field in self.form_fields:
            long_text = field.source in {"authors", "subject"} or field.key in {"remarks", "prior_coordination"}
            self.fields[field.key] = forms.CharField(
                label=field.label, help_text=field.help, required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}) if long_text else forms.TextInput())


class UploadForm(Form):
    """One file, read into memory once; ``suffixes`` are the endings accepted (".docx")."""

    file = forms.FileField(label="File", error_messages=required("Choose the file to upload."))

    def __init__(self, *args, suffixes=(".docx",), label="Word file (.docx)", **kwargs):
        super().__init__(*args, **kwargs)
        self.suffixes = suffixes
        self.fields["file"].label = label
        self.fields["file"].widget.attrs["accept"] = ",".join(suffixes)
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if isinstance(upload, OversizeUpload):
            raise forms.ValidationError(f"“{upload.name}” is {upload.size / 1_048_576:.1f} MB; the limit is "
                                        f"{settings.CHAPTERHOUSE_MAX_UPLOAD_MB} MB.")
        if not upload.name.lower().endswith(self.suffixes):
            raise forms.ValidationError(f"“{upload.name}” is not a {' or '.join(self.suffixes)} file.")
        self.data_bytes = upload.read()
        if not self.data_bytes:
            raise forms.ValidationError(f"“{upload.name}” is empty.")
        return upload


class AmendmentForm(Form):
    chapter = forms.TypedChoiceField(coerce=int, label="Chapter", error_messages=required("Choose the chapter."))
    location = forms.CharField(max_length=200, label="Location",
                               help_text="Where, as the office gives it: page, paragraph or note.",
                               error_messages=required("Say where the change is required."))
    cleared_text = forms.CharField(
        required=False, label="The passage as cleared", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Copy the words that must change, exactly; leave empty when the office only asks for an addition.")
    required_text = forms.CharField(
        required=False, label="Required wording", widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The wording the office requires in its place; leave empty to delete the passage.")

    def __init__(self, chapters, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].choices = [("", "Choose a chapter")] + [(c.pk, c.title) for c in chapters]

    def clean(self):
        data = super().clean()
        if not data.get("cleared_text", "").strip() and not data.get("required_text", "").strip():
            raise forms.ValidationError("Give the passage as cleared, the required wording, or both.")
        return data


class MoveForm(Form):
    """A move of the request, with the date it happened (submission, the office's answer) and its reference."""

    to = forms.CharField()
    reason = forms.CharField(required=False, max_length=4000, widget=forms.Textarea)  # a <textarea> in _moves.html
    on = forms.DateField(required=False, label="Date", error_messages={"invalid": "Enter a date like 2025-03-01."})
    office_reference = forms.CharField(required=False, max_length=100)

    def clean_on(self):
        day = self.cleaned_data.get("on") or timezone.localdate()
        if day > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError("The date cannot be in the future.")
        return day


class ClearanceRecordForm(Form):
    """The office's case number and the date it cleared the manuscript, as its letter gives them."""

    office_reference = forms.CharField(label="Office's case number", max_length=100)
    cleared_on = forms.DateField(label="Date cleared", widget=forms.DateInput(attrs={"type": "date"}),
                                 error_messages={"invalid": "Enter a date like 2025-03-01."})

    def clean_cleared_on(self):
        day = self.cleaned_data["cleared_on"]
        if day > timezone.localdate() + dt.timedelta(days=1):
            raise forms.ValidationError("The date cannot be in the future.")
        return day
