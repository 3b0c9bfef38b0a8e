"""Editors plan review sessions and their programme."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import EDITOR, REVIEWER
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import WITHDRAWN
from chapterhouse.progress.models import ReviewSession, Slot
from chapterhouse.web.forms import ModelForm

LOCAL_DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SessionForm(ModelForm):
    video_link = forms.URLField(required=False, assume_scheme="https", label="Video link")

    class Meta:
        model = ReviewSession
        fields = ["title", "starts_at", "ends_at", "place", "video_link", "event_name", "chatham_house", "drafts_due",
                  "notes"]
        widgets = {"starts_at": LOCAL_DATETIME, "ends_at": LOCAL_DATETIME,
                   "drafts_due": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"chatham_house": "The Chatham House rule applies"}

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", "The session must end after it starts.")
        return data


class PersonChoice(forms.ModelChoiceField):
    """An account, shown by name and address so two people with one name can be told apart."""

    def label_from_instance(self, user) -> str:
        name = user.get_full_name().strip() or user.username
        return f"{name} <{user.email}>" if user.email else name


def active_users():
    return get_user_model().objects.filter(is_active=True).order_by("first_name", "last_name", "username")


class SlotForm(ModelForm):
    """Participants are the project's accounts: the presenter one of the chapter's authors, the discussant and the
    chair editors or reviewers."""

    presenter_user = PersonChoice(queryset=None, label="Presenter (one of the chapter's authors)",
                                  empty_label="Choose the presenter")
    discussant_user = PersonChoice(queryset=None, required=False, label="Discussant (an editor or reviewer)",
                                   empty_label="Nobody yet")
    chair_user = PersonChoice(queryset=None, required=False, label="Chair (an editor or reviewer)",
                              empty_label="Nobody yet")

    class Meta:
        model = Slot
        fields = ["chapter", "order", "presenter_user", "discussant_user", "chair_user", "starts_at"]
        widgets = {"starts_at": LOCAL_DATETIME}

    def __init__(self, *args, session: ReviewSession, **kwargs):
        super().__init__(*args, **kwargs)
        chapters = Chapter.objects.filter(call=session.call).exclude(status=WITHDRAWN)
        self.fields["chapter"].queryset = chapters
        self.fields["order"].initial = session.slots.count() + 1
        self.fields["presenter_user"].queryset = active_users().filter(
            chapter_authorships__chapter__in=chapters).distinct()
        readers = active_users().filter(groups__name__in=[EDITOR, REVIEWER]).distinct()
        self.fields["discussant_user"].queryset = readers
        self.fields["chair_user"].queryset = readers

    def clean(self):
        data = super().clean()
        chapter, presenter = data.get("chapter"), data.get("presenter_user")
        if chapter and presenter and not chapter.authors.filter(user=presenter).exists():
            self.add_error("presenter_user", f"{self.fields['presenter_user'].label_from_instance(presenter)} is not "
                                             f"an author of “{chapter.title}”: choose one of its authors.")
        return data
