from django import forms
from chapterhouse.web.forms import Form


class CorrectionForm(Form):
    page = forms.CharField(max_length=20, label="Page", help_text="The page number printed on the page.",
                           error_messages={"required": "Give the page number."})
    line = forms.IntegerField(min_value=1, max_value=80, label="Line", help_text="Counting from the top of the page.",
                              error_messages={"required": "Give the line.", "min_value": "Lines count from 1."})
    wrong = forms.CharField(label="Wrong text", widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="Exactly as printed, with a few words around it so it is found once.",
                            error_messages={"required": "Copy the wrong text."})
    right = forms.CharField(required=False, label="Right text", widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="What it should say; leave empty to delete the wrong text.")
    comment = forms.CharField(required=False, label="Comment", widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("wrong") and " ".join(data["wrong"].split()) == " ".join(data.get("right", "").split()):
            raise forms.ValidationError("The right text is the same as the wrong text.")
        return data
