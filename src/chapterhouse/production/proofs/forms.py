from django import forms
from chapterhouse.web.forms import Form


class CorrectionForm(Form):
    page = forms.CharField(max_length=20, label="Page", help_text="The page number printed on the page.",
                           error_messages={"required": "Give the page number."})
    wrong = forms.CharField(label="Wrong text", widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="Exactly as printed, with a few words around it so it is found once: this is "
                                      "what finds the place.",
                            error_messages={"required": "Copy the wrong text."})
    right = forms.CharField(required=False, label="Right text", widget=forms.Textarea(attrs={"rows": 2}),
                            help_text="What it should say; leave empty to delete the wrong text.")
    line = forms.IntegerField(required=False, min_value=1, max_value=80, label="Line (optional)",
                              help_text="The line on the page, counting from the top, if you counted.",
                              error_messages={"min_value": "Lines count from 1.",
                                              "max_value": "A page has at most 80 lines."})
    comment = forms.CharField(required=False, label="Comment", widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("wrong") and " ".join(data["wrong"].split()) == " ".join(data.get("right", "").split()):
            raise forms.ValidationError("The right text is the same as the wrong text.")
        return data
