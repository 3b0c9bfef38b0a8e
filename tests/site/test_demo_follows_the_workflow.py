"""The demo is the project's own story run through the stages' services, so it cannot show what the workflow could
not reach: every workflow object's state is where its audited moves took it, each move one its workflow allows;
running the demo again adds nothing; the shifted call's dates all moved; advice never calls an unreviewed proposal
"score 0"."""

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

    # Two points of one story: the default call open today with proposals still under review, the past one launched.
    open_call, past = Call.objects.get(slug="dscu-fms-2024"), Call.objects.get(slug="dscu-sc-workforce-2023")
    assert open_call.accepting_proposals() and open_call.proposals.filter(status="under_review").exists()
    assert past.publication.status == "launched"

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
