"""Forms of the review stage; the review form itself is built from the call file's rubric."""

from __future__ import annotations

from django import forms

from chapterhouse.accounts.lookup import CanonicalEmailField
from chapterhouse.review.models import ConflictDeclaration, ReviewerProfile
from chapterhouse.web.forms import Form, ModelForm


class InviteForm(Form):
    name = forms.CharField(label="Reviewer's name", max_length=200)
    email = CanonicalEmailField(label="E-mail address", help_text="The set-password link goes to this address only.")
    affiliation = forms.CharField(label="Institution", max_length=300, required=False)
    keywords = forms.CharField(label="Expertise keywords", max_length=600, required=False,
                               help_text="Separate with commas. Without expertise a reviewer matches no proposal well.")


class LoadLimit:
    """The reviewer's load, as a reviewer or an editor enters it."""

    def clean_max_load(self):
        value = self.cleaned_data["max_load"]
        if not 1 <= value <= 40:
            raise forms.ValidationError("Give a number from 1 to 40.")
        return value


class ProfileForm(LoadLimit, ModelForm):
    class Meta:
        model = ReviewerProfile
        fields = ["affiliation", "keywords", "statement", "max_load"]
        labels = {"affiliation": "Your institution"}
        widgets = {"statement": forms.Textarea(attrs={"rows": 5})}


class ExpertiseForm(LoadLimit, ModelForm):
    """What an editor knows of a reviewer's expertise, entered for them (the reviewer may refine it later)."""

    class Meta:
        model = ReviewerProfile
        fields = ["keywords", "statement", "max_load"]
        labels = {"max_load": "Most proposals they can review"}
        widgets = {"statement": forms.Textarea(attrs={"rows": 4})}


class ConflictForm(ModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["kind", "name", "email", "affiliation", "note"]
        widgets = {"kind": forms.RadioSelect}

    def clean(self):
        data = super().clean()
        if not (data.get("name") or data.get("email") or data.get("affiliation")):
            raise forms.ValidationError("Name the person (or their e-mail), or the institution.")
        return data


class ReasonForm(Form):
    reason = forms.CharField(label="Why you decline (the editors read this)", widget=forms.Textarea(attrs={"rows": 3}),
                             max_length=2000)


def review_form_class(rules):
    """A form with one scale per rubric criterion, the recommendation and the two comment boxes."""
    fields = {}
    for criterion in rules.criteria:
        choices = [(str(v), str(v)) for v in range(criterion.scale_min, criterion.scale_max + 1)]
        fields[f"score_{criterion.key}"] = forms.ChoiceField(
            label=criterion.name, choices=choices, widget=forms.RadioSelect,
            help_text=f"{criterion.description} {criterion.scale_min} = {criterion.low}; "
                      f"{criterion.scale_max} = {criterion.high}.")
    fields["recommendation"] = forms.ChoiceField(
        label="Your recommendation", widget=forms.RadioSelect,
        choices=[(r.key, r.label) for r in rules.recommendations])
    fields["comments_to_author"] = forms.CharField(
        label="Comments the author may read", widget=forms.Textarea(attrs={"rows": 6}), max_length=10000,
        help_text="Sent with the decision letter, without your name.")
    fields["comments_to_editors"] = forms.CharField(
        label="Comments to the editors only", widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=10000)
    return type("ReviewForm", (Form,), fields)
