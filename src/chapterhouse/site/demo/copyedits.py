"""Demo data for the copyedit: production sends the copyedit of each chapter of the open call already accepted as
final, through the same service the copyedit page uses, so the demo author has a copyedit to approve or answer.
Idempotent: a chapter that has a copyedit round is left alone."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import PRODUCTION
from chapterhouse.call.models import Call
from chapterhouse.chapters.states import FINAL
from chapterhouse.production.lineedit.rounds import upload_copyedit

NOTE = "House style applied throughout; please check that the case names in notes 2 and 4 read as you intend."


def seed_copyedits(call: Call) -> int:
    production = get_user_model().objects.filter(groups__name=PRODUCTION).order_by("pk").first()
    sent = 0
    for chapter in call.chapters.filter(status=FINAL, copyedits__isnull=True):
        final = chapter.final_version
        with final.file.open("rb") as handle:
            data = handle.read()
        upload_copyedit(chapter, data, f"copyedit-{chapter.pk}.docx", NOTE, production, {PRODUCTION})
        sent += 1
    return sent
