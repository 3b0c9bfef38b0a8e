"""Selection, decisions and letters apart from the pages: scores from reviews, solver runs, committing a run
as decisions, rendering letters from the call's templates and sending them (now, or by the worker on the
call's notification date)."""

from __future__ import annotations

import json
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from chapterhouse.call.models import Call
from chapterhouse.call.timeline import format_date, next_for_author
from chapterhouse.outbox.mail import queue_mail
from chapterhouse.proposals.models import Proposal, ScreeningResult
from chapterhouse.proposals.states import ACCEPTED, ALTERNATE, DECLINED, UNDER_REVIEW
from chapterhouse.review.models import Review
from chapterhouse.review.states import SUBMITTED as REVIEW_SUBMITTED
from chapterhouse.selection import solver
from chapterhouse.selection.checker import RuleState, check
from chapterhouse.selection.models import Decision, DecisionLetter, SelectionMark, SelectionRun
from chapterhouse.selection.rules import merge, merge_letter
from chapterhouse.selection.states import SCHEDULED, SENT
from chapterhouse.workflow.transitions import record_event, transition

# The proposal state each decision leads to when its letter goes out.
DECISION_STATE = {"accept": ACCEPTED, "accept_revisions": ACCEPTED, "alternate": ALTERNATE, "decline": DECLINED}
CANDIDATES = (UNDER_REVIEW, ALTERNATE)


def review_scores(proposals) -> dict[int, float]:
    """Each proposal's mean rubric score over its submitted reviews (criteria averaged), or absent."""
    totals: dict[int, list[float]] = {}
    submitted = Review.objects.filter(assignment__proposal__in=proposals, assignment__status=REVIEW_SUBMITTED)
    for proposal_id, scores in submitted.values_list("assignment__proposal_id", "scores"):  # one query, not one a review
        values = list(scores.values())
        if values:
            totals.setdefault(proposal_id, []).append(sum(values) / len(values))
    return {pk: round(sum(v) / len(v), 3) for pk, v in totals.items()}


def candidates(call: Call):
    return Proposal.objects.filter(call=call, status__in=CANDIDATES).select_related("theme").order_by("number")


def theme_fits(proposals) -> dict[int, dict[str, float]]:
    """Each proposal's fit for every theme (theme slug → score), from its intake screening, or absent."""
    found = ScreeningResult.objects.filter(proposal__in=proposals, kind=ScreeningResult.Kind.THEME_FIT)
    return {s.proposal_id: {r["slug"]: r["score"] for r in s.details.get("ranking", []) if "slug" in r and "score" in r}
            for s in found}


def _rules(call: Call) -> dict:
    """The call's themes and hard rules as the solver's input reads them."""
    rules = call.definition.selection
    themes = list(call.themes.all())
    return {
        "themes": [{"id": t.slug, "name": t.name, "min": t.min_chapters, "max": t.max_chapters} for t in themes],
        "max_total": rules.max_total or sum(t.max_chapters for t in themes),
        "min_total": min(rules.min_total, rules.max_total or sum(t.max_chapters for t in themes)),
        **({"budget": rules.budget} if rules.budget is not None else {}),
        "one_per_contact": rules.one_per_contact,
    }


def _entries(proposals: list[Proposal]) -> list[dict]:
    scores, fits = review_scores(proposals), theme_fits(proposals)
    return [{"id": p.reference, "theme": p.theme.slug, "score": scores.get(p.pk, 0.0),
             **({} if p.pk in scores else {"reviewed": False}),
             "funding": float(p.funding_amount or 0) if p.funding_requested else 0.0,
             "contact": str(p.contact_user_id), **({"theme_fit": fits[p.pk]} if p.pk in fits else {})}
            for p in proposals]


def build_problem(call: Call) -> dict:
    rules = call.definition.selection
    proposals = list(candidates(call))
    marks = {m.proposal_id: m.kind for m in SelectionMark.objects.filter(proposal__in=proposals)}
    return {
        **_rules(call),
        **({"min_score": rules.min_score} if rules.min_score is not None else {}),
        "proposals": _entries(proposals),
        "pinned": [p.reference for p in proposals if marks.get(p.pk) == SelectionMark.Kind.PIN],
        "excluded": [p.reference for p in proposals if marks.get(p.pk) == SelectionMark.Kind.EXCLUDE],
    }


ACCEPTING = ("accept", "accept_revisions")


class HandState(NamedTuple):
    """The editors' own decisions against the call's rules: now, and with one proposal accepted or not."""

    now: RuleState
    accepted: list[str]


def decisions_state(call: Call, accept: str | None = None, leave_out: str | None = None) -> HandState:
    """The quotas, volume, budget and one-per-contact state of the decisions as saved, counted by the same
    ``checker.check`` the solver's answers pass, optionally with ``accept`` accepted or ``leave_out`` not, so an
    editor sees what a decision does before saving it. Pins, exclusions and the minimum score guide the solver's
    runs only: a decision by hand overrides them, so they are not counted here.

    Only the accepted proposals are read in full (theme, funding, contact, scores): the counts are theirs, and
    the whole call's reviews and screenings (2,000 proposals) made this the selection page's slowest part."""
    in_play = Proposal.objects.filter(call=call, status__in=(*CANDIDATES, ACCEPTED))
    # Accepted: by a saved decision that accepts, else (no decision yet) by the proposal's own state. Asked of
    # the database in one query, not by reading every proposal in play and every decision (2,000 rows).
    accepted = list(in_play.filter(Q(decision__kind__in=ACCEPTING) | Q(decision__isnull=True, status=ACCEPTED))
                    .order_by("number").values_list("reference", flat=True))
    if accept and accept not in accepted:
        accepted.append(accept)
    if leave_out:
        accepted = [ref for ref in accepted if ref != leave_out]
    counted = list(in_play.filter(reference__in=accepted).select_related("theme").order_by("number"))
    problem = solver.SelectionProblem.model_validate({**_rules(call), "proposals": _entries(counted)})
    return HandState(check(problem, accepted), accepted)


def run_selection(call: Call, by) -> SelectionRun:
    problem = build_problem(call)
    result = solver.solve(solver.SelectionProblem.model_validate_json(json.dumps(problem)))
    with transaction.atomic():
        last = SelectionRun.objects.select_for_update().filter(call=call).order_by("-number").first()
        return SelectionRun.objects.create(call=call, number=(last.number + 1) if last else 1, created_by=by,
                                           problem=problem, result=result.model_dump(mode="json"))


class Committed(NamedTuple):
    """What committing a run did: drafts written, and decisions it left alone."""

    drafted: int
    kept_edited: list[str]  # references of decisions an editor saved by hand
    kept_lettered: list[str]  # references whose letter is scheduled or sent


def commit_run(run: SelectionRun, by) -> Committed:
    """Every proposal of the run gets a draft decision: selected → accept, runner-ups → alternate, others →
    decline. Editors then change any of them, with the reason for the record apart from the author's words.

    A commit never undoes an editor's work: a decision saved by hand on its page (it no longer names a run) and a
    decision whose letter is scheduled or sent stay as they are, and the editor is told which."""
    if not run.feasible:
        raise ValueError("An infeasible run cannot be committed.")
    selected = set(run.result["selected"])
    alternates = {ref for refs in run.result.get("runner_ups", {}).values() for ref in refs}
    in_run = {p["id"] for p in run.problem["proposals"]}
    proposals = {p.reference: p for p in candidates(run.call) if p.reference in in_run}
    drafted, kept_edited, kept_lettered = 0, [], []
    with transaction.atomic():
        # Lock the decisions only: PostgreSQL cannot lock the letter's side of the outer join.
        existing = {d.proposal_id: d for d in Decision.objects.select_for_update(of=("self",)).filter(
            proposal__in=proposals.values()).select_related("letter")}
        for reference, proposal in proposals.items():
            kind = "accept" if reference in selected else "alternate" if reference in alternates else "decline"
            decision = existing.get(proposal.pk)
            if decision is not None:
                letter = getattr(decision, "letter", None)
                if letter is not None and letter.status in (SCHEDULED, SENT):
                    kept_lettered.append(reference)
                    continue
                if decision.from_run_id is None:
                    kept_edited.append(reference)
                    continue
                decision.kind, decision.decided_by, decision.from_run = kind, by, run
                decision.save(update_fields=["kind", "decided_by", "from_run", "decided_at"])
            else:
                decision = Decision.objects.create(proposal=proposal, kind=kind, decided_by=by, from_run=run)
            DecisionLetter.objects.get_or_create(decision=decision)
            drafted += 1
        run.committed_at = timezone.now()
        run.save(update_fields=["committed_at"])
    return Committed(drafted, kept_edited, kept_lettered)


def notification_date(call: Call):
    milestone = call.definition.milestone("authors_notified")
    return milestone.date if milestone else None


ACCEPTING = ("accept", "accept_revisions")


def _absolute(path: str) -> str:
    return settings.CHAPTERHOUSE_BASE_URL.rstrip("/") + path


def letter_kind(decision: Decision) -> str:
    """Which of the call's letters a decision takes: a decline before any review has its own letter, since it
    has no reviews to quote and was not weighed against the other proposals."""
    if decision.kind == "decline" and not _submitted_reviews(decision.proposal).exists():
        return "decline_without_review"
    return decision.kind


def _submitted_reviews(proposal: Proposal):
    return Review.objects.filter(assignment__proposal=proposal, assignment__status=REVIEW_SUBMITTED).order_by("pk")


def merge_values(decision: Decision) -> dict[str, str]:
    proposal = decision.proposal
    call = proposal.call
    definition = call.definition
    authors = [a.name for a in proposal.authors.all()]
    comments = [r.comments_to_author.strip() for r in _submitted_reviews(proposal) if r.comments_to_author.strip()]
    # "Next" is the accepted author's next milestone after the letter's day, never the notification itself.
    after = max(notification_date(call) or timezone.localdate(), timezone.localdate())
    upcoming = next_for_author(definition.milestones, after) if decision.kind in ACCEPTING else None
    chapter = getattr(proposal, "chapter", None) if decision.kind in ACCEPTING else None
    return {
        "author_names": " and ".join([", ".join(authors[:-1]), authors[-1]]) if len(authors) > 1 else "".join(authors),
        "title": proposal.title, "reference": proposal.reference, "theme": proposal.theme.name,
        "decision": decision.get_kind_display(), "message": decision.author_message.strip(),
        "reviewer_comments": "\n\n".join(f"Reviewer {i}: {text}" for i, text in enumerate(comments, 1)),
        "next_deadline": f"{upcoming.label}, {format_date(upcoming.date, upcoming.precision)}" if upcoming else "",
        "chapter_url": _absolute(chapter.get_absolute_url() if chapter else reverse("my_chapters"))
        if decision.kind in ACCEPTING else "",
        "call_url": _absolute(call.get_absolute_url()),
        "call_title": definition.title, "editors": ", ".join(e.name for e in definition.editors),
    }


def render_letter(decision: Decision) -> tuple[str, str]:
    template = getattr(decision.proposal.call.definition.selection.letters, letter_kind(decision))
    values = merge_values(decision)
    return " ".join(merge(template.subject, values).split()), merge_letter(template.body, values)


def schedule(letter: DecisionLetter, by) -> None:
    with transaction.atomic():
        letter.send_on = notification_date(letter.decision.proposal.call) or timezone.localdate()
        letter.save(update_fields=["send_on"])
        transition(letter, SCHEDULED, by, {"editor"}, f"To be sent on {letter.send_on:%d %B %Y}")


def send_letter(letter: DecisionLetter, by, roles=frozenset({"editor"})) -> bool:
    """Renders the letter, moves the proposal to its decision, and queues mail to every co-author, at once.

    Idempotent: a letter already sent (by another worker or a double click) is left alone.
    """
    with transaction.atomic():
        letter = DecisionLetter.objects.select_for_update().select_related("decision__proposal__call").get(pk=letter.pk)
        if letter.status == SENT:
            return False
        decision = letter.decision
        proposal = decision.proposal
        recipients = list(proposal.authors.order_by("position").values_list("email", flat=True))
        target = DECISION_STATE[decision.kind]
        if proposal.status != target:
            # The reason for the record goes to the audit log, which only editors read.
            transition(proposal, target, by, {"editor"}, decision.internal_reason or f"Decision: {decision.get_kind_display()}")
        subject, body = render_letter(decision)  # after the move: an acceptance links to the chapter it started
        letter.subject, letter.body, letter.recipients, letter.sent_at = subject, body, recipients, timezone.now()
        letter.save(update_fields=["subject", "body", "recipients", "sent_at"])
        transition(letter, SENT, by, roles)
        queue_mail("selection/email/letter.txt", {"subject": subject, "body": body}, recipients, about=proposal,
                   kind="decision_letter")
    return True


def follow_notification_date(call: Call) -> list[DecisionLetter]:
    """Scheduled letters go on the call's notification date; when the timeline moves, they move with it (each
    move audited), so no letter keeps a date the call no longer has."""
    day = notification_date(call)
    if day is None:
        return []
    moved = []
    with transaction.atomic():
        for letter in DecisionLetter.objects.select_for_update().filter(
                decision__proposal__call=call, status=SCHEDULED).exclude(send_on=day):
            before, letter.send_on = letter.send_on, day
            letter.save(update_fields=["send_on"])
            record_event(letter, None, f"Moved with the call's notification date from "
                                       f"{before:%-d %B %Y} to {day:%-d %B %Y}" if before else
                                       f"Scheduled for the call's notification date, {day:%-d %B %Y}")
            moved.append(letter)
    return moved


def send_due_letters(today) -> int:
    """The worker's job: every scheduled letter whose day has come, on the call's notification date as it
    stands now."""
    for call in Call.objects.filter(proposals__decision__letter__status=SCHEDULED).distinct():
        follow_notification_date(call)
    sent = 0
    for letter in DecisionLetter.objects.filter(status=SCHEDULED, send_on__lte=today):
        sent += send_letter(letter, None, roles=frozenset({"worker"}))
    return sent


def letter_for_author(proposal: Proposal) -> DecisionLetter | None:
    """The letter an author may read: only once sent (a draft or scheduled letter is still the editors')."""
    return DecisionLetter.objects.filter(decision__proposal=proposal, status=SENT).first()

