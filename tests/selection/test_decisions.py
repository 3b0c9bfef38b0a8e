"""Selection through its pages: runs under quotas, compare, commit, decisions with the internal reason kept
from the author, letters merged from the call's templates, sent now or by the worker on the notification date."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.selection.models import Decision, DecisionLetter, SelectionMark, SelectionRun
from chapterhouse.selection.services import send_due_letters

pytestmark = pytest.mark.django_db


def editor_of(make_user):
    return make_user("desk", "editor")


def test_a_run_short_of_the_minimums_still_selects_and_names_each_shortfall(client, call, reviewed, make_user):
    """Every theme asks for at least 3 chapters and has only 2 proposals: the run selects all 8 (the best the rules
    allow), names each shortfall in plain words with what would close it, and can be committed."""
    client.force_login(editor_of(make_user))
    response = client.post(reverse("selection_run", args=[call.slug]), follow=True)
    run = SelectionRun.objects.get()
    assert run.result["status"] == "optimal" and run.feasible
    assert sorted(run.result["selected"]) == sorted(p.reference for p in reviewed)
    assert run.result["shortfall"] == 4
    assert [s["message"] for s in run.result["shortfalls"]] == [
        "Law and Policy: 2 of at least 3", "Industry: 2 of at least 3", "Process: 2 of at least 3",
        "Partnership: 2 of at least 3"]
    page = response.content.decode()
    assert "8 proposals selected, the best the rules allow; short of the minimums: Law and Policy: 2 of at least 3;" in page
    assert 'data-testid="selection-shortfall"' in page and "Short of the minimums by 4 chapters" in page
    assert "Open a second call for “Law and Policy” to find 1 more chapter." in page
    assert "No selection" not in page
    client.post(reverse("selection_commit", args=[call.slug, 1]))
    assert Decision.objects.filter(kind="accept").count() == len(reviewed)


def test_pins_that_break_a_maximum_say_which_theme_and_why(client, call, reviewed, make_user):
    call.themes.update(min_chapters=1, max_chapters=1)
    client.force_login(editor_of(make_user))
    for proposal in reviewed[:2]:  # both proposals of the first theme
        client.post(reverse("selection_mark", args=[call.slug]), {"proposal": proposal.reference, "kind": "pin"})
    page = client.post(reverse("selection_run", args=[call.slug]), follow=True).content.decode()
    run = SelectionRun.objects.get()
    assert run.result["status"] == "infeasible"
    reason = f"Theme “{reviewed[0].theme.name}” takes at most 1 chapter; 2 of its proposals are pinned."
    assert run.result["infeasible"]["reason"] == reason and reason in page


def test_the_theme_fit_from_screening_reaches_the_solver(call, reviewed):
    from chapterhouse.proposals.models import ScreeningResult
    from chapterhouse.selection.services import build_problem

    ScreeningResult.objects.update_or_create(proposal=reviewed[2], kind=ScreeningResult.Kind.THEME_FIT, defaults={
        "outcome": "advice", "summary": "…", "details": {"ranking": [{"slug": "industry", "name": "Industry", "score": 0.3},
                                                                     {"slug": "process", "name": "Process", "score": 0.1}]}})
    entry = next(p for p in build_problem(call)["proposals"] if p["id"] == reviewed[2].reference)
    assert entry["theme_fit"] == {"industry": 0.3, "process": 0.1}


def test_decisions_by_hand_show_quotas_contacts_and_budget_before_they_are_saved(client, call, reviewed, make_user):
    """The editor accepts proposals one by one: the decision page shows each theme's count without and with this
    proposal accepted, and what accepting it would break; the selection page shows the saved decisions' state."""
    call.themes.update(min_chapters=1, max_chapters=1)
    first, second = reviewed[0], reviewed[1]  # the same theme
    second.contact_user = first.contact_user
    second.save(update_fields=["contact_user"])
    client.force_login(editor_of(make_user))
    client.post(reverse("decision_edit", args=[first.reference]), {"kind": "accept"})

    page = client.get(reverse("decision_edit", args=[second.reference])).content.decode()
    rules = page.split('data-testid="decision-rules"')[1]
    assert f"{first.theme.name} <span class=\"muted\">(its theme)</span></th><td>1</td>" in rules
    assert "<td>1 (met)</td><td>2 (1 over)</td>" in rules
    assert "<td>0 (1 short)</td><td>0 (1 short)</td>" in rules  # the other themes
    assert f"Accepting {second.reference} would break:" in rules
    assert f"{first.theme.name}: 2 chapters, more than its maximum of 1." in rules
    assert f"One chapter per contact author: {first.reference} and {second.reference} share a contact." in rules
    assert not Decision.objects.filter(proposal=second).exists()  # nothing saved by looking

    response = client.post(reverse("decision_edit", args=[second.reference]), {"kind": "accept"}, follow=True)
    assert "The accepted proposals break a rule." in response.content.decode()
    state = client.get(reverse("selection_page", args=[call.slug])).content.decode().split('data-testid="decisions-state"')[1]
    assert f"<strong>{first.theme.name}</strong>: accepted 2 of 1 (1 over)" in state
    assert f"<strong>{reviewed[2].theme.name}</strong>: accepted 0 of 1 (1 short)" in state
    assert "The accepted proposals break 2 rules:" in state


def test_select_compare_commit_decide_and_send(client, call, reviewed, make_user, django_capture_on_commit_callbacks):
    call.themes.update(min_chapters=1, max_chapters=1)
    client.force_login(editor_of(make_user))
    client.post(reverse("selection_run", args=[call.slug]))
    first = SelectionRun.objects.get()
    assert sorted(first.result["selected"]) == sorted(p.reference for p in reviewed[::2])
    assert first.result["runner_ups"][reviewed[1].theme.slug] == [reviewed[1].reference]

    client.post(reverse("selection_mark", args=[call.slug]), {"proposal": reviewed[1].reference, "kind": "pin"})
    assert SelectionMark.objects.get().kind == "pin"
    client.post(reverse("selection_run", args=[call.slug]))
    second = SelectionRun.objects.get(number=2)
    assert reviewed[1].reference in second.result["selected"] and reviewed[0].reference not in second.result["selected"]
    page = client.get(reverse("selection_page", args=[call.slug]), {"a": 1, "b": 2}).content.decode()
    assert f"Only in run 1: {reviewed[0].reference}" in page and f"Only in run 2: {reviewed[1].reference}" in page

    client.post(reverse("selection_commit", args=[call.slug, 1]))
    assert Decision.objects.get(proposal=reviewed[0]).kind == "accept"
    assert Decision.objects.get(proposal=reviewed[1]).kind == "alternate"

    declined = reviewed[3]
    client.post(reverse("decision_edit", args=[declined.reference]), {
        "kind": "decline", "internal_reason": "Weak sourcing; the editor knows the author's past work.",
        "author_message": "The volume has no room for a second chapter on this subject."})
    preview = client.get(reverse("decision_edit", args=[declined.reference])).content.decode()
    assert "The volume has no room" in preview and "Comment for author 3." in preview
    assert "Editors only" not in preview.split('data-testid="letter-preview"')[1]

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("decision_letter_action", args=[declined.reference]), {"action": "send"})
        client.post(reverse("decision_letter_action", args=[reviewed[0].reference]), {"action": "send"})
    declined.refresh_from_db()
    assert declined.status == "declined"
    letters = [m for m in mail.outbox if declined.reference in m.subject]
    assert len(letters) == 1 and letters[0].to == [declined.authors.get().email]
    assert "Weak sourcing" not in letters[0].body and "The volume has no room" in letters[0].body
    assert Chapter.objects.filter(proposal=reviewed[0]).exists()

    client.force_login(declined.contact_user)
    page = client.get(reverse("my_proposal", args=[declined.reference])).content.decode()
    assert "Weak sourcing" not in page and "Read the decision letter" in page
    letter = client.get(reverse("my_decision", args=[declined.reference])).content.decode()
    assert "The volume has no room" in letter and "Weak sourcing" not in letter


def test_scheduled_letters_go_out_on_the_notification_date_and_only_once(client, call, reviewed, make_user,
                                                                         django_capture_on_commit_callbacks):
    call.themes.update(min_chapters=1, max_chapters=1)
    client.force_login(editor_of(make_user))
    client.post(reverse("selection_run", args=[call.slug]))
    client.post(reverse("selection_commit", args=[call.slug, 1]))
    client.post(reverse("selection_letters_schedule", args=[call.slug]))
    letters = DecisionLetter.objects.all()
    notify = call.definition.milestone("authors_notified").date
    assert {letter.status for letter in letters} == {"scheduled"} and {letter.send_on for letter in letters} == {notify}
    assert send_due_letters(notify - dt.timedelta(days=1)) == 0
    client.force_login(reviewed[0].contact_user)
    assert client.get(reverse("my_decision", args=[reviewed[0].reference])).status_code == 404  # not sent yet
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_letters(notify) == len(reviewed)
    assert send_due_letters(notify) == 0
    assert len([m for m in mail.outbox if "decision" in m.subject or "proposal is" in m.subject]) == len(reviewed)
    assert client.get(reverse("my_decision", args=[reviewed[0].reference])).status_code == 200


def test_committing_a_run_again_keeps_decisions_edited_by_hand_and_those_with_letters(
        client, call, reviewed, make_user, django_capture_on_commit_callbacks):
    """Re-running and committing refreshes the run's drafts, but never undoes an editor's own decision nor changes
    a decision whose letter is scheduled or already sent; the editor is told which were kept."""
    call.themes.update(min_chapters=1, max_chapters=1)
    client.force_login(editor_of(make_user))
    client.post(reverse("selection_run", args=[call.slug]))
    client.post(reverse("selection_commit", args=[call.slug, 1]))
    edited, lettered, drafted = reviewed[1], reviewed[0], reviewed[2]
    assert Decision.objects.get(proposal=edited).kind == "alternate"
    client.post(reverse("decision_edit", args=[edited.reference]), {
        "kind": "decline", "internal_reason": "Too close to chapter 2.", "author_message": "We had to choose."})
    client.post(reverse("decision_letter_action", args=[lettered.reference]), {"action": "schedule"})
    assert DecisionLetter.objects.get(decision__proposal=lettered).status == "scheduled"

    # Run 2 pins the other proposal of each theme, so it would flip every one of the three.
    for proposal in (reviewed[1], reviewed[3]):
        client.post(reverse("selection_mark", args=[call.slug]), {"proposal": proposal.reference, "kind": "pin"})
    client.post(reverse("selection_run", args=[call.slug]))
    run = SelectionRun.objects.get(number=2)
    assert {edited.reference, reviewed[3].reference} <= set(run.result["selected"])
    assert not {lettered.reference, drafted.reference} & set(run.result["selected"])
    response = client.post(reverse("selection_commit", args=[call.slug, 2]), follow=True)
    shown = response.content.decode()

    assert Decision.objects.get(proposal=edited).kind == "decline"
    assert Decision.objects.get(proposal=edited).author_message == "We had to choose."
    assert Decision.objects.get(proposal=lettered).kind == "accept"
    refreshed = Decision.objects.get(proposal=drafted)
    assert refreshed.kind in {"alternate", "decline"} and refreshed.from_run == run
    assert f"Kept as you saved them (edited by hand): {edited.reference}" in shown
    assert f"their letter is scheduled or sent: {lettered.reference}" in shown


def test_a_decision_made_on_the_desk_drafts_the_letter_that_tells_the_author(
        client, call, reviewed, make_user, django_capture_on_commit_callbacks):
    """Declining on the desk used to leave the author untold: it now drafts the decision and its letter, which the
    desk offers to write and send; a later desk move changes the unsent decision with it."""
    proposal = reviewed[3]
    client.force_login(editor_of(make_user))
    response = client.post(reverse("desk_transition", args=[proposal.reference]),
                           {"to": "declined", "from": "under_review", "reason": "Outside the scope."}, follow=True)
    page = response.content.decode()
    assert "The author has not been told yet" in page
    decision = Decision.objects.get(proposal=proposal)
    assert decision.kind == "decline" and decision.internal_reason == "Outside the scope." and decision.from_run is None
    assert decision.letter.status == "draft" and 'data-testid="decision-letter"' in page
    assert reverse("decision_edit", args=[proposal.reference]) in page

    client.post(reverse("decision_letter_action", args=[proposal.reference]), {"action": "schedule"})
    client.post(reverse("desk_transition", args=[proposal.reference]),
                {"to": "under_review", "from": "declined", "reason": "The author sent a new outline."})
    client.post(reverse("desk_transition", args=[proposal.reference]), {"to": "accepted", "from": "under_review"})
    decision.refresh_from_db()
    assert decision.kind == "accept" and decision.letter.status == "draft"  # the scheduled decline never goes out

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("decision_letter_action", args=[proposal.reference]), {"action": "send"})
    letters = [m for m in mail.outbox if proposal.reference in m.subject]
    assert len(letters) == 1 and letters[0].to == [proposal.authors.get().email]
    page = client.get(reverse("desk_proposal", args=[proposal.reference])).content.decode()
    assert "Read the letter" in page


def test_an_alternate_accepted_on_the_desk_after_its_letter_gets_a_new_letter(
        client, call, reviewed, make_user, django_capture_on_commit_callbacks):
    """The author was told "alternate"; a place opens and the editor accepts on the desk: the letter goes back to
    draft for the acceptance, the first letter stays in the mail history, and sending tells the author."""
    call.themes.update(min_chapters=1, max_chapters=1)
    client.force_login(editor_of(make_user))
    client.post(reverse("selection_run", args=[call.slug]))
    client.post(reverse("selection_commit", args=[call.slug, 1]))
    alternate = reviewed[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("decision_letter_action", args=[alternate.reference]), {"action": "send"})
    alternate.refresh_from_db()
    assert alternate.status == "alternate" and DecisionLetter.objects.get(decision__proposal=alternate).status == "sent"

    page = client.post(reverse("desk_transition", args=[alternate.reference]), {"to": "accepted", "from": "alternate"},
                       follow=True).content.decode()
    assert "The author has not been told yet" in page
    letter = DecisionLetter.objects.get(decision__proposal=alternate)
    assert letter.decision.kind == "accept" and letter.status == "draft" and letter.sent_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("decision_letter_action", args=[alternate.reference]), {"action": "send"})
    letters = [m.subject for m in mail.outbox if alternate.reference in m.subject]
    assert len(letters) == 2 and letters[0] != letters[1]  # the alternate letter, then the acceptance
    letter.refresh_from_db()
    assert letter.status == "sent"
