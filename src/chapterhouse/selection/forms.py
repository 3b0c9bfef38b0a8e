from django import forms

from chapterhouse.selection.models import Decision
from chapterhouse.web.forms import ModelForm


class DecisionForm(ModelForm):
    class Meta:
        model = Decision
        fields = ["kind", "internal_reason", "author_message"]
        widgets = {"kind": forms.RadioSelect, "internal_reason": forms.Textarea(attrs={"rows": 3}),
                   "author_message": forms.Textarea(attrs={"rows": 5})}
        labels = {"kind": "Decision"}
        help_texts = {"internal_reason": "Kept in the history for the editors. The author never sees it.",
                      "author_message": "Goes into the letter as {{ message }}; the author reads it."}
