"""The public proposal form and its receipt."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from chapterhouse.call.models import Call
from chapterhouse.call.timeline import format_date
from chapterhouse.proposals.forms import ProposalForm, author_formset_class
from chapterhouse.proposals.intake import Submission, SubmissionRefused, submit_proposal
from chapterhouse.proposals.models import Proposal
from chapterhouse.web.ratelimit import limit_public_mail
from chapterhouse.web.storagefull import STATUS as STORAGE_FULL, refused_for_full_storage

RECEIPTS_SESSION_KEY = "proposal_receipts"


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _authors_from(formset) -> list[dict]:
    return [
        {key: form.cleaned_data[key] for key in ("name", "email", "affiliation", "bio")}
        for form in formset.forms
        if form.cleaned_data
    ]


def submission_from_form(form: ProposalForm, authors: list[dict], contact_index: int) -> Submission:
    data = form.cleaned_data
    upload = data.get("attachment")
    return Submission(
        title=data["title"].strip(),
        theme=data["theme"],
        abstract=data["abstract"],
        keywords=data["keywords"],
        authors=authors,
        contact_index=contact_index,
        builds_on_existing_work=form.answered_yes("builds_on_existing_work"),
        existing_work_details=data.get("existing_work_details", ""),
        permission_status=data.get("permission_status", "") if form.answered_yes("builds_on_existing_work") else "",
        funding_requested=form.answered_yes("funding_requested"),
        funding_amount=data.get("funding_amount"),
        funding_justification=data.get("funding_justification", ""),
        access_requested=form.answered_yes("access_requested"),
        access_offices=data.get("access_offices", ""),
        access_reason=data.get("access_reason", ""),
        attachment_name=upload.name if upload else "",
        attachment_bytes=form.attachment_bytes,
        inspected_attachment=form.inspected_attachment,
        token=data.get("submission_token") or "",
    )


def fields_at_fault(form, formset=None) -> list[tuple[str, str]]:
    """(element id, label) of every field with an error, for the summary's links at the top of the form."""
    fields = [(form[name].id_for_label, form[name].label) for name in form.errors if name != "__all__"]
    for number, author_form in enumerate(formset.forms if formset is not None else [], start=1):
        fields += [(author_form[name].id_for_label, f"Author {number}: {author_form[name].label}")
                   for name in author_form.errors if name != "__all__"]
    return fields


def _contact_choice(request) -> int:
    try:
        return max(1, int(request.POST.get("contact", 1)))
    except (TypeError, ValueError):
        return 1


@require_http_methods(["GET", "POST"])
def propose(request, slug):
    call = get_object_or_404(Call, slug=slug)
    today = timezone.localdate()
    if not call.accepting_proposals(today):
        return render(
            request,
            "proposals/closed.html",
            {"call": call, "not_yet_open": today < call.opens_on, "opens_on": format_date(call.opens_on),
             "closes_on": format_date(call.closes_on)},
            status=403 if request.method == "POST" else 200,
        )
    rules = call.definition.proposals
    AuthorFormSet = author_formset_class(rules.max_authors)
    author_kwargs = {"bio_max_words": rules.bio_max_words}
    status = 200
    retry_after = None
    if request.method == "POST":
        form = ProposalForm(call, request.POST, request.FILES)
        formset = AuthorFormSet(request.POST, prefix="authors", form_kwargs=author_kwargs)
        if request.POST.get("website"):
            return render(request, "proposals/not_accepted.html", {"call": call}, status=400)
        forms_valid = form.is_valid() & formset.is_valid()  # both, so every error shows at once
        authors = _authors_from(formset) if formset.is_valid() else []
        contact_index = (form.cleaned_data.get("contact") or 1) - 1 if forms_valid else 0
        if forms_valid and not 0 <= contact_index < len(authors):
            form.add_error(None, "Choose which author is the contact author.")
            forms_valid = False
        refused = forms_valid and limit_public_mail(request, "proposal-submit", [a["email"] for a in authors],
                                                    settings.CHAPTERHOUSE_SUBMISSION_RATE)
        if refused:
            sent = f"naming {refused.address} as an author" if refused.address else "from your address"
            form.add_error(None, f"Too many proposals {sent} have been sent in the last hour. Nothing was saved; your "
                                 f"text is kept below. You can submit again {refused.again()}.")
            status = 429
            retry_after = refused.wait
        elif forms_valid:
            try:
                proposal = submit_proposal(call, submission_from_form(form, authors, contact_index), _base_url(request))
            except SubmissionRefused as refusal:
                form.add_error(None, str(refusal))
            except Exception as error:
                if not refused_for_full_storage(request, error, form):
                    raise
                status = STORAGE_FULL
            else:
                receipts = [r for r in request.session.get(RECEIPTS_SESSION_KEY, []) if r != proposal.reference]
                request.session[RECEIPTS_SESSION_KEY] = (receipts + [proposal.reference])[-20:]
                if proposal.repeated:
                    messages.info(request, "This form was already sent: here is the receipt of the proposal it stored. "
                                           "Nothing was stored or sent a second time.")
                return redirect("proposal_receipt", reference=proposal.reference)
        status = 400 if status == 200 else status
    else:
        form = ProposalForm(call)
        formset = AuthorFormSet(prefix="authors", form_kwargs=author_kwargs)
    response = render(
        request,
        "proposals/propose.html",
        {
            "call": call,
            "definition": call.definition,
            "form": form,
            "formset": formset,
            "closes_on": format_date(call.closes_on),
            "attachment_lost": request.method == "POST" and bool(request.FILES.get("attachment")),
            "max_upload_mb": settings.CHAPTERHOUSE_MAX_UPLOAD_MB,
            "contact_choice": _contact_choice(request),
            "fields_at_fault": fields_at_fault(form, formset) if request.method == "POST" else [],
        },
        status=status,
    )
    if retry_after:
        response["Retry-After"] = str(retry_after)
    return response


def receipt(request, reference):
    """Shown only in the browser session that submitted the proposal: the reference is not a password."""
    if reference not in request.session.get(RECEIPTS_SESSION_KEY, []):
        raise Http404("No receipt for this proposal in your session.")
    proposal = get_object_or_404(Proposal.objects.select_related("call", "theme"), reference=reference)
    return render(
        request, "proposals/receipt.html",
        {"proposal": proposal, "authors": proposal.authors.all(), "call": proposal.call},
    )
