"""To-do items of the selection stage: decision letters still in draft, for the editors to schedule or send."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.selection.models import DecisionLetter
from chapterhouse.selection.states import DRAFT


@contributes(EDITOR)
def letters_to_send(user, today):
    for call in calls_in_progress():
        count = DecisionLetter.objects.filter(decision__proposal__call=call, status=DRAFT).count()
        if count:
            yield Item("Selection", f"Schedule or send {count} decision letter{'s' if count != 1 else ''} for "
                       f"{call.title}", reverse("selection_page", args=[call.slug]),
                       due=milestone_dates(call).get("authors_notified"),
                       detail="Scheduled letters go out on the “authors notified” date.")
