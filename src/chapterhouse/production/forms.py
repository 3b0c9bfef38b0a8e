"""Forms of the production pages: the cover upload and the editors' front-matter texts."""

from __future__ import annotations

from django import forms

from chapterhouse.production.models import FrontMatterText
from chapterhouse.web.forms import Form, ModelForm

MAX_COVER_BYTES = 40 * 1024 * 1024


class CoverForm(Form):
    image = forms.FileField(label="Front cover image (PNG or JPEG)",
                            help_text="At least the trim size at 300 dpi, e.g. 1,800 × 2,700 pixels for 6 × 9 in.")
    description = forms.CharField(label="Text alternative", max_length=300,
                                  help_text="What the cover shows, for readers who cannot see it.")

    def clean_image(self):
        upload = self.cleaned_data["image"]
        if upload.size > MAX_COVER_BYTES:
            raise forms.ValidationError(f"The file is {upload.size / 1024 / 1024:.0f} MB; the limit is 40 MB.")
        return upload


class FullCoverForm(Form):
    pdf = forms.FileField(label="Full cover (PDF: back, spine and front on one page, with bleed)",
                          help_text="Its size must match the one computed from the latest build's page count.")


class FrontMatterForm(ModelForm):
    class Meta:
        model = FrontMatterText
        fields = ["title", "authors", "body", "order"]
        labels = {"title": "Title (e.g. Foreword, Preface, Acknowledgments)", "authors": "Signed by",
                  "body": "Text", "order": "Position among the front matter"}
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
