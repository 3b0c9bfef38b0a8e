"""The public proposal form: every field the call asks for, with limits read from the call file."""

from __future__ import annotations

import secrets
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator

from chapterhouse.accounts.lookup import CanonicalEmailField
from chapterhouse.call.models import Call
from chapterhouse.proposals.attachments import AttachmentRefused, inspect_attachment
from chapterhouse.proposals.editing import answers_of
from chapterhouse.proposals.models import PermissionStatus
from chapterhouse.web.uploads import OversizeUpload
from chapterhouse.web.forms import Form, single_line

YES_NO = [("no", "No"), ("yes", "Yes")]
# Text limits in characters as well as words: 110 "words" of 15,000 characters each is not an abstract.
CHARACTERS_PER_WORD = 15
LONG_ANSWER_CHARACTERS = 5000


def word_count(text: str) -> int:
    return len(text.split())


def _words_between(text: str, low: int, high: int, what: str) -> None:
    count = word_count(text)
    if count < low:
        raise forms.ValidationError(f"{what} has {count} words; the call asks for at least {low}.")
    if count > high:
        raise forms.ValidationError(f"{what} has {count} words; the call allows at most {high}. Shorten it by {count - high}.")


def cap_characters(field: forms.CharField, limit: int) -> None:
    """A character limit set after the field was made (it depends on the call), enforced and shown to browsers."""
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def required(message: str) -> dict:
    return {"required": message}


class ProposalForm(Form):
    title = forms.CharField(max_length=300, validators=[single_line], label="Proposed chapter title", error_messages=required("Give the chapter a title."))
    theme = forms.ChoiceField(widget=forms.RadioSelect, label="Theme", error_messages=required("Choose the theme the chapter belongs to."))
    abstract = forms.CharField(widget=forms.Textarea(attrs={"rows": 12}), label="Abstract", error_messages=required("Write the abstract."))
    keywords = forms.CharField(
        max_length=600, validators=[single_line], label="Keywords", help_text="Separate keywords with commas.", error_messages=required("Give at least one keyword.")
    )
    builds_on_existing_work = forms.ChoiceField(
        choices=YES_NO, widget=forms.RadioSelect, initial="no",
        label="Does the chapter build on existing, ongoing or already published work?",
    )
    existing_work_details = forms.CharField(
        required=False, max_length=LONG_ANSWER_CHARACTERS, widget=forms.Textarea(attrs={"rows": 3}), label="Which work, and where was it published?"
    )
    permission_status = forms.ChoiceField(
        required=False, choices=[("", "— choose —"), *PermissionStatus.choices], label="Status of permissions for it"
    )
    funding_requested = forms.ChoiceField(
        choices=YES_NO, widget=forms.RadioSelect, initial="no", label="Do you request funding to complete or update the research?"
    )
    funding_amount = forms.DecimalField(
        required=False, max_digits=10, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))],
        label="Amount requested (US$)",
    )
    funding_justification = forms.CharField(
        required=False, max_length=LONG_ANSWER_CHARACTERS, widget=forms.Textarea(attrs={"rows": 3}), label="What the funding would pay for"
    )
    access_requested = forms.ChoiceField(
        choices=YES_NO, widget=forms.RadioSelect, initial="no", label="Do you request access to officials?"
    )
    access_offices = forms.CharField(
        required=False, max_length=LONG_ANSWER_CHARACTERS, widget=forms.Textarea(attrs={"rows": 2}), label="Which offices or officials"
    )
    access_reason = forms.CharField(
        required=False, max_length=LONG_ANSWER_CHARACTERS, widget=forms.Textarea(attrs={"rows": 3}), label="Why the research needs them"
    )
    attachment = forms.FileField(
        required=False, label="Attachment (optional)",
        help_text="A .docx or .pdf: an outline, a draft, or the published work the chapter builds on.",
    )
    attest_unclassified = forms.BooleanField(
        label="I confirm this submission is unclassified and contains no CUI or sensitive information.",
        error_messages=required("Tick this box to confirm the submission is unclassified and holds no CUI."),
    )
    contact = forms.IntegerField(min_value=1, initial=1, widget=forms.HiddenInput, required=False)
    # One-time token issued with the empty form: a repeated POST of the same form finds the first proposal.
    submission_token = forms.RegexField(regex=r"^[A-Za-z0-9_-]{20,64}$", required=False, widget=forms.HiddenInput)
    # Honeypot: hidden from people by CSS and aria-hidden; bots that fill every field give themselves away.
    website = forms.CharField(required=False, label="Leave this field empty")

    def __init__(self, call: Call, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        rules = call.definition.proposals
        self.rules = rules
        self.fields["theme"].choices = [(t.slug, t.name) for t in call.definition.themes]
        self.fields["theme"].help_text = "Each theme's guiding questions are on the call page."
        self.fields["abstract"].help_text = f"{rules.abstract_min_words}–{rules.abstract_max_words} words."
        cap_characters(self.fields["abstract"], rules.abstract_max_words * CHARACTERS_PER_WORD)
        self.fields["keywords"].help_text = f"Up to {rules.max_keywords}, separated by commas."
        self.fields["attest_unclassified"].label = f"I confirm: {rules.attestation}"
        self.fields["attachment"].help_text = (
            f"{' or '.join('.' + k for k in rules.attachment_formats)}, up to {settings.CHAPTERHOUSE_MAX_UPLOAD_MB} MB: "
            "an outline, a draft, or the published work the chapter builds on."
        )
        if not rules.existing_work_allowed:
            for name in ("builds_on_existing_work", "existing_work_details", "permission_status"):
                del self.fields[name]
        if not rules.funding_available:
            for name in ("funding_requested", "funding_amount", "funding_justification"):
                del self.fields[name]
        if not rules.official_access_available:
            for name in ("access_requested", "access_offices", "access_reason"):
                del self.fields[name]
        self.inspected_attachment = None
        self.attachment_bytes = None
        if not self.is_bound:
            self.initial["submission_token"] = secrets.token_urlsafe(24)

    def clean_abstract(self):
        abstract = self.cleaned_data["abstract"].strip()
        _words_between(abstract, self.rules.abstract_min_words, self.rules.abstract_max_words, "The abstract")
        return abstract

    def clean_keywords(self):
        keywords = [k.strip() for k in self.cleaned_data["keywords"].split(",") if k.strip()]
        if not keywords:
            raise forms.ValidationError("Give at least one keyword.")
        if len(keywords) > self.rules.max_keywords:
            raise forms.ValidationError(f"{len(keywords)} keywords given; the call allows {self.rules.max_keywords}.")
        return ", ".join(keywords)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        limit = settings.CHAPTERHOUSE_MAX_UPLOAD_MB * 1024 * 1024
        if isinstance(upload, OversizeUpload):
            raise forms.ValidationError(
                f"“{upload.name}” is {upload.size / 1_048_576:.1f} MB; the limit is {settings.CHAPTERHOUSE_MAX_UPLOAD_MB} MB."
            )
        data = upload.read()
        self.attachment_bytes = data  # read once; intake stores these same bytes after screening
        try:
            self.inspected_attachment = inspect_attachment(upload.name, data, list(self.rules.attachment_formats), limit)
        except AttachmentRefused as refusal:
            raise forms.ValidationError(str(refusal)) from None
        return upload

    def clean(self):
        data = super().clean()
        required_when = [
            ("builds_on_existing_work", ["existing_work_details", "permission_status"]),
            ("funding_requested", ["funding_amount", "funding_justification"]),
            ("access_requested", ["access_offices", "access_reason"]),
        ]
        for switch, dependents in required_when:
            if data.get(switch) == "yes":
                for name in dependents:
                    if data.get(name) in (None, ""):
                        self.add_error(name, "Required when you answer “Yes” above.")
        return data

    def answered_yes(self, name: str) -> bool:
        return self.cleaned_data.get(name) == "yes"


class AuthorForm(Form):
    name = forms.CharField(max_length=200, validators=[single_line], label="Full name", error_messages=required("Enter the author's name."))
    email = CanonicalEmailField(label="E-mail", error_messages={**required("Enter the author's e-mail address."),
                                                             "invalid": "Enter an e-mail address like name@example.org."})
    affiliation = forms.CharField(max_length=300, validators=[single_line], label="Affiliation", error_messages=required("Enter the author's affiliation."))
    bio = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Short biography",
                          error_messages=required("Write a short biography of the author."))

    def __init__(self, *args, bio_max_words: int = 150, **kwargs):
        super().__init__(*args, **kwargs)
        self.bio_max_words = bio_max_words
        self.fields["bio"].help_text = f"Up to {bio_max_words} words."
        cap_characters(self.fields["bio"], bio_max_words * CHARACTERS_PER_WORD)

    def clean_bio(self):
        bio = self.cleaned_data["bio"].strip()
        _words_between(bio, 1, self.bio_max_words, "The biography")
        return bio


class BaseAuthorFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_few_forms": "Name at least %(num)d author.",
        "too_many_forms": "The call allows at most %(num)d authors.",
    }

    def clean(self):
        if any(self.errors):
            return
        emails = [f.cleaned_data["email"] for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]
        if len(emails) != len(set(emails)):
            raise forms.ValidationError("Two authors have the same e-mail address; each author needs their own.")


def author_formset_class(max_authors: int):
    return forms.formset_factory(
        AuthorForm, formset=BaseAuthorFormSet, extra=0, min_num=1, validate_min=True,
        max_num=max_authors, validate_max=True, absolute_max=max_authors,
    )


class ProposalEditForm(ProposalForm):
    """The public form's own fields and rules for an author's edit; the authors and attachment stay as sent."""

    NOT_EDITED = ("attachment", "contact", "submission_token", "website")

    def __init__(self, proposal, *args, **kwargs):
        super().__init__(proposal.call, *args, **kwargs)
        for name in self.NOT_EDITED:
            del self.fields[name]
        if not self.is_bound:
            answers = answers_of(proposal)
            for switch in ("builds_on_existing_work", "funding_requested", "access_requested"):
                answers[switch] = "yes" if answers[switch] else "no"
            self.initial.update({name: value for name, value in answers.items() if name in self.fields})
