"""Editors plan review sessions and their programme."""

from __future__ import annotations

from django import forms

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


class SlotForm(ModelForm):
    class Meta:
        model = Slot
        fields = ["chapter", "order", "presenter", "discussant", "chair", "starts_at"]
        widgets = {"starts_at": LOCAL_DATETIME}

    def __init__(self, *args, session: ReviewSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = Chapter.objects.filter(call=session.call).exclude(status=WITHDRAWN)
        self.fields["order"].initial = session.slots.count() + 1
