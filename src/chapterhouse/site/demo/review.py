"""The review stage of the demo story: the demo reviewers' expertise, one declared conflict, and assignments on
the open call's proposals under review (one already reviewed), so the reviewer's home, the assignment page and the
selection page show something real. Idempotent."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model

from chapterhouse.accounts.roles import EDITOR, REVIEWER, ensure_groups
from chapterhouse.call.models import Call
from chapterhouse.proposals.models import Proposal
from chapterhouse.review import services
from chapterhouse.review.models import AssignmentRun, ConflictDeclaration, Review, ReviewerProfile
from chapterhouse.review.states import ASSIGNED
from chapterhouse.site.demo.accounts import DemoAccount

PROFILES = {
    "reviewer": ("Example Policy Institute", "defense industrial base, offsets, coproduction, surge capacity",
                 "Twenty years on defense trade and industrial policy; writes on offsets and coproduction."),
    "reviewer2": ("Example War College", "workforce, professionalization, attaché, partnership, training",
                  "Teaches security cooperation workforce development; former security cooperation officer."),
}


def seed_reviewers(password: str) -> list:
    """The second reviewer's account, the reviewers' expertise and one declared conflict; returns the extra demo
    accounts it made (to print with the others)."""
    User = get_user_model()
    extra = DemoAccount("reviewer2", "Jamie Ortiz", "jamie.ortiz@college.example.com", REVIEWER)
    if not User.objects.filter(username=extra.username).exists():
        user = User(username=extra.username, email=extra.email, first_name="Jamie", last_name="Ortiz")
        user.set_password(password)
        user.save()
        user.groups.add(ensure_groups()[REVIEWER])
    for username, (affiliation, keywords, statement) in PROFILES.items():
        user = User.objects.filter(username=username).first()
        if user is not None:
            ReviewerProfile.objects.get_or_create(user=user, defaults={
                "affiliation": affiliation, "keywords": keywords, "statement": statement, "max_load": 4})
    riley = User.objects.filter(username="reviewer").first()
    if riley and not ConflictDeclaration.objects.filter(reviewer=riley).exists():
        ConflictDeclaration.objects.create(reviewer=riley, kind="advising", name="Morgan Lee",
                                           note="My former doctoral student.")
    return [extra]


def reviews_under_way(call: Call) -> None:
    """The solver's assignments applied to the call's proposals, and the first proposal's first review in."""
    editor = get_user_model().objects.filter(groups__name=EDITOR).first()
    if not AssignmentRun.objects.filter(call=call).exists():
        run = services.run_assignment(call, editor)  # the real solver, conflicts and all
        if run.feasible:
            services.apply_run(run, editor, settings.CHAPTERHOUSE_BASE_URL)
    first = Proposal.objects.filter(call=call).order_by("number").first()
    done = first is None or Review.objects.filter(assignment__proposal=first).exists()
    item = None if done else first.review_assignments.filter(status=ASSIGNED).order_by("pk").first()
    if item is not None:  # through the review form's own service
        services.submit_review(item, {c.key: 4 for c in call.definition.review.criteria}, "accept_revisions",
                               "A timely topic; narrow the case studies to two.",
                               "Solid; the author knows the programme offices.", item.reviewer)
