"""To-do items of the review stage: a reviewer's reviews to write; the editors' overdue reviews and the proposals
whose reviews are all in and wait for a decision."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse

from chapterhouse.accounts.roles import EDITOR, REVIEWER
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import UNDER_REVIEW
from chapterhouse.review.models import ReviewAssignment
from chapterhouse.review.states import ASSIGNED, SUBMITTED


@contributes(REVIEWER)
def reviews_to_write(user, today):
    for item in ReviewAssignment.objects.filter(reviewer=user, status=ASSIGNED).select_related("proposal"):
        yield Item("Reviews", f"Review {item.proposal.reference}: {item.proposal.title}",
                   reverse("review_form", args=[item.pk]), due=item.due_on)


@contributes(EDITOR)
def reviews_overdue_and_proposals_to_decide(user, today):
    for call in calls_in_progress():
        late = ReviewAssignment.objects.filter(proposal__call=call, status=ASSIGNED, due_on__lt=today)
        if late.exists():
            count = late.count()
            yield Item("Reviews", f"{count} review{'s are' if count != 1 else ' is'} overdue in {call.title}",
                       reverse("review_assignment", args=[call.slug]), due=min(a.due_on for a in late),
                       detail="Remind the reviewer, or withdraw the assignment and add another reviewer.")
        reviewed = (Proposal.objects.filter(call=call, status=UNDER_REVIEW, decision__isnull=True)
                    .annotate(open=Count("review_assignments", filter=Q(review_assignments__status=ASSIGNED)),
                              done=Count("review_assignments", filter=Q(review_assignments__status=SUBMITTED)))
                    .filter(open=0, done__gt=0).count())
        if reviewed:
            yield Item("Selection", f"Decide on {reviewed} fully reviewed proposal{'s' if reviewed != 1 else ''} "
                       f"in {call.title}", reverse("selection_page", args=[call.slug]),
                       due=milestone_dates(call).get("authors_notified"),
                       detail="Run the selection or decide each one on the desk.")
