"""To-do items of the copyedit: an author's copyedit to approve or whose queries to answer; production's chapters
to copyedit and authors' answers to act on. Copyedits are due before the galley proofs go out."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import AUTHOR, PRODUCTION
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import FINAL
from chapterhouse.production.lineedit.models import CopyeditRound
from chapterhouse.production.lineedit.states import ANSWERED, WITH_AUTHOR

STAGE, DUE = "Copyedit", "galley_proofs"


@contributes(AUTHOR)
def copyedits_to_answer(user, today):
    rounds = (CopyeditRound.objects.filter(chapter__authors__user=user, status=WITH_AUTHOR,
                                           chapter__call__in=calls_in_progress())
              .distinct().select_related("chapter__call"))
    for round_ in rounds:
        yield Item(STAGE, f"Approve the copyedit of “{round_.chapter.title}” or answer its queries",
                   reverse("my_copyedit", args=[round_.chapter_id]), due=milestone_dates(round_.chapter.call).get(DUE))


@contributes(PRODUCTION)
def copyedits_to_do(user, today):
    for call in calls_in_progress():
        due = milestone_dates(call).get(DUE)
        url = reverse("copyedit_chapters", args=[call.slug])
        for chapter in Chapter.objects.filter(call=call, status=FINAL, copyedits__isnull=True):
            yield Item(STAGE, f"Copyedit “{chapter.title}” and send it to the author", url, due=due)
        for round_ in CopyeditRound.objects.filter(chapter__call=call, status=ANSWERED).select_related("chapter"):
            yield Item(STAGE, f"Read the author's answers on “{round_.chapter.title}” and send the revised copyedit",
                       url, due=due)
