"""What a person may see of a review session and its slots: the one place that decides it.

Editors see every session and everything in it. An author sees a session only when one of its slots presents a
chapter of theirs; in it they see the programme (each presentation's chapter title, presenter, discussant,
chair and time, which the session's calendar file carries too), and, for their own chapters' slots only, the
uploaded drafts and slides, the upload form and the editors' feedback. The discussant and the chair of a slot (accounts
chosen by the editors) see the session and read that slot's uploaded drafts and slides, never its feedback, and
upload nothing. Another presenter's files and feedback are never handed to the page: templates receive a
``SlotForViewer`` built here, never a ``Slot``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.accounts.roles import EDITOR, roles_of
from chapterhouse.chapters.access import OWNER, chapter_roles
from chapterhouse.progress.models import ReviewSession, Slot, SlotUpload

DISCUSSANT = "discussant"
CHAIR = "chair"
# Who may send files for a slot and read them back: the chapter's authors and the editors.
FILE_ROLES = frozenset({OWNER, EDITOR})
# Who may read a slot's files: those, and the slot's discussant and chair, who respond to the draft.
READ_ROLES = FILE_ROLES | {DISCUSSANT, CHAIR}


@dataclass(frozen=True)
class SlotForViewer:
    pk: int
    order: int
    chapter_title: str
    presenter: str
    discussant: str
    chair: str
    starts_at: dt.datetime | None
    own: bool  # the viewer is an author of this slot's chapter
    part: str  # "discussant", "chair" or "": the viewer's part in this slot besides presenting
    uploads: tuple[SlotUpload, ...]  # empty unless the viewer may read this slot's files
    feedback: str  # "" unless the viewer may read the editors' feedback on this slot
    may_upload: bool
    may_edit: bool  # editors: change the presentation and write feedback
    may_remove: bool  # editors, while it holds no files and no feedback (removing it would delete them)


def sessions_for(user):
    """Editors see every session; others the sessions with a slot for one of their chapters or one they discuss,
    chair or present."""
    if not getattr(user, "is_authenticated", False):
        return ReviewSession.objects.none()
    if EDITOR in roles_of(user):
        return ReviewSession.objects.all()
    takes_part = (Q(slots__chapter__authors__user=user) | Q(slots__presenter_user=user)
                  | Q(slots__discussant_user=user) | Q(slots__chair_user=user))
    return ReviewSession.objects.filter(pk__in=ReviewSession.objects.filter(takes_part).values("pk"))


def slot_roles(user, slot: Slot) -> set[str]:
    """``user``'s roles for this slot: the chapter's (owner, editor, …) and discussant or chair."""
    roles = chapter_roles(user, slot.chapter)
    if getattr(user, "is_authenticated", False):
        if slot.discussant_user_id == user.pk:
            roles.add(DISCUSSANT)
        if slot.chair_user_id == user.pk:
            roles.add(CHAIR)
    return roles


def session_for(user, pk: int) -> ReviewSession:
    """The session if ``user`` may see it, else 404 (so others cannot learn that it exists)."""
    return get_object_or_404(sessions_for(user), pk=pk)


def slot_for(user, pk: int, allowed: set[str] | frozenset[str]) -> Slot:
    """The slot if ``user`` holds one of ``allowed`` for its chapter, else 404."""
    slot = get_object_or_404(Slot.objects.select_related("chapter", "session"), pk=pk)
    if not slot_roles(user, slot) & allowed:
        raise Http404("No such slot.")
    return slot


def upload_for(user, pk: int) -> SlotUpload:
    """A slot's uploaded file, for its chapter's authors, its discussant and chair and the editors; 404 for anyone
    else."""
    row = get_object_or_404(SlotUpload.objects.select_related("slot__chapter"), pk=pk)
    if not slot_roles(user, row.slot) & READ_ROLES:
        raise Http404("No such file.")
    return row


def programme_for(user, session: ReviewSession) -> list[SlotForViewer]:
    """The session's slots as ``user`` may see them (call with a session from :func:`session_for`)."""
    editor = EDITOR in roles_of(user)
    shown = []
    related = ("chapter", "presenter_user", "discussant_user", "chair_user")
    for slot in session.slots.select_related(*related).prefetch_related("uploads"):
        roles = slot_roles(user, slot)
        own = OWNER in roles
        private = own or editor  # feedback and uploading: the slot's own authors and the editors
        uploads = tuple(slot.uploads.all())
        part = DISCUSSANT if DISCUSSANT in roles else CHAIR if CHAIR in roles else ""
        shown.append(SlotForViewer(
            pk=slot.pk, order=slot.order, chapter_title=slot.chapter.title, presenter=slot.presenter_name,
            discussant=slot.discussant_name, chair=slot.chair_name, starts_at=slot.starts_at, own=own, part=part,
            uploads=uploads if roles & READ_ROLES else (), feedback=slot.feedback if private else "",
            may_upload=private, may_edit=editor, may_remove=editor and not uploads and not slot.feedback.strip(),
        ))
    return shown
