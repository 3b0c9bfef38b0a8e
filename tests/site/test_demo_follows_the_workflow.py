"""The demo is the project's own story run through the stages' services, so it cannot show what the workflow could
not reach: every workflow object's state is where its audited moves took it, each move one its workflow allows;
running the demo again adds nothing; each demo call holds only what the milestone its clock has reached allows (no
chapter while proposals are open); every shifted call's dates all moved, the launch event with the milestones;
advice never calls an unreviewed proposal "score 0"."""

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

pytestmark = pytest.mark.django_db

# Rows a second run may add without the demo repeating itself: log-in sessions, the worker's task rows.
NOT_COUNTED = {"sessions.session", "django_tasks_db.dbtaskresult"}


def row_counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in apps.get_models()
            if model._meta.label_lower not in NOT_COUNTED}


def workflow_models():
    return [model for model in apps.get_models() if hasattr(model, "workflow") and hasattr(model, "status")]


def audit_trail_problems(model) -> list[str]:
    """What is wrong with the audit trail of every ``model`` row: a state no audited move reached, a move its
    workflow does not have, or a move from a state the previous one did not leave it in."""
    from chapterhouse.workflow.models import AuditEntry

    workflow = model.workflow
    kind = ContentType.objects.get_for_model(model)
    trails: dict[int, list] = {}
    for entry in AuditEntry.objects.filter(content_type=kind).order_by("at", "pk"):
        trails.setdefault(int(entry.object_id), []).append(entry)
    problems = []
    for obj in model._default_manager.all():
        name = f"{model.__name__} {obj.pk} ({obj})"
        state = workflow.initial
        for entry in trails.get(obj.pk, []):
            if entry.from_state == entry.to_state or not entry.from_state:  # an event, or the creation
                if entry.to_state and entry.from_state and entry.to_state != state:
                    problems.append(f"{name}: “{entry.action}” recorded in {entry.to_state}, but it was in {state}")
                state = entry.to_state or state
                continue
            if entry.from_state != state:
                problems.append(f"{name}: moved from {entry.from_state}, but the trail left it in {state}")
            if (entry.from_state, entry.to_state) not in workflow.transitions:
                problems.append(f"{name}: {entry.from_state} → {entry.to_state} is not a move of its workflow")
            state = entry.to_state
        if obj.status != state:
            problems.append(f"{name}: is {obj.status}, but its audited moves leave it {state}")
    return problems


# The call's timeline in its own order (the milestone kinds of calls/*.toml).
TIMELINE = ["proposals_open", "proposals_close", "authors_notified", "progress_reviews", "final_chapters_due",
            "editor_feedback", "revised_chapters_due", "security_review_submission", "line_editing_galleys",
            "galley_proofs", "launch"]


def has_reached(call, kind: str, today) -> bool:
    """Whether ``call``'s clock has reached milestone ``kind`` today; a call without that milestone has reached it
    when it has reached the next one it has."""
    definition = call.definition
    for later in TIMELINE[TIMELINE.index(kind):]:
        milestone = definition.milestone(later)
        if milestone is not None:
            return milestone.date <= today
    return False


def clock_problems(call, today) -> list[str]:
    """Objects of ``call`` in a stage or a state the milestone its clock has reached does not allow yet."""
    from chapterhouse.chapters.models import FeedbackRound
    from chapterhouse.clearance.models import ClearanceRequest
    from chapterhouse.launch.models import Publication
    from chapterhouse.production.lineedit.models import CopyeditRound
    from chapterhouse.production.models import Cover, GalleyBuild
    from chapterhouse.production.proofs.models import ProofRound
    from chapterhouse.progress.models import ReviewSession

    found = {
        # what exists (or is in a state) → the milestone that must be reached first
        "a proposal accepted or kept as alternate": (call.proposals.filter(status__in=["accepted", "alternate"]),
                                                    "proposals_close"),
        "a chapter": (call.chapters.all(), "authors_notified"),
        "a feedback round": (FeedbackRound.objects.filter(chapter__call=call), "authors_notified"),
        "a review session": (ReviewSession.objects.filter(call=call), "authors_notified"),
        "a copyedit": (CopyeditRound.objects.filter(chapter__call=call), "final_chapters_due"),
        "a clearance request": (ClearanceRequest.objects.filter(call=call), "final_chapters_due"),
        "a clearance request sent to the office": (ClearanceRequest.objects.filter(call=call).exclude(
            status="prepared"), "security_review_submission"),
        "a cover": (Cover.objects.filter(call=call), "line_editing_galleys"),
        "a galley build": (GalleyBuild.objects.filter(call=call), "line_editing_galleys"),
        "a proof round": (ProofRound.objects.filter(call=call), "galley_proofs"),
        "a launched publication": (Publication.objects.filter(call=call, status="launched"), "launch"),
    }
    return [f"{call.slug}: {what} before “{milestone}”" for what, (rows, milestone) in found.items()
            if rows.exists() and not has_reached(call, milestone, today)]


def date_problems(call) -> list[str]:
    """Dates of ``call`` not moved by its shift alike: the stored milestones, the definition's, the launch event."""
    import datetime as dt

    from chapterhouse.call.schema import parse_call

    filed, shift = parse_call(call.source), dt.timedelta(days=call.shift_days)
    wanted = {m.kind: m.date + shift for m in filed.milestones}
    problems = [f"{call.slug}: stored milestone {m.kind} on {m.date}, not {wanted[m.kind]}"
                for m in call.milestones.all() if m.date != wanted[m.kind]]
    problems += [f"{call.slug}: milestone {m.kind} on {m.date}, not {wanted[m.kind]}"
                 for m in call.definition.milestones if m.date != wanted[m.kind]]
    event, filed_event = call.definition.publication.launch_event.starts, filed.publication.launch_event.starts
    if filed_event is not None and event != filed_event + shift:
        problems.append(f"{call.slug}: launch event {event}, not {filed_event + shift}")
    return problems


def test_the_demo_runs_through_the_workflow_and_a_second_run_adds_nothing(django_capture_on_commit_callbacks):
    from chapterhouse.call.models import Call
    from chapterhouse.selection import services as selection
    from chapterhouse.selection.solver import SelectionProblem, solve

    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup_site", demo=True, verbosity=0)
    first = row_counts()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("setup_site", demo=True, verbosity=0)
    assert {label: (first[label], n) for label, n in row_counts().items() if n != first[label]} == {}

    models = workflow_models()
    assert {m.__name__ for m in models} >= {"Proposal", "Chapter", "ReviewAssignment", "Publication", "GalleyBuild"}
    problems = [problem for model in models for problem in audit_trail_problems(model)]
    assert problems == []

    # One story run to three points: the default call open today with proposals still under review (one declined
    # on the desk), a call in its chapter stage with a chapter in every state, the past one launched.
    from django.utils import timezone

    from chapterhouse.chapters.states import CHAPTER_WORKFLOW
    from chapterhouse.site.demo.story import reached

    open_call, past = Call.objects.get(slug="dscu-fms-2024"), Call.objects.get(slug="dscu-sc-workforce-2023")
    in_chapters = Call.objects.get(slug="dscu-sc-cases-2025")
    assert open_call.accepting_proposals() and open_call.proposals.filter(status="under_review").exists()
    assert open_call.proposals.filter(status="declined").exists() and not open_call.chapters.exists()
    assert reached(in_chapters) == "final_chapters_due"
    assert {c.status for c in in_chapters.chapters.all()} == set(CHAPTER_WORKFLOW.states)
    assert past.publication.status == "launched"

    # No object is in a state its call's clock has not reached; every moved date moved alike.
    today = timezone.localdate()
    assert [problem for call in Call.objects.all() for problem in clock_problems(call, today)] == []
    assert [problem for call in Call.objects.all() for problem in date_problems(call)] == []
    assert open_call.shift_days and in_chapters.shift_days

    # The demo moved the open call: its launch event moved with the milestones, by the same days.
    from chapterhouse.call.schema import parse_call

    as_filed = parse_call(open_call.source)
    event, filed = open_call.definition.publication.launch_event.starts, as_filed.publication.launch_event.starts
    assert open_call.shift_days and (event - filed).days == open_call.shift_days

    # The selection's advice names an unreviewed proposal as such, never as "score 0".
    problem = SelectionProblem.model_validate(selection.build_problem(open_call))
    unreviewed = [p.id for p in problem.proposals if not p.reviewed]
    assert unreviewed
    said = " ".join(closer.text for shortfall in solve(problem).shortfalls for closer in shortfall.closers)
    assert "score 0" not in said
    assert all(f"{ref} (score" not in said for ref in unreviewed)
