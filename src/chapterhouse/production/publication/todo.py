"""To-do item of the publication record, for editors and production: once chapters are final, the record's
ISBNs are wanted before the galley proofs (the copyright page prints them)."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import EDITOR, PRODUCTION
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import FINAL
from chapterhouse.production.publication.models import PublicationRecord

STAGE, DUE = "Production", "galley_proofs"


@contributes(EDITOR, PRODUCTION)
def records_to_complete(user, today):
    for call in calls_in_progress():
        if not Chapter.objects.filter(call=call, status=FINAL).exists():
            continue
        record = PublicationRecord.objects.filter(call=call).first()
        if record is None or not record.isbn_print:
            yield Item(STAGE, f"Complete the publication record of {call.title} (ISBNs, rights, part introductions)",
                       reverse("publication_record", args=[call.slug]), due=milestone_dates(call).get(DUE))

