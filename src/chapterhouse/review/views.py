"""Review pages: the editors' reviewers, affinity matrix and assignment; the reviewers' home, profile and form."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.roles import EDITOR, REVIEWER, role_required
from chapterhouse.call.models import Call
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.permissions import proposal_for
from chapterhouse.review import invitation, services
from chapterhouse.review.forms import (ConflictForm, ExpertiseForm, InviteForm, ProfileForm, ReasonForm,
                                      review_form_class)
from chapterhouse.review.models import (AssignmentPair, AssignmentRun, ConflictDeclaration, Review, ReviewAssignment,
                                        ReviewerProfile)
from chapterhouse.review.states import ASSIGNED, DECLINED, SUBMITTED
from chapterhouse.review.visibility import (
    AttachmentWithheld, assignment_for_reviewer, attachment_for_reviewer, proposal_for_reviewer,
)
from chapterhouse.workflow.transitions import TransitionNotAllowed, record_event, transition


def _base_url(request) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _posted_reviewer(request):
    value = request.POST.get("reviewer", "")
    return services.reviewers().filter(pk=int(value)).first() if value.isdigit() else None


# -- editors ---------------------------------------------------------------------------------------------

@role_required(EDITOR)
def reviewers(request):
    people = list(services.reviewers())
    loads = {}
    for item in ReviewAssignment.objects.filter(status__in=(ASSIGNED, SUBMITTED)).values_list("reviewer_id", flat=True):
        loads[item] = loads.get(item, 0) + 1
    answered = invitation.answers([person.reviewer_profile for person in people])
    for person in people:
        person.open_load = loads.get(person.pk, 0)
        person.invitation_answer = answered.get(person.reviewer_profile.pk)
        person.conflict_count = person.declared_conflicts.count()
    return render(request, "review/reviewers.html", {"people": people, "form": InviteForm(), "call": Call.objects.first()})


@role_required(EDITOR)
@require_POST
def invite(request):
    form = InviteForm(request.POST)
    if form.is_valid():
        details = dict(form.cleaned_data)
        keywords = details.pop("keywords")
        try:
            with transaction.atomic():
                user = services.invite_reviewer(by=request.user, base_url=_base_url(request), **details)
                if keywords and not user.reviewer_profile.keywords:
                    _save_expertise(user.reviewer_profile, request.user, keywords=keywords)
        except services.InvitationRefused as refusal:
            form.add_error("email", str(refusal))
        else:
            messages.success(request, f"Invitation sent to {user.email}.")
            return redirect("review_reviewers")
    return render(request, "review/reviewers.html", {"people": services.reviewers(), "form": form,
                                                     "call": Call.objects.first()}, status=400)


def _save_expertise(profile: ReviewerProfile, by, **values) -> None:
    """Saves what an editor entered of a reviewer's expertise, with an audit row naming what changed."""
    changed = [name for name, value in values.items() if getattr(profile, name) != value]
    for name in changed:
        setattr(profile, name, values[name])
    if changed:
        profile.save(update_fields=changed)
        record_event(profile, by, "Expertise entered by an editor", "Changed: " + ", ".join(changed) + ".")


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def reviewer_expertise(request, pk):
    """An editor enters a reviewer's expertise (a reviewer with none gets zero affinity everywhere)."""
    person = get_object_or_404(services.reviewers(), pk=pk)
    profile = person.reviewer_profile
    form = ExpertiseForm(request.POST or None, instance=ReviewerProfile.objects.get(pk=profile.pk))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            _save_expertise(profile, request.user, **{name: form.cleaned_data[name] for name in form.Meta.fields})
        messages.success(request, f"Expertise of {person.get_full_name() or person.username} saved; re-run the assignment to use it.")
        return redirect("review_reviewers")
    return render(request, "review/reviewer_expertise.html", {"person": person, "form": form},
                  status=400 if form.errors else 200)


@role_required(EDITOR)
def assignment_page(request, slug):
    call = get_object_or_404(Call, slug=slug)
    runs = list(AssignmentRun.objects.filter(call=call)[:2])
    latest = runs[0] if runs else None
    problem, lookup = services.build_problem(call)
    proposals, people = list(lookup["proposals"].values()), list(lookup["reviewers"].values())
    conflicts = {tuple(pair) for pair in problem["conflicts"]}
    detected = {}
    if latest:
        detected = {(c["proposal"], c["reviewer"]): c["reason"] for c in latest.result.get("conflicts_applied", [])}
    chosen = latest.pairs if latest and latest.feasible else set()
    pins = {tuple(p) for p in problem["pinned"]}
    forbids = {tuple(p) for p in problem["forbidden"]}
    rows = []
    for proposal in proposals:
        cells = []
        for user in people:
            pair = (proposal.reference, services.reviewer_key(user))
            cells.append({"score": lookup["scores"].get((proposal.pk, user.pk), 0), "chosen": pair in chosen,
                          "pinned": pair in pins, "forbidden": pair in forbids,
                          "conflict": detected.get(pair) or ("declared conflict" if pair in conflicts else "")})
        rows.append((proposal, cells))
    return render(request, "review/assignment.html", {
        "call": call, "rows": rows, "people": people, "latest": latest,
        "changes": services.changes(runs[1] if len(runs) > 1 else None, latest) if latest else None,
        "rules": call.definition.review,
        "marks": AssignmentPair.objects.filter(proposal__call=call).select_related("proposal", "reviewer"),
    })


@role_required(EDITOR)
@require_POST
def assignment_run(request, slug):
    call = get_object_or_404(Call, slug=slug)
    objective = request.POST.get("objective", "total")
    if objective not in ("total", "fair"):
        objective = "total"
    run = services.run_assignment(call, request.user, objective)
    if run.feasible:
        messages.success(request, f"Assignment found: {len(run.pairs)} reviews.")
    else:
        messages.error(request, "No assignment exists: " + run.result["infeasible"]["reason"])
    return redirect("review_assignment", slug=call.slug)


@role_required(EDITOR)
@require_POST
def assignment_pair(request, slug):
    call = get_object_or_404(Call, slug=slug)
    proposal = Proposal.objects.filter(call=call, reference=request.POST.get("proposal", "")).first()
    reviewer = _posted_reviewer(request)
    kind = request.POST.get("kind", "")
    if proposal is None or reviewer is None or kind not in ("pin", "forbid", "clear"):
        messages.error(request, "Choose a proposal, a reviewer, and pin, forbid or clear.")
        return redirect("review_assignment", slug=call.slug)
    with transaction.atomic():
        AssignmentPair.objects.filter(proposal=proposal, reviewer=reviewer).delete()
        if kind != "clear":
            AssignmentPair.objects.create(proposal=proposal, reviewer=reviewer, kind=kind)
    label = {"pin": "pinned", "forbid": "forbidden", "clear": "cleared"}[kind]
    messages.success(request, f"{proposal.reference} and {reviewer.get_full_name() or reviewer.username}: {label}. Re-run to see the effect.")
    return redirect("review_assignment", slug=call.slug)


@role_required(EDITOR)
@require_POST
def assignment_apply(request, slug, run_id):
    run = get_object_or_404(AssignmentRun, pk=run_id, call__slug=slug)
    if not run.feasible:
        messages.error(request, "This run found no assignment; there is nothing to apply.")
    else:
        count = services.apply_run(run, request.user, _base_url(request))
        messages.success(request, f"{count} new assignments made; each reviewer has been told.")
    return redirect("review_assignment", slug=slug)


@role_required(EDITOR)
def proposal_reviews(request, reference):
    proposal = proposal_for(request.user, reference, allowed={EDITOR},
                            queryset=Proposal.objects.select_related("call", "theme"))
    rules = proposal.call.definition.review
    items = list(proposal.review_assignments.select_related("reviewer").order_by("pk"))
    reviews = {r.assignment_id: r for r in Review.objects.filter(assignment__in=items)}
    for item in items:
        item.the_review = reviews.get(item.pk)
        if item.the_review:
            found = rules.recommendation(item.the_review.recommendation)
            item.recommendation_label = found.label if found else item.the_review.recommendation
            item.score_rows = [(c.name, item.the_review.scores.get(c.key)) for c in rules.criteria]
    split = services.disagreement(proposal)
    return render(request, "review/proposal_reviews.html", {
        "proposal": proposal, "items": items, "disagreement": split, "rules": rules,
        "suggestions": services.third_reviewer_suggestions(proposal) if split else [],
    })


@role_required(EDITOR)
@require_POST
def add_reviewer(request, reference):
    proposal = proposal_for(request.user, reference, allowed={EDITOR})
    reviewer = _posted_reviewer(request)
    refused = services.not_eligible(proposal, reviewer) if reviewer is not None else None
    if reviewer is None:
        messages.error(request, "Choose a reviewer.")
    elif refused:
        messages.error(request, f"{reviewer.get_full_name() or reviewer.username} cannot review {proposal.reference}: {refused}.")
    else:
        services.add_reviewer(proposal, reviewer, request.user)
        messages.success(request, f"{reviewer.get_full_name() or reviewer.username} now reviews {proposal.reference}.")
    return redirect("review_proposal_reviews", reference=proposal.reference)


# -- reviewers -------------------------------------------------------------------------------------------

def _profile(user) -> ReviewerProfile:
    return ReviewerProfile.objects.get_or_create(user=user)[0]


@role_required(REVIEWER)
def reviewer_home(request):
    items = (ReviewAssignment.objects.filter(reviewer=request.user).exclude(status="withdrawn")
             .select_related("proposal__theme").order_by("status", "due_on"))
    profile = _profile(request.user)
    return render(request, "review/home.html", {"items": items, "profile": profile,
                                                "needs_profile": not profile.expertise_text})


@role_required(REVIEWER)
@require_http_methods(["GET", "POST"])
def reviewer_invitation(request):
    """The page the invitation mail links to: the reviewer accepts or declines reviewing for the call (audited)."""
    profile = _profile(request.user)
    if request.method == "POST":
        choice = request.POST.get("answer", "")
        if choice in ("accept", "decline"):
            invitation.answer(profile, request.user, choice == "accept", request.POST.get("note", "").strip()[:2000])
            messages.success(request, "Thank you: the editors can see your answer." if choice == "accept"
                             else "You declined; the editors can see your answer and your note.")
            return redirect("reviewer_invitation")
        messages.error(request, "Choose “Accept” or “Decline”.")
    return render(request, "review/invitation.html", {
        "profile": profile, "call": Call.objects.first(), "current": invitation.answers([profile]).get(profile.pk)})


@role_required(REVIEWER)
@require_http_methods(["GET", "POST"])
def reviewer_profile(request):
    profile = _profile(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Your expertise and load are saved.")
        return redirect("reviewer_profile")
    return render(request, "review/profile.html", {
        "form": form, "conflict_form": ConflictForm(prefix="conflict"),
        "conflicts": ConflictDeclaration.objects.filter(reviewer=request.user)}, status=400 if form.errors else 200)


@role_required(REVIEWER)
@require_POST
def conflict_add(request):
    form = ConflictForm(request.POST, prefix="conflict")
    if form.is_valid():
        declaration = form.save(commit=False)
        declaration.reviewer = request.user
        declaration.save()
        messages.success(request, "Conflict recorded: you will not be assigned proposals by that person or institution.")
        return redirect("reviewer_profile")
    return render(request, "review/profile.html", {
        "form": ProfileForm(instance=_profile(request.user)), "conflict_form": form,
        "conflicts": ConflictDeclaration.objects.filter(reviewer=request.user)}, status=400)


@role_required(REVIEWER)
@require_POST
def conflict_delete(request, pk):
    get_object_or_404(ConflictDeclaration, pk=pk, reviewer=request.user).delete()
    messages.success(request, "Conflict removed.")
    return redirect("reviewer_profile")


@role_required(REVIEWER)
@require_http_methods(["GET", "POST"])
def review_form(request, pk):
    item = assignment_for_reviewer(request.user, pk)
    rules = item.proposal.call.definition.review
    existing = getattr(item, "review", None)
    initial = {}
    if existing:
        initial = {f"score_{k}": str(v) for k, v in existing.scores.items()}
        initial.update(recommendation=existing.recommendation, comments_to_author=existing.comments_to_author,
                       comments_to_editors=existing.comments_to_editors)
    form = review_form_class(rules)(request.POST or None, initial=initial)
    editable = item.status == ASSIGNED
    if request.method == "POST" and editable and form.is_valid():
        data = form.cleaned_data
        services.submit_review(item, {c.key: int(data[f"score_{c.key}"]) for c in rules.criteria},
                               data["recommendation"], data["comments_to_author"], data["comments_to_editors"],
                               request.user)
        messages.success(request, f"Thank you: your review of {item.proposal.reference} is with the editors.")
        return redirect("reviewer_home")
    mine = None
    if existing and not editable:  # the reviewer's own review, to read back once it is sent
        found = rules.recommendation(existing.recommendation)
        mine = {"review": existing, "recommendation": found.label if found else existing.recommendation,
                "scores": [(c.name, existing.scores.get(c.key), c.scale_max) for c in rules.criteria]}
    return render(request, "review/review_form.html", {
        "item": item, "proposal": proposal_for_reviewer(item), "form": form, "editable": editable, "mine": mine,
        "decline_form": ReasonForm(), "fields_at_fault": [(form[n].id_for_label, form[n].label) for n in form.errors if n != "__all__"],
    }, status=400 if form.errors else 200)


@role_required(REVIEWER)
def review_attachment(request, pk):
    item = assignment_for_reviewer(request.user, pk)
    try:
        data, name, content_type = attachment_for_reviewer(item)
    except AttachmentWithheld as withheld:
        messages.error(request, str(withheld))
        return redirect("review_form", pk=item.pk)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(REVIEWER)
@require_POST
def review_decline(request, pk):
    item = assignment_for_reviewer(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why you decline; the editors need it to find another reviewer.")
        return redirect("review_form", pk=item.pk)
    try:
        transition(item, DECLINED, request.user, {"reviewer"}, form.cleaned_data["reason"])
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect("review_form", pk=item.pk)
    messages.success(request, f"You declined {item.proposal.reference}; the editors will assign someone else.")
    return redirect("reviewer_home")
