"""What the review pages do, apart from the pages: inviting reviewers, affinity, running and applying the
assignment solver, and spotting disagreement. Views stay thin; tests call these directly too."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import lru_cache

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chapterhouse.accounts.emails import InvalidEmail
from chapterhouse.accounts.lookup import canonical, user_with_email
from chapterhouse.accounts.roles import REVIEWER, ensure_group
from chapterhouse.call.models import Call
from chapterhouse.outbox.mail import queue_mail
from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.notifications import set_password_url
from chapterhouse.proposals.states import SUBMITTED, UNDER_REVIEW
from chapterhouse.review import assignment as solver
from chapterhouse.review import invitation
from chapterhouse.review.conflicts import Person, declared_conflict
from chapterhouse.review.models import (AssignmentPair, AssignmentRun, ConflictDeclaration, Review, ReviewAssignment,
                                        ReviewerProfile)
from chapterhouse.review.states import DECLINED, OPEN, WITHDRAWN
from chapterhouse.review.states import SUBMITTED as REVIEW_SUBMITTED
from chapterhouse.workflow.transitions import record_creation, transition

User = get_user_model()
IN_REVIEW = (SUBMITTED, UNDER_REVIEW)  # proposals the assignment covers


class InvitationRefused(ValueError):
    """The address cannot be invited (it belongs to an editor's own account, or is not an address)."""


def invite_reviewer(*, email: str, name: str, affiliation: str, by, base_url: str) -> User:
    """An account with the reviewer role and a set-password link mailed to that stored address only.

    An existing account with this address gains the role; its password is never reset by an invitation.
    """
    try:
        address = canonical(email)
    except InvalidEmail as problem:
        raise InvitationRefused(str(problem)) from None
    with transaction.atomic():
        user = user_with_email(address)
        created = user is None
        if created:
            first, _, last = name.strip().partition(" ")
            user = User.objects.create_user(username=address, email=address, first_name=first, last_name=last)
            user.set_unusable_password()
            user.save(update_fields=["password"])
        user.groups.add(ensure_group(REVIEWER))
        ReviewerProfile.objects.get_or_create(user=user, defaults={"invited_by": by, "affiliation": affiliation})
        stored = User.objects.get(pk=user.pk)  # the address as stored, never the form's text
        link = None if stored.has_usable_password() else set_password_url(stored, base_url)
        queue_mail("review/email/invitation.txt",
                   {"user": stored, "inviter": by, "set_password_url": link, "login_url": base_url + reverse("login"),
                    "home_url": base_url + reverse("reviewer_home"), "call": Call.objects.first(),
                    "answer_url": base_url + reverse("reviewer_invitation")},
                   [stored.email], about=stored.reviewer_profile, kind="reviewer_invitation")
    return user


def reviewers():
    return (User.objects.filter(groups__name=REVIEWER, is_active=True, reviewer_profile__isnull=False)
            .select_related("reviewer_profile").order_by("last_name", "first_name", "username"))


def proposals_in_review(call: Call):
    return (Proposal.objects.filter(call=call, status__in=IN_REVIEW).select_related("theme")
            .prefetch_related("authors").order_by("number"))


def proposal_text(proposal: Proposal) -> str:
    return " ".join([proposal.title, proposal.abstract, proposal.keywords])


def affinity_matrix(proposals, people) -> dict[tuple[int, int], float]:
    """(proposal pk, reviewer pk) → TF-IDF cosine of the proposal's words with the reviewer's expertise.

    The same for every page until a proposal's words or a reviewer's expertise change, so it is worked out
    once per process for exactly the texts it reads (the key), not on every request; callers only read it."""
    return _affinity(tuple((p.pk, proposal_text(p)) for p in proposals),
                     tuple((u.pk, u.reviewer_profile.expertise_text) for u in people))


@lru_cache(maxsize=1)  # one call's matrix: 2,000 proposals × 200 reviewers hold about 50 MB
def _affinity(proposals: tuple[tuple[int, str], ...], people: tuple[tuple[int, str], ...]) -> dict:
    from chapterhouse.screening.theme_fit import similarities

    if not proposals or not people:
        return {}
    rows = similarities([text for _, text in proposals], [text for _, text in people]).tolist()
    return {(p, u): round(rows[i][j], 4) for i, (p, _) in enumerate(proposals) for j, (u, _) in enumerate(people)}


def declined_invitation(people) -> set[int]:
    """The reviewers (user pks) whose latest answer to the editors' invitation is "declined"."""
    answered = invitation.answers([person.reviewer_profile for person in people])
    return {person.pk for person in people
            if getattr(answered.get(person.reviewer_profile.pk), "action", "") == invitation.DECLINED}


def reviewer_key(user) -> str:
    """The reviewer's id in a solver problem: readable in its explanations ("pinned to Riley Chen #2"), unique."""
    return f"{user.get_full_name() or user.username} #{user.pk}"


def build_problem(call: Call, objective: str = "total") -> tuple[dict, dict]:
    """The solver's JSON problem from the database, and the look-ups back from its ids to rows.

    Open assignments are pinned (a re-run never takes work away silently), declined or withdrawn ones
    forbidden, editors' pins and forbids kept; declared conflicts are matched to the authors here.
    """
    rules = call.definition.review
    proposals = list(proposals_in_review(call))
    people = list(reviewers())
    scores = affinity_matrix(proposals, people)
    declined = declined_invitation(people)
    declarations = {}
    for declaration in ConflictDeclaration.objects.filter(reviewer__in=people):
        declarations.setdefault(declaration.reviewer_id, []).append(declaration)
    conflicts, pinned, forbidden = [], set(), set()
    for proposal in proposals:
        authors = [Person(a.name, a.email, a.affiliation) for a in proposal.authors.all()]
        for user in people:
            if any(declared_conflict(authors, Person(d.name, d.email, d.affiliation), d.get_kind_display().lower())
                   for d in declarations.get(user.pk, [])):
                conflicts.append([proposal.reference, reviewer_key(user)])
    ids = {p.pk: p.reference for p in proposals}
    keys = {u.pk: reviewer_key(u) for u in people}
    for item in ReviewAssignment.objects.filter(proposal__in=proposals, reviewer__in=people):
        pair = (ids[item.proposal_id], keys[item.reviewer_id])
        (pinned if item.status in OPEN else forbidden).add(pair)
    for mark in AssignmentPair.objects.filter(proposal__in=proposals, reviewer_id__in=keys):
        pair = (ids[mark.proposal_id], keys[mark.reviewer_id])
        if pair not in forbidden and pair not in pinned:
            (pinned if mark.kind == AssignmentPair.Kind.PIN else forbidden).add(pair)
    problem = {
        "reviewers_per_proposal": rules.reviewers_per_proposal,
        "proposals": [{"id": p.reference, "authors": [{"name": a.name, "email": a.email, "affiliation": a.affiliation}
                                                      for a in p.authors.all()]} for p in proposals],
        # A reviewer who declined the invitation keeps what they already hold and is given nothing new.
        "reviewers": [{"id": keys[u.pk], "name": u.get_full_name() or u.username, "email": u.email,
                       "affiliation": u.reviewer_profile.affiliation,
                       "max_load": sum(1 for _, r in pinned if r == keys[u.pk]) if u.pk in declined
                       else u.reviewer_profile.max_load}
                      for u in people],
        "affinity": [[ids[p], keys[u], s] for (p, u), s in scores.items() if s],
        "conflicts": conflicts,
        "pinned": sorted(map(list, pinned)),
        "forbidden": sorted(map(list, forbidden)),
        # No time limit for either objective: "fair" is a bisection over maximum flows, then the same
        # transportation problem as "total" (totally unimodular, integral at its LP optimum), both exact and quick.
        "objective": objective,
    }
    return problem, {"proposals": {p.reference: p for p in proposals}, "reviewers": {keys[u.pk]: u for u in people},
                     "scores": scores}


def run_assignment(call: Call, by, objective: str = "total") -> AssignmentRun:
    problem, _ = build_problem(call, objective)
    result = solver.solve(solver.AssignmentProblem.model_validate_json(json.dumps(problem)))
    return AssignmentRun.objects.create(call=call, created_by=by, objective=objective, problem=problem,
                                        result=result.model_dump(mode="json"))


@dataclass(frozen=True)
class RunChanges:
    added: list[tuple[str, str]]
    removed: list[tuple[str, str]]
    objective_before: float | None
    objective_after: float | None


def changes(previous: AssignmentRun | None, current: AssignmentRun) -> RunChanges | None:
    if previous is None or not previous.feasible or not current.feasible:
        return None
    return RunChanges(sorted(current.pairs - previous.pairs), sorted(previous.pairs - current.pairs),
                      previous.result.get("objective"), current.result.get("objective"))


def apply_run(run: AssignmentRun, by, base_url: str) -> int:
    """Creates the run's new assignments, moves their proposals into review and tells each reviewer once."""
    if not run.feasible:
        raise ValueError("An infeasible run has nothing to apply.")
    due = timezone.localdate() + dt.timedelta(days=run.call.definition.review.due_days)
    _, lookup = build_problem(run.call, run.objective)
    created: dict[int, list[ReviewAssignment]] = {}
    with transaction.atomic():
        for reference, reviewer_id in run.result["assignment"]:
            proposal, reviewer = lookup["proposals"].get(reference), lookup["reviewers"].get(reviewer_id)
            if proposal is None or reviewer is None:
                continue  # withdrawn or removed since the run; the next run covers it
            item, made = ReviewAssignment.objects.get_or_create(
                proposal=proposal, reviewer=reviewer,
                defaults={"due_on": due, "assigned_by": by, "affinity": lookup["scores"].get((proposal.pk, reviewer.pk), 0)})
            if made:
                record_creation(item, by, "Assigned by the solver")
                created.setdefault(reviewer.pk, []).append(item)
                if proposal.status == SUBMITTED:
                    transition(proposal, UNDER_REVIEW, by, {"editor"}, "Reviewers assigned")
        for items in created.values():
            reviewer = items[0].reviewer
            queue_mail("review/email/assigned.txt", {"reviewer": reviewer, "items": items, "call": run.call,
                                                     "home_url": base_url + reverse("reviewer_home")},
                       [reviewer.email], about=items[0], kind="review_assigned")
        run.applied_at = timezone.now()
        run.save(update_fields=["applied_at"])
    return sum(len(items) for items in created.values())


def add_reviewer(proposal: Proposal, reviewer, by) -> ReviewAssignment:
    """One more reviewer by hand (the third one a disagreement suggests)."""
    due = timezone.localdate() + dt.timedelta(days=proposal.call.definition.review.due_days)
    with transaction.atomic():
        item, made = ReviewAssignment.objects.get_or_create(proposal=proposal, reviewer=reviewer,
                                                            defaults={"due_on": due, "assigned_by": by})
        if made:
            record_creation(item, by, "Assigned by an editor")
            queue_mail("review/email/assigned.txt", {"reviewer": reviewer, "items": [item], "call": proposal.call,
                                                     "home_url": ""}, [reviewer.email], about=item, kind="review_assigned")
    return item


def submit_review(item: ReviewAssignment, scores: dict[str, int], recommendation: str, comments_to_author: str,
                  comments_to_editors: str, by) -> Review:
    """The reviewer's review stored and the assignment moved to submitted, together (the review form and the demo)."""
    with transaction.atomic():
        review, _ = Review.objects.update_or_create(assignment=item, defaults={
            "scores": scores, "recommendation": recommendation, "comments_to_author": comments_to_author,
            "comments_to_editors": comments_to_editors})
        transition(item, REVIEW_SUBMITTED, by, {"reviewer"})
    return review


def recommendation_values(proposal: Proposal) -> list[int]:
    rules = proposal.call.definition.review
    values = []
    for item in proposal.review_assignments.filter(review__isnull=False).select_related("review"):
        if item.status != DECLINED and item.status != WITHDRAWN:
            found = rules.recommendation(item.review.recommendation)
            if found:
                values.append(found.value)
    return values


def disagreement(proposal: Proposal) -> bool:
    """Two reviewers' recommendations further apart than the call's threshold: a third reviewer would help."""
    values = recommendation_values(proposal)
    return len(values) >= 2 and max(values) - min(values) > proposal.call.definition.review.disagreement_threshold


def eligibility(proposal: Proposal) -> tuple[list[tuple[float, object]], dict[str, str]]:
    """(eligible reviewers with their affinity, best first; why each other active reviewer is not eligible) for
    one more reviewer on ``proposal``: the solver's own conflict rules, the reviewer's load, who is already on it."""
    problem, lookup = build_problem(proposal.call)
    parsed = solver.AssignmentProblem.model_validate_json(json.dumps(problem))
    conflicted = {c.reviewer: c.reason for c in solver.conflicts_of(parsed) if c.proposal == proposal.reference}
    taken = {r for p, r in problem["pinned"] + problem["forbidden"] if p == proposal.reference}
    load: dict[str, int] = {}
    for item in ReviewAssignment.objects.filter(status__in=OPEN).select_related("reviewer"):
        load[reviewer_key(item.reviewer)] = load.get(reviewer_key(item.reviewer), 0) + 1
    options, reasons = [], {}
    declined = declined_invitation(list(lookup["reviewers"].values()))
    for key, user in lookup["reviewers"].items():
        if user.pk in declined:
            reasons[key] = "declined the invitation to review"
        elif key in taken:
            reasons[key] = "already reviews it, or declined or was withdrawn from it"
        elif key in conflicted:
            reasons[key] = f"conflict of interest: {conflicted[key]}"
        elif load.get(key, 0) >= user.reviewer_profile.max_load:
            reasons[key] = f"has no room: {load.get(key, 0)} open reviews, at most {user.reviewer_profile.max_load}"
        else:
            options.append((lookup["scores"].get((proposal.pk, user.pk), 0), user))
    return sorted(options, key=lambda option: -option[0]), reasons


def third_reviewer_suggestions(proposal: Proposal, limit: int = 3) -> list:
    """Eligible reviewers with room, not yet on the proposal, by affinity: the solver's own rules decide."""
    return [user for _, user in eligibility(proposal)[0][:limit]]


def not_eligible(proposal: Proposal, reviewer) -> str | None:
    """Why ``reviewer`` may not be added to ``proposal`` by hand, or None: the page offers only eligible
    reviewers, and a request naming another one is refused here with the reason."""
    return eligibility(proposal)[1].get(reviewer_key(reviewer))
