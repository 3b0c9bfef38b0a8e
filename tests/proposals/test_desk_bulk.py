"""Bulk moves on the desk: one confirmation listing what will move; each move through transition(), audited."""

import pytest
from django.urls import reverse

from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import DECLINED, SUBMITTED, UNDER_REVIEW
from chapterhouse.workflow.models import AuditEntry
from chapterhouse.workflow.transitions import transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(people, make_proposal):
    made = [make_proposal(people["author_a"], title=f"Proposal number {n} on offsets") for n in range(3)]
    transition(made[2], UNDER_REVIEW, people["editor"], {"editor"})
    return made


def statuses():
    return dict(Proposal.objects.values_list("reference", "status"))


def test_the_confirmation_lists_what_moves_and_what_cannot_and_moves_nothing(client, people, call, three):
    client.force_login(people["editor"])
    refs = [p.reference for p in three]
    page = client.get(reverse("desk_bulk", args=[call.slug]), {"action": "start_review", "ref": refs}).content.decode()
    movable = page[page.index('data-testid="bulk-movable"'):page.index("</ul>", page.index('data-testid="bulk-movable"'))]
    refused = page[page.index('data-testid="bulk-refused"'):]
    assert refs[0] in movable and refs[1] in movable and refs[2] not in movable
    assert refs[2] in refused and "it is “Under review”; only proposals still “Submitted”" in refused
    assert statuses()[refs[0]] == SUBMITTED


def test_confirming_moves_each_through_transition_with_an_audit_row(client, people, call, three):
    client.force_login(people["editor"])
    refs = [three[0].reference, three[1].reference]
    response = client.post(reverse("desk_bulk", args=[call.slug]), {
        "action": "start_review", "ref": refs,
        f"from-{refs[0]}": SUBMITTED, f"from-{refs[1]}": SUBMITTED}, follow=True)
    assert statuses()[refs[0]] == statuses()[refs[1]] == UNDER_REVIEW
    assert AuditEntry.objects.filter(object_id__in=[three[0].pk, three[1].pk], to_state=UNDER_REVIEW,
                                     actor=people["editor"]).count() == 2
    assert f"2 proposals now “Under review”: {refs[0]}, {refs[1]}." in response.content.decode()


def test_a_decline_needs_a_reason_and_keeps_the_choice_when_it_is_missing(client, people, call, three):
    client.force_login(people["editor"])
    ref = three[0].reference
    data = {"action": "decline", "ref": [ref], f"from-{ref}": SUBMITTED}
    page = client.post(reverse("desk_bulk", args=[call.slug]), data).content.decode()
    assert "needs a reason" in page and f'name="ref" value="{ref}"' in page and statuses()[ref] == SUBMITTED
    client.post(reverse("desk_bulk", args=[call.slug]), {**data, "reason": "Outside the call's scope."})
    assert statuses()[ref] == DECLINED
    assert AuditEntry.objects.get(object_id=three[0].pk, to_state=DECLINED).reason == "Outside the call's scope."


def test_a_proposal_moved_meanwhile_is_named_as_refused(client, people, call, three):
    client.force_login(people["editor"])
    ref = three[0].reference
    transition(three[0], UNDER_REVIEW, people["editor"], {"editor"})  # a colleague, after the confirmation page
    response = client.post(reverse("desk_bulk", args=[call.slug]), {
        "action": "decline", "ref": [ref], f"from-{ref}": SUBMITTED, "reason": "Duplicate."}, follow=True)
    assert f"{ref} was not moved" in response.content.decode()
    assert statuses()[ref] == UNDER_REVIEW


def test_nothing_chosen_or_an_unknown_action_is_answered_on_the_list(client, people, call, three):
    client.force_login(people["editor"])
    for data in ({"action": "start_review"}, {"action": "accept", "ref": [three[0].reference]}):
        assert "Choose at least one" in client.get(reverse("desk_bulk", args=[call.slug]), data, follow=True).content.decode()
        response = client.post(reverse("desk_bulk", args=[call.slug]), data, follow=True)
        assert "Choose at least one proposal" in response.content.decode()
    assert statuses()[three[0].reference] == SUBMITTED
