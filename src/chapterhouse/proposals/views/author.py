"""An author's own proposals: their status and history, and withdrawing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.call.timeline import format_date, next_for_author, place
from chapterhouse.proposals.attachments import CONTENT_TYPES
from chapterhouse.proposals.editing import EditClosed, edit_proposal, edit_window
from chapterhouse.proposals.forms import ProposalEditForm
from chapterhouse.proposals.intake import SubmissionRefused
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.permissions import OWNER, proposal_for
from chapterhouse.proposals.states import ACCEPTED, WITHDRAWN
from chapterhouse.proposals.views.public import fields_at_fault, submission_from_form
from chapterhouse.selection.services import letter_for_author
from chapterhouse.workflow.transitions import history, transition_for_request


def history_for_author(proposal, user):
    """The history an author reads: the editors' reasons are for the record only and never shown here."""
    entries = history(proposal)
    for entry in entries:
        if entry.actor_id != user.pk:
            entry.reason = ""
            entry.actor_name = "The editors" if entry.actor_id else ""
    return entries


@login_required
def my_proposals(request):
    proposals = Proposal.objects.filter(contact_user=request.user).select_related("call", "theme")
    return render(request, "proposals/my_proposals.html", {"proposals": proposals})


@login_required
def my_proposal(request, reference):
    proposal = proposal_for(request.user, reference, allowed={OWNER}, queryset=Proposal.objects.select_related("call", "theme"))
    return render(
        request,
        "proposals/my_proposal.html",
        {
            "proposal": proposal,
            "authors": proposal.authors.all(),
            "history": history_for_author(proposal, request.user),
            "decision_letter": letter_for_author(proposal),
            "can_withdraw": bool(proposal.workflow.available(proposal.status, {OWNER})),
            "next_milestone": next_step(proposal, timezone.localdate()),
            "accepted": proposal.status == ACCEPTED,
            "editing": edit_window(proposal, timezone.localdate()),
        },
    )


def next_step(proposal: Proposal, today):
    """What the author waits for next: for an accepted proposal, their own next milestone (an in-progress review,
    the final chapter), never the notification that has just happened; otherwise the call's next milestone."""
    milestones = proposal.call.definition.milestones
    if proposal.status != ACCEPTED:
        return place(milestones, today).next_milestone
    ahead = next_for_author(milestones, today)
    return {"label": ahead.label, "when": format_date(ahead.date, ahead.precision)} if ahead else None


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, reference):
    """The contact author's edit of their answers while the call is open and the editors have not moved it on."""
    proposal = proposal_for(request.user, reference, allowed={OWNER}, queryset=Proposal.objects.select_related("call", "theme"))
    window = edit_window(proposal, timezone.localdate())
    if not window.open:
        messages.info(request, f"Editing closed on {window.closed_on}: {window.why}." if window.closed_on
                      else "This proposal cannot be edited now.")
        return redirect("my_proposal", reference=proposal.reference)
    status = 200
    if request.method == "POST":
        form = ProposalEditForm(proposal, request.POST)
        if form.is_valid():
            try:
                version = edit_proposal(proposal, submission_from_form(form, [], 0), request.user, timezone.localdate())
            except (SubmissionRefused, EditClosed) as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, f"Your edit is saved; the text it replaced is kept as version {version.number}.")
                return redirect("my_proposal", reference=proposal.reference)
        status = 400
    else:
        form = ProposalEditForm(proposal)
    return render(request, "proposals/my_proposal_edit.html",
                  {"proposal": proposal, "form": form, "window": window,
                   "fields_at_fault": fields_at_fault(form) if request.method == "POST" else []}, status=status)


@login_required
@require_POST
def withdraw(request, reference):
    proposal = proposal_for(request.user, reference, allowed={OWNER})
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Nothing was changed: tick “Yes, withdraw it” to confirm that you want to withdraw this proposal.")
        return redirect("my_proposal", reference=proposal.reference)
    transition_for_request(request, proposal, WITHDRAWN, {OWNER}, "{obj.reference} has been withdrawn.")
    return redirect("my_proposal", reference=proposal.reference)


@login_required
def attachment(request, reference):
    """The stored attachment, for the proposal's editors and its contact author only."""
    proposal = proposal_for(request.user, reference, allowed={OWNER, EDITOR})
    stored = getattr(proposal, "attachment", None)
    if stored is None:
        messages.info(request, "This proposal has no attachment.")
        return redirect("my_proposal" if proposal.contact_user_id == request.user.pk else "desk_proposal", reference=reference)
    # The type the server identified when it screened the file, never what the uploading browser claimed,
    # and always as a download, so a file can never be rendered as a page of this site.
    response = FileResponse(stored.file.open("rb"), as_attachment=True, filename=stored.original_name,
                            content_type=CONTENT_TYPES.get(stored.kind, "application/octet-stream"))
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
