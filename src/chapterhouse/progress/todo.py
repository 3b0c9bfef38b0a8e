"""To-do items of the review sessions: a presenter's draft to upload by the drafts deadline; a discussant's or
chair's draft to read before the session."""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from chapterhouse.accounts.roles import AUTHOR, EDITOR, REVIEWER
from chapterhouse.accounts.todo import Item, contributes
from chapterhouse.progress.models import Slot, SlotUpload

STAGE = "Review sessions"


def upcoming_slots():
    return Slot.objects.filter(session__ends_at__gte=timezone.now()).select_related("session", "chapter")


@contributes(AUTHOR)
def drafts_to_upload(user, today):
    slots = (upcoming_slots().filter(Q(chapter__authors__user=user) | Q(presenter_user=user))
             .exclude(uploads__kind=SlotUpload.Kind.DRAFT).distinct())
    for slot in slots:
        yield Item(STAGE, f"Upload your draft of “{slot.chapter.title}” for {slot.session.title}",
                   reverse("review_session", args=[slot.session_id]), due=slot.session.drafts_due,
                   detail="It circulates to the discussant and chair before the session.")


@contributes(REVIEWER, EDITOR)
def drafts_to_read(user, today):
    for slot in upcoming_slots().filter(Q(discussant_user=user) | Q(chair_user=user)):
        part = "discuss" if slot.discussant_user_id == user.pk else "chair"
        yield Item(STAGE, f"Read the draft of “{slot.chapter.title}”, which you {part}",
                   reverse("review_session", args=[slot.session_id]), due=slot.session.starts_at.date(),
                   detail=f"{slot.session.title}, {slot.session.starts_at:%-d %B %Y}.")
