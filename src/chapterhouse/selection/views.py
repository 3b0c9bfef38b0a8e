"""Selection pages: the solver's proposal with quotas, runner-ups and run comparison; decisions; letters; and
the author's own decision letter."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.roles import EDITOR, role_required
from chapterhouse.call.models import Call
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.permissions import OWNER, proposal_for
from chapterhouse.review.summaries import ReviewSummary, review_summaries
from chapterhouse.selection import services
from chapterhouse.selection.forms import DecisionForm
from chapterhouse.selection.models import Decision, DecisionLetter, SelectionMark, SelectionRun
from chapterhouse.selection.states import DRAFT, SCHEDULED, SENT
from chapterhouse.workflow.transitions import TransitionNotAllowed, transition


PAGE_SIZE = 100  # rows of the proposals in review, and of the decisions: a call of 2,000 is 20 pages, not one


def _run_view(run: SelectionRun | None, titles: dict[str, str]) -> dict | None:
    """A run as the page shows it: per theme the quota, the count, the reason, the selected and runner-ups."""
    if run is None:
        return None
    result = run.result
    scores = {p["id"]: p["score"] for p in run.problem["proposals"]}
    selected = set(result.get("selected", []))
    themes = []
    for theme in run.problem["themes"]:
        count = result.get("by_theme", {}).get(theme["id"], 0)
        chosen = [p["id"] for p in run.problem["proposals"] if p["theme"] == theme["id"] and p["id"] in selected]
        scale = max(theme["max"], count, 1)
        themes.append({
            "id": theme["id"], "name": theme["name"], "min": theme["min"], "max": theme["max"], "count": count,
            "why": result.get("why", {}).get(theme["id"], ""),
            "selected": [(ref, titles.get(ref, ""), scores.get(ref)) for ref in chosen],
            "runner_ups": [(ref, titles.get(ref, ""), scores.get(ref)) for ref in result.get("runner_ups", {}).get(theme["id"], [])],
            "fill": round(100 * count / scale), "band_left": round(100 * theme["min"] / scale),
            "band_width": round(100 * (theme["max"] - theme["min"]) / scale),
            "state": "met" if theme["min"] <= count <= theme["max"] else "short",
        })
    return {"run": run, "themes": themes, "selected": selected,
            "shortfalls": result.get("shortfalls", [])}


def _count(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


@role_required(EDITOR)
def selection_page(request, slug):
    call = get_object_or_404(Call, slug=slug)
    runs = list(SelectionRun.objects.filter(call=call))
    by_number = {str(r.number): r for r in runs}
    left = by_number.get(request.GET.get("a", "")) or (runs[0] if runs else None)
    right = by_number.get(request.GET.get("b", ""))
    titles = _titles(call, [run for run in (left, right) if run])
    page = Paginator(services.candidates(call), PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = list(page)
    scores = services.review_scores(proposals)
    marks = {m.proposal_id: m.kind for m in SelectionMark.objects.filter(proposal__in=proposals)}
    summaries = review_summaries(proposals, call.definition.review)
    address = reverse("review_proposal_reviews", args=["X0-0000"])  # once a page, the reference put in per row
    for proposal in proposals:
        proposal.reviews_url = address.replace("X0-0000", proposal.reference)
        proposal.score = scores.get(proposal.pk)
        proposal.reviews = summaries.get(proposal.pk, ReviewSummary())
        proposal.mark = marks.get(proposal.pk, "")
    compare = None
    if left and right and left != right:
        a, b = set(left.result.get("selected", [])), set(right.result.get("selected", []))
        compare = {"only_left": sorted(a - b), "only_right": sorted(b - a), "both": len(a & b)}
    decisions = Paginator(Decision.objects.filter(proposal__call=call).select_related("proposal", "letter")
                          .order_by("proposal__number"), PAGE_SIZE).get_page(request.GET.get("decisions"))
    return render(request, "selection/selection.html", {
        "call": call, "runs": runs, "left": _run_view(left, titles), "right": _run_view(right, titles),
        "compare": compare, "page": page, "proposals": proposals, "rules": call.definition.selection,
        "decisions": decisions, "hand": services.decisions_state(call).now,
        "query_without_page": _query_without(request, "page"),
        "query_without_decisions": _query_without(request, "decisions"),
    })


def _titles(call: Call, runs: list[SelectionRun]) -> dict[str, str]:
    """The titles of the proposals the shown runs name (selected and runner-ups), not of the whole call."""
    named = set()
    for run in runs:
        named.update(run.result.get("selected", []))
        for refs in run.result.get("runner_ups", {}).values():
            named.update(refs)
    return dict(Proposal.objects.filter(call=call, reference__in=named).values_list("reference", "title"))


def _query_without(request, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@role_required(EDITOR)
@require_POST
def selection_run(request, slug):
    call = get_object_or_404(Call, slug=slug)
    run = services.run_selection(call, request.user)
    if run.feasible and run.result.get("shortfalls"):
        short = "; ".join(item["message"] for item in run.result["shortfalls"])
        messages.warning(request, f"Run {run.number}: {_count(len(run.result['selected']), 'proposal')} selected, the "
                                  f"best the rules allow; short of the minimums: {short}. See below what would close it.")
    elif run.feasible:
        messages.success(request, f"Run {run.number}: {_count(len(run.result['selected']), 'proposal')} selected.")
    else:
        messages.error(request, f"Run {run.number}: no selection exists. {run.result['infeasible']['reason']}")
    return redirect("selection_page", slug=call.slug)


@role_required(EDITOR)
@require_POST
def selection_mark(request, slug):
    call = get_object_or_404(Call, slug=slug)
    proposal = get_object_or_404(Proposal, call=call, reference=request.POST.get("proposal", ""))
    kind = request.POST.get("kind", "")
    if kind not in ("pin", "exclude", "clear"):
        messages.error(request, "Choose pin, exclude or clear.")
        return redirect("selection_page", slug=call.slug)
    with transaction.atomic():
        SelectionMark.objects.filter(proposal=proposal).delete()
        if kind != "clear":
            SelectionMark.objects.create(proposal=proposal, kind=kind)
    messages.success(request, f"{proposal.reference}: {dict(pin='pinned', exclude='excluded', clear='no mark')[kind]}. Re-run to see the effect.")
    return redirect("selection_page", slug=call.slug)


@role_required(EDITOR)
@require_POST
def selection_commit(request, slug, number):
    run = get_object_or_404(SelectionRun, call__slug=slug, number=number)
    if not run.feasible:
        messages.error(request, "This run found no selection; there is nothing to commit.")
    else:
        committed = services.commit_run(run, request.user)
        messages.success(request, f"Run {run.number} committed: {committed.drafted} draft decisions. Review them, then schedule the letters.")
        if committed.kept_edited:
            messages.warning(request, f"Kept as you saved them (edited by hand): {', '.join(committed.kept_edited)}. "
                                      "Change them on their decision pages if the run should apply.")
        if committed.kept_lettered:
            messages.warning(request, f"Not changed, because their letter is scheduled or sent: {', '.join(committed.kept_lettered)}.")
    return redirect("selection_page", slug=slug)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def decision_edit(request, reference):
    proposal = proposal_for(request.user, reference, allowed={EDITOR}, queryset=Proposal.objects.select_related("call", "theme"))
    decision = Decision.objects.filter(proposal=proposal).first() or Decision(proposal=proposal, kind="decline")
    letter = getattr(decision, "letter", None) if decision.pk else None
    locked = letter is not None and letter.status == SENT
    form = DecisionForm(request.POST or None, instance=decision)
    if request.method == "POST" and not locked and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.decided_by = request.user
            saved.from_run = None  # the editor's own decision now: a later commit of a run leaves it alone
            saved.save()
            DecisionLetter.objects.get_or_create(decision=saved)
        messages.success(request, f"Decision on {proposal.reference} saved.")
        if saved.kind in services.ACCEPTING:
            for text in services.decisions_state(proposal.call).now.broken:
                messages.warning(request, f"The accepted proposals break a rule. {text}")
        return redirect("decision_edit", reference=proposal.reference)
    preview = services.render_letter(decision) if decision.pk else None
    return render(request, "selection/decision.html", {
        "proposal": proposal, "form": form, "decision": decision, "letter": letter, "locked": locked,
        "preview": preview, "notify_on": services.notification_date(proposal.call),
        "rules": _with_and_without(proposal),
    }, status=400 if form.errors else 200)


def _with_and_without(proposal: Proposal) -> dict:
    """The rule state with this proposal left out and with it accepted, row by row, so the editor sees what
    accepting it does before saving (counted by the checker the solver's answers pass)."""
    without = services.decisions_state(proposal.call, leave_out=proposal.reference).now
    with_it = services.decisions_state(proposal.call, accept=proposal.reference).now
    themes = [{"name": a.name, "quota": a.quota, "without": a, "with": b, "mine": a.id == proposal.theme.slug}
              for a, b in zip(without.themes, with_it.themes)]
    return {"themes": themes, "without": without, "with": with_it,
            "breaks": [text for text in with_it.broken if text not in without.broken]}


@role_required(EDITOR)
@require_POST
def letter_action(request, reference):
    proposal = proposal_for(request.user, reference, allowed={EDITOR})
    letter = get_object_or_404(DecisionLetter, decision__proposal=proposal)
    action = request.POST.get("action", "")
    try:
        if action == "schedule" and letter.status == DRAFT:
            services.schedule(letter, request.user)
            messages.success(request, f"Letter scheduled for {letter.send_on:%d %B %Y}; the worker sends it that day.")
        elif action == "send":
            if services.send_letter(letter, request.user):
                messages.success(request, f"Letter on {proposal.reference} sent to every author.")
        elif action == "unschedule" and letter.status == SCHEDULED:
            transition(letter, DRAFT, request.user, {"editor"})
            messages.success(request, "Letter back to draft.")
        else:
            messages.error(request, "That cannot be done to this letter now.")
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    return redirect("decision_edit", reference=proposal.reference)


@role_required(EDITOR)
@require_POST
def letters_schedule_all(request, slug):
    call = get_object_or_404(Call, slug=slug)
    drafts = DecisionLetter.objects.filter(decision__proposal__call=call, status=DRAFT)
    count = 0
    for letter in drafts:
        services.schedule(letter, request.user)
        count += 1
    when = services.notification_date(call)
    messages.success(request, f"{count} letters scheduled" + (f" for {when:%d %B %Y}." if when else "."))
    return redirect("selection_page", slug=call.slug)


@login_required
def my_decision(request, reference):
    """The author's decision letter, once sent; before that, a 404 like any proposal not theirs."""
    proposal = proposal_for(request.user, reference, allowed={OWNER})
    letter = services.letter_for_author(proposal)
    if letter is None:
        raise Http404("No decision letter yet.")
    return render(request, "selection/my_decision.html", {"proposal": proposal, "letter": letter})
