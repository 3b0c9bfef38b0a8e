"""What a person may see of a review session and its slots: the one place that decides it.

Editors see every session and everything in it. An author sees a session only when one of its slots presents a
chapter of theirs; in it they see the programme (each presentation's chapter title, presenter, discussant,
chair and time, which the session's calendar file carries too), and, for their own chapters' slots only, the
uploaded drafts and slides, the upload form and the editors' feedback. Another presenter's files and feedback are
never handed to the page: templates receive a ``SlotForViewer`` built here, never a ``Slot``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.accounts.roles import EDITOR, roles_of
from chapterhouse.chapters.access import OWNER, chapter_roles
from chapterhouse.progress.models import ReviewSession, Slot, SlotUpload

# Who may send files for a slot and read them back: the chapter's authors and the editors.
FILE_ROLES = frozenset({OWNER, EDITOR})


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
    uploads: tuple[SlotUpload, ...]  # empty unless the viewer may read this slot's files
    feedback: str  # "" unless the viewer may read the editors' feedback on this slot
    may_upload: bool
    may_edit: bool  # editors: change the presentation and write feedback
    may_remove: bool  # editors, while it holds no files and no feedback (removing it would delete them)


def sessions_for(user):
    """Editors see every session; others the sessions with a slot for one of their chapters."""
    if not getattr(user, "is_authenticated", False):
        return ReviewSession.objects.none()
    if EDITOR in roles_of(user):
        return ReviewSession.objects.all()
    return ReviewSession.objects.filter(slots__chapter__authors__user=user).distinct()


def session_for(user, pk: int) -> ReviewSession:
    """The session if ``user`` may see it, else 404 (so others cannot learn that it exists)."""
    return get_object_or_404(sessions_for(user), pk=pk)


def slot_for(user, pk: int, allowed: set[str] | frozenset[str]) -> Slot:
    """The slot if ``user`` holds one of ``allowed`` for its chapter, else 404."""
    slot = get_object_or_404(Slot.objects.select_related("chapter", "session"), pk=pk)
    if not chapter_roles(user, slot.chapter) & allowed:
        raise Http404("No such slot.")
    return slot


def upload_for(user, pk: int) -> SlotUpload:
    """A slot's uploaded file, for its chapter's authors and the editors only; 404 for anyone else."""
    row = get_object_or_404(SlotUpload.objects.select_related("slot__chapter"), pk=pk)
    if not chapter_roles(user, row.slot.chapter) & FILE_ROLES:
        raise Http404("No such file.")
    return row


def programme_for(user, session: ReviewSession) -> list[SlotForViewer]:
    """The session's slots as ``user`` may see them (call with a session from :func:`session_for`)."""
    editor = EDITOR in roles_of(user)
    shown = []
    for slot in session.slots.select_related("chapter").prefetch_related("uploads"):
        own = OWNER in chapter_roles(user, slot.chapter)
        private = own or editor  # files and feedback: the slot's own authors and the editors
        uploads = tuple(slot.uploads.all())
        shown.append(SlotForViewer(
            pk=slot.pk, order=slot.order, chapter_title=slot.chapter.title, presenter=slot.presenter,
            discussant=slot.discussant, chair=slot.chair, starts_at=slot.starts_at, own=own,
            uploads=uploads if private else (), feedback=slot.feedback if private else "",
            may_upload=private, may_edit=editor, may_remove=editor and not uploads and not slot.feedback.strip(),
        ))
    return shown
