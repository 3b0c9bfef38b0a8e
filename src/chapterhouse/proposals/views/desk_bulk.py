"""Bulk moves on the desk: several proposals started on review, or declined without review, at once.

The list sends the chosen references here; this answers with one confirmation page naming what will move and what
cannot (and why); confirming moves each one through ``transition()`` (each audited) and names any refused then.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from chapterhouse.accounts.roles import EDITOR, role_required
from chapterhouse.call.models import Call
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import DECLINED, PROPOSAL_WORKFLOW, SUBMITTED, UNDER_REVIEW
from chapterhouse.workflow.transitions import TransitionNotAllowed, transition

BULK_MOVES = {"start_review": UNDER_REVIEW, "decline": DECLINED}
EDITOR_ROLES = {EDITOR}


def _plan(proposals, target):
    """(movable, refused) where refused pairs a proposal with why it cannot make the move from where it is."""
    movable, refused = [], []
    for proposal in proposals:
        if proposal.status == SUBMITTED:  # both bulk moves start from "Submitted" (no review yet)
            movable.append(proposal)
        else:
            refused.append((proposal, f"it is “{proposal.status_label}”; only proposals still “Submitted” can make this move."))
    return movable, refused


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def desk_bulk(request, slug):
    """GET (the list's form): the confirmation page, which changes nothing. POST (its button): the moves."""
    call = get_object_or_404(Call, slug=slug)
    data = request.POST if request.method == "POST" else request.GET
    target = BULK_MOVES.get(data.get("action", ""))
    references = data.getlist("ref")
    if target is None or not references:
        messages.error(request, "Choose at least one proposal (the boxes in the first column) and an action.")
        return redirect("desk_list", slug=call.slug)
    proposals = list(Proposal.objects.filter(call=call, reference__in=references).order_by("number"))
    move = PROPOSAL_WORKFLOW.transitions[(SUBMITTED, target)]
    movable, refused = _plan(proposals, target)
    reason = data.get("reason", "").strip()
    error = ""
    if request.method == "POST":
        if not (move.needs_reason and not reason):
            return _apply(request, call, movable, refused, target, reason)
        error = f"Say why: “{move.label}” needs a reason, which is kept in each proposal's history."
    return render(request, "proposals/desk_bulk_confirm.html", {
        "call": call, "move": move, "action": data.get("action"), "movable": movable, "refused": refused,
        "reason": reason, "error": error, "target_label": PROPOSAL_WORKFLOW.label(target),
    }, status=400 if error else 200)


def _apply(request, call, movable, refused, target, reason):
    moved = []
    for proposal in movable:
        try:
            transition(proposal, target, request.user, EDITOR_ROLES, reason,
                       expected_from=request.POST.get(f"from-{proposal.reference}", ""))
        except TransitionNotAllowed as refusal:
            refused.append((proposal, str(refusal)))
        else:
            moved.append(proposal.reference)
    label = PROPOSAL_WORKFLOW.label(target)
    if moved:
        messages.success(request, f"{len(moved)} proposal{'s' if len(moved) != 1 else ''} now “{label}”: {', '.join(moved)}.")
    for proposal, why in refused:
        messages.error(request, f"{proposal.reference} was not moved: {why}")
    return redirect("desk_list", slug=call.slug)
