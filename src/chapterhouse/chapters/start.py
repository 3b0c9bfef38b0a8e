"""An accepted proposal becomes a chapter: the one place that turns one into the other."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from chapterhouse.chapters.models import Chapter, ChapterAuthor
from chapterhouse.workflow.transitions import record_creation


def start_chapter(proposal, by) -> Chapter:
    """The chapter for ``proposal``, created with its authors on first call; later calls return the same one.

    The contact author's account is linked so they find the chapter after log-in; co-authors are linked by an
    editor (their typed e-mail addresses were never confirmed by them).
    """
    with transaction.atomic():
        existing = Chapter.objects.select_for_update().filter(proposal=proposal).first()
        if existing is not None:
            return existing
        last = Chapter.objects.filter(call_id=proposal.call_id, theme_id=proposal.theme_id).aggregate(m=Max("order"))
        chapter = Chapter.objects.create(
            call_id=proposal.call_id, proposal=proposal, theme_id=proposal.theme_id, title=proposal.title,
            abstract=proposal.abstract, order=(last["m"] or 0) + 1,
        )
        ChapterAuthor.objects.bulk_create(
            ChapterAuthor(chapter=chapter, user_id=proposal.contact_user_id if author.is_contact else None,
                          name=author.name, email=author.email, affiliation=author.affiliation, bio=author.bio,
                          order=author.position, is_contact=author.is_contact)
            for author in proposal.authors.all()
        )
        record_creation(chapter, by, f"Chapter started from proposal {proposal.reference}")
        return chapter
