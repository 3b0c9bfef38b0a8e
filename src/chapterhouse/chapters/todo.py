"""To-do items of the chapter stage: an author's chapter to send or revise (with the editors' feedback to
answer), by its current deadline; the chapters waiting for the editors to read them."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import AUTHOR, EDITOR
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes
from chapterhouse.chapters.deadlines import current_deadline
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import REVISING, SUBMITTED, WRITING

AUTHOR_STEP = {WRITING: ("Write and send your chapter “{}”", "Upload it; the checker reports before you send."),
               REVISING: ("Answer the editors' feedback on “{}”", "Upload the revision with a response letter.")}


@contributes(AUTHOR)
def chapters_due(user, today):
    chapters = (Chapter.objects.filter(authors__user=user, status__in=AUTHOR_STEP, call__in=calls_in_progress())
                .distinct().select_related("call").prefetch_related("extensions"))
    for chapter in chapters:
        text, detail = AUTHOR_STEP[chapter.status]
        deadline = current_deadline(chapter)
        yield Item("Chapters", text.format(chapter.title), reverse("chapter", args=[chapter.pk]),
                   due=deadline.due_on if deadline else None, detail=detail)


@contributes(EDITOR)
def chapters_to_read(user, today):
    chapters = (Chapter.objects.filter(status=SUBMITTED, call__in=calls_in_progress()).select_related("call")
                .prefetch_related("extensions"))
    for chapter in chapters:
        deadline = current_deadline(chapter)
        yield Item("Chapters", f"Read “{chapter.title}” and send feedback", reverse("chapter_feedback", args=[chapter.pk]),
                   due=deadline.due_on if deadline else None, detail="Ask for revisions or accept it as final.")
