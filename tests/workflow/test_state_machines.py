"""Proposal states change only through transitions, and every change leaves an audit row."""

import pytest

from chapterhouse.proposals.states import PROPOSAL_WORKFLOW
from chapterhouse.workflow.models import AuditEntry
from chapterhouse.workflow.statemachine import StateMachine, Transition, TransitionNotAllowed
from chapterhouse.workflow.transitions import history, transition


def test_the_proposal_workflow_lists_its_states_and_moves_in_one_place():
    assert PROPOSAL_WORKFLOW.initial == "submitted"
    assert set(PROPOSAL_WORKFLOW.states) == {"submitted", "under_review", "accepted", "declined", "alternate", "withdrawn"}
    assert PROPOSAL_WORKFLOW.is_final("withdrawn")
    assert [t.target for t in PROPOSAL_WORKFLOW.available("submitted", {"owner"})] == ["withdrawn"]
    assert {t.target for t in PROPOSAL_WORKFLOW.available("under_review", {"editor"})} == {"accepted", "declined", "alternate", "withdrawn"}


@pytest.mark.parametrize("source,target,roles,reason,message", [
    ("submitted", "accepted", {"editor"}, "", "cannot go from “Submitted” to “Accepted”"),
    ("submitted", "under_review", {"owner"}, "", "You may not start review"),
    ("under_review", "declined", {"editor"}, "  ", "needs a reason"),
    ("submitted", "withdrawn", {"editor"}, "", "needs a reason"),
])
def test_moves_are_checked(source, target, roles, reason, message):
    with pytest.raises(TransitionNotAllowed, match=message):
        PROPOSAL_WORKFLOW.check(source, target, roles, reason)


def test_the_owner_withdraws_without_giving_a_reason():
    assert PROPOSAL_WORKFLOW.check("submitted", "withdrawn", {"owner"}).label == "Withdraw"


def test_a_machine_with_an_unknown_state_is_a_programming_error():
    with pytest.raises(ValueError):
        StateMachine("thing", {"a": "A"}, "a", [Transition("a", "b", frozenset({"x"}), "Go")])


@pytest.mark.django_db
def test_transition_saves_and_audits_together(people, make_proposal):
    proposal = make_proposal(people["author_a"])
    entry = transition(proposal, "under_review", people["editor"], {"editor"}, "Looks promising.")
    proposal.refresh_from_db()
    assert proposal.status == "under_review" and proposal.status_changed_at is not None
    assert (entry.actor, entry.from_state, entry.to_state, entry.reason) == (people["editor"], "submitted", "under_review", "Looks promising.")
    assert [(e.from_label, e.to_label) for e in history(proposal)] == [("", "Submitted"), ("Submitted", "Under review")]


@pytest.mark.django_db
def test_a_refused_transition_changes_nothing_and_writes_no_audit_row(people, make_proposal):
    proposal = make_proposal(people["author_a"])
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionNotAllowed):
        transition(proposal, "accepted", people["editor"], {"editor"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_a_stale_object_is_checked_against_the_stored_state(people, make_proposal):
    proposal = make_proposal(people["author_a"])
    stale = type(proposal).objects.get(pk=proposal.pk)
    transition(proposal, "withdrawn", people["author_a"], {"owner"})
    with pytest.raises(TransitionNotAllowed, match="from “Withdrawn”"):
        transition(stale, "under_review", people["editor"], {"editor"})


def test_views_never_assign_status_by_hand():
    """Only transitions.py writes ``.status``: any ``x.status = …`` (or ``+=``, or a tuple target) elsewhere fails."""
    import ast
    from pathlib import Path

    import chapterhouse

    def assigns_status(tree) -> bool:
        for node in ast.walk(tree):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
                node, (ast.AugAssign, ast.AnnAssign)) else []
            for target in targets:
                for part in ast.walk(target):
                    if isinstance(part, ast.Attribute) and part.attr == "status":
                        return True
        return False

    offenders = [str(p) for p in Path(chapterhouse.__file__).parent.rglob("*.py")
                 if p.name != "transitions.py" and assigns_status(ast.parse(p.read_text()))]
    assert offenders == []


def test_a_move_with_conditions_names_every_unmet_one_and_shows_them_as_a_checklist():
    from chapterhouse.workflow.statemachine import Condition, ConditionsUnmet

    needs = (Condition("The build is chosen", lambda obj, ctx: [] if ctx.get("build") else ["Choose a build."]),
             Condition("Every chapter is cleared", lambda obj, ctx: [f"“{t}” is not cleared." for t in ctx["open"]]))
    machine = StateMachine("thing", {"a": "A", "b": "B"}, "a",
                           [Transition("a", "b", frozenset({"editor"}), "Go", conditions=needs)])
    with pytest.raises(ConditionsUnmet) as refusal:
        machine.check("a", "b", {"editor"}, subject=object(), context={"open": ["One", "Two"]})
    assert refusal.value.unmet == ["Choose a build.", "“One” is not cleared.", "“Two” is not cleared."]
    assert str(refusal.value) == "Not done: “Go” needs Choose a build. “One” is not cleared. “Two” is not cleared."
    lines = machine.transitions[("a", "b")].checklist(object(), {"build": 1, "open": ["One"]})
    assert [(line.label, line.met, line.problems) for line in lines] == [
        ("The build is chosen", True, ()), ("Every chapter is cleared", False, ("“One” is not cleared.",))]
    assert machine.check("a", "b", {"editor"}, subject=object(), context={"build": 1, "open": []}).label == "Go"


@pytest.mark.django_db
def test_a_refused_condition_changes_nothing_and_the_page_lists_it_first(people, call):
    from chapterhouse.launch.models import Publication
    from chapterhouse.workflow.statemachine import ConditionsUnmet
    from chapterhouse.workflow.transitions import offered_moves

    publication = Publication.objects.create(call=call)
    before = AuditEntry.objects.count()
    with pytest.raises(ConditionsUnmet, match="Choose the published galley build."):
        transition(publication, "launched", people["editor"], {"editor"})
    publication.refresh_from_db()
    assert publication.status == "preparing" and AuditEntry.objects.count() == before
    [launch] = offered_moves(publication, {"editor"})
    assert not launch.ready and launch.label == "Launch" and not launch.checklist[0].met


def test_an_action_naming_a_long_title_is_recorded_whole_or_clipped_never_refused(db, people):
    """PostgreSQL enforces the column's length: a chapter title of 300 characters in an action must not fail the
    change it records (the demo's "Changes after clearance read: “…”" did, on PostgreSQL only)."""
    from chapterhouse.workflow.models import AuditEntry
    from chapterhouse.workflow.transitions import record_event

    title = "A very long chapter title " * 12
    entry = record_event(people["editor"], people["editor"], f"Changes after clearance read: “{title}” up to version 3")
    entry.refresh_from_db()
    limit = AuditEntry._meta.get_field("action").max_length
    assert len(entry.action) == limit and entry.action.endswith("…")
    assert entry.action.startswith("Changes after clearance read: “A very long chapter title")
