"""The editors' desk: every proposal of a call, one proposal in full, and the moves an editor can make."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.urls import reverse
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, role_required
from chapterhouse.call.models import Call
from chapterhouse.proposals.desk import FLAGS, SORTS, DeskFilters, csv_export, desk_queryset, duplicates_in_call, theme_chart
from chapterhouse.proposals.models import Proposal, ScreeningResult
from chapterhouse.proposals.permissions import proposal_for
from chapterhouse.proposals.states import ACCEPTED, ALTERNATE, DECLINED, PROPOSAL_WORKFLOW
from chapterhouse.outbox.mail import messages_about, resend
from chapterhouse.review.summaries import review_summaries
from chapterhouse.selection.services import review_scores
from chapterhouse.workflow.transitions import history, record_event, transition_for_request

PAGE_SIZE = 50
DECIDED = {ACCEPTED, ALTERNATE, DECLINED}  # states an author hears of in a decision letter


@role_required(EDITOR)
def desk_home(request):
    call = Call.objects.first()
    if call is None:
        return render(request, "proposals/desk_empty.html")
    return redirect("desk_list", slug=call.slug)


@role_required(EDITOR)
def desk_list(request, slug):
    call = get_object_or_404(Call, slug=slug)
    filters = DeskFilters.from_query(request.GET, call)
    page = Paginator(desk_queryset(call, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    duplicates = duplicates_in_call(call, among=[proposal.pk for proposal in page])
    # Per row, what the template would otherwise work out 50 times over: the address (one reverse() for the
    # page, not two a row) and whether there is an attachment (an absent one-to-one raises, and the template
    # engine's fallback for that runs dir() on the row).
    address = reverse("desk_proposal", args=["X0-0000"])  # a reference the converter takes, replaced below
    for proposal in page:
        proposal.duplicate_of = duplicates.get(proposal.reference, [])
        proposal.desk_url = address.replace("X0-0000", proposal.reference)
        proposal.has_attachment = hasattr(proposal, "attachment")
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "proposals/desk_list.html",
        {
            "call": call,
            "calls": Call.objects.only("slug", "title"),
            "filters": filters,
            "page": page,
            "bars": theme_chart(call),
            "themes": call.definition.themes,
            "statuses": PROPOSAL_WORKFLOW.choices(),
            "flags": [(key, label) for key, (label, _) in FLAGS.items()],
            "sorts": [(key, label) for key, (label, _) in SORTS.items()],
            "query_without_page": query.urlencode(),
        },
    )


@role_required(EDITOR)
def desk_csv(request, slug):
    call = get_object_or_404(Call, slug=slug)
    filters = DeskFilters.from_query(request.GET, call)
    proposals = list(desk_queryset(call, filters).select_related("decision"))
    export = csv_export(proposals, review_scores(proposals), review_summaries(proposals, call.definition.review))
    response = HttpResponse(export, content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-proposals-{stamp}.csv"'
    return response


@role_required(EDITOR)
def desk_proposal(request, reference):
    proposal = proposal_for(
        request.user, reference, allowed={EDITOR},
        # The attachment and the selection's decision (one-to-one, possibly absent) in the same read.
        queryset=Proposal.objects.select_related("call", "theme", "suggested_theme", "contact_user", "attachment",
                                                 "decision"),
    )
    screenings = {s.kind: s for s in proposal.screenings.all()}
    decision = getattr(proposal, "decision", None)  # the selection stage's, when there is one
    return render(
        request,
        "proposals/desk_proposal.html",
        {
            "proposal": proposal,
            "authors": proposal.authors.all(),
            "attachment": getattr(proposal, "attachment", None),
            "markings": screenings.get(ScreeningResult.Kind.MARKINGS),
            "scope": screenings.get(ScreeningResult.Kind.SCOPE),
            "theme_fit": screenings.get(ScreeningResult.Kind.THEME_FIT),
            "anonymity": screenings.get(ScreeningResult.Kind.ANONYMITY),
            "history": history(proposal),
            "moves": proposal.workflow.available(proposal.status, {EDITOR}),
            "mail": messages_about(proposal).order_by("-created_at", "-pk"),
            "decision": decision,
            "letter": getattr(decision, "letter", None),
            "duplicate_of": duplicates_in_call(proposal.call, among=[proposal.pk]).get(proposal.reference, []),
            "versions": proposal.versions.all(),
        },
    )


@role_required(EDITOR)
@require_POST
def desk_mail_resend(request, reference, message_id):
    """Queues a fresh copy of one message about this proposal, to the address it was stored with; audited."""
    proposal = proposal_for(request.user, reference, allowed={EDITOR})
    message = get_object_or_404(messages_about(proposal), pk=message_id)
    with transaction.atomic():
        copy = resend(message)
        record_event(proposal, request.user, "Mail resent", f"“{message.subject}” to {message.to} (message {message.pk}, copy {copy.pk}).")
    messages.success(request, f"“{message.subject}” will be sent again to {message.to}.")
    return redirect(reverse("desk_proposal", kwargs={"reference": proposal.reference}) + "#mail")


@role_required(EDITOR)
@require_POST
def desk_transition(request, reference):
    proposal = proposal_for(request.user, reference, allowed={EDITOR})
    transition_for_request(request, proposal, request.POST.get("to", ""), {EDITOR}, "{obj.reference} is now “{obj.status_label}”.")
    letter = getattr(getattr(proposal, "decision", None), "letter", None)
    if letter is not None and letter.sent_at is None and proposal.status in DECIDED:
        messages.info(request, "The author has not been told yet: write and send the decision letter (Decision panel).")
    return redirect("desk_proposal", reference=proposal.reference)
