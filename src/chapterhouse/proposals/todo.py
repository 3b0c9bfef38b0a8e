"""To-do items of the proposal stage: new proposals for the editors to screen; an author's proposals waiting for
the editors' decision (nothing to do but to know when it comes)."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import AUTHOR, EDITOR
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import SUBMITTED, UNDER_REVIEW


@contributes(EDITOR)
def proposals_to_screen(user, today):
    for call in calls_in_progress():
        count = Proposal.objects.filter(call=call, status=SUBMITTED).count()
        if count:
            yield Item("Proposals", f"Screen {count} new proposal{'s' if count != 1 else ''} for {call.title}",
                       reverse("desk_list", args=[call.slug]) + f"?status={SUBMITTED}",
                       due=milestone_dates(call).get("proposals_close"),
                       detail="Start review or decline each one without review.")


@contributes(AUTHOR)
def proposals_waiting_for_a_decision(user, today):
    for proposal in (Proposal.objects.filter(contact_user=user, status__in=(SUBMITTED, UNDER_REVIEW))
                     .select_related("call")):
        yield Item("Proposals", f"Your proposal “{proposal.title}” is {proposal.status_label.lower()}",
                   reverse("my_proposal", args=[proposal.reference]),
                   due=milestone_dates(proposal.call).get("authors_notified"),
                   detail="Nothing to do: the editors' decision comes to you by e-mail by this date.")
