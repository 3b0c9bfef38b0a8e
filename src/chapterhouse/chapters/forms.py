"""The chapter forms. A Word upload is read into memory once (the upload handler never spills to disk) and
handed to the checker; nothing here writes a file."""

from __future__ import annotations

from django import forms
from django.conf import settings

from chapterhouse.chapters.models import (ChapterAuthor, FeedbackRound, FundingAward, OfficialAccess,
                                          PermissionRecord)
from chapterhouse.web.uploads import OversizeUpload
from chapterhouse.web.forms import Form, ModelForm

DOCX_ACCEPT = ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class WordFileField(forms.FileField):
    """A .docx read into bytes: ``cleaned_data[name]`` is ``(file name, bytes)``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": DOCX_ACCEPT}))
        kwargs.setdefault("help_text", f"A Word document (.docx), up to {settings.CHAPTERHOUSE_MAX_UPLOAD_MB} MB.")
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return None
        if isinstance(upload, OversizeUpload):
            raise forms.ValidationError(f"The file is {upload.size / 1048576:.1f} MB; the limit is "
                                        f"{settings.CHAPTERHOUSE_MAX_UPLOAD_MB} MB.")
        return upload.name, upload.read()


class UploadForm(Form):
    file = WordFileField(label="Chapter file", error_messages={"required": "Choose the chapter's Word file."})
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Note to the editors (optional)",
                           max_length=5000)


class CheckForm(Form):
    file = WordFileField(label="Your chapter", error_messages={"required": "Choose the chapter's Word file."})


class SendForm(Form):
    letter = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
                             label="Response letter", help_text="In a revision round, say how the revision answers the "
                                                                "editors' feedback.")


class FeedbackForm(Form):
    letter = forms.CharField(widget=forms.Textarea(attrs={"rows": 10}), max_length=50000, label="Letter to the authors",
                             error_messages={"required": "Write the letter to the authors."})
    annotated = WordFileField(required=False, label="Annotated chapter (optional)",
                              help_text="The chapter with your comments, as a .docx; it is checked for markings too.")
    decision = forms.ChoiceField(choices=FeedbackRound.Decision.choices, widget=forms.RadioSelect, label="Decision",
                                 error_messages={"required": "Choose: accept as final, or ask for a revision."})
    revised_due = forms.DateField(required=False, label="Revised chapter due", widget=forms.DateInput(attrs={"type": "date"}),
                                  help_text="Needed when asking for a revision.")

    def clean(self):
        data = super().clean()
        if data.get("decision") == FeedbackRound.Decision.REVISE and not data.get("revised_due"):
            self.add_error("revised_due", "Give the date the revised chapter is due.")
        return data


class ExtensionForm(Form):
    kind = forms.ChoiceField(choices=[("final_chapters_due", "Final chapter due"),
                                      ("revised_chapters_due", "Revised chapter due")], label="Deadline")
    due_on = forms.DateField(label="New date", widget=forms.DateInput(attrs={"type": "date"}),
                             error_messages={"required": "Give the new date."})
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Reason",
                             error_messages={"required": "Say why; the reason is kept in the chapter's history."})


class AuthorForm(ModelForm):
    class Meta:
        model = ChapterAuthor
        fields = ["name", "email", "affiliation", "bio", "order", "is_contact"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}


AuthorFormSet = forms.inlineformset_factory(
    ChapterAuthor._meta.get_field("chapter").related_model, ChapterAuthor, form=AuthorForm, extra=1, can_delete=True)


class PermissionForm(ModelForm):
    document = forms.FileField(required=False, label="Permission document (PDF or Word)")

    class Meta:
        model = PermissionRecord
        fields = ["material", "rights_holder", "status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class FundingForm(ModelForm):
    class Meta:
        model = FundingAward
        fields = ["amount", "purpose", "status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class AccessForm(ModelForm):
    class Meta:
        model = OfficialAccess
        fields = ["officials", "status", "requested_on", "meeting_on", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2}),
                   "requested_on": forms.DateInput(attrs={"type": "date"}),
                   "meeting_on": forms.DateInput(attrs={"type": "date"})}
