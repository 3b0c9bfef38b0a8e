"""Letters that say the truth: an acceptance names the author's next milestone (never the notification that has
just happened) and links to the chapter and the call; a decline before review has its own letter; a paragraph
with nothing to say is left out; scheduled letters follow the call's notification date when the timeline moves."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chapterhouse.call.timeline import format_date
from chapterhouse.selection.models import Decision, DecisionLetter
from chapterhouse.selection.rules import DEFAULT_LETTERS, merge_letter
from chapterhouse.selection.services import send_due_letters, send_letter
from chapterhouse.workflow.transitions import history

pytestmark = pytest.mark.django_db


def milestone(call, kind):
    return call.definition.milestone(kind)


def decide(proposal, kind, message="", by=None) -> DecisionLetter:
    decision = Decision.objects.create(proposal=proposal, kind=kind, author_message=message, decided_by=by)
    return DecisionLetter.objects.create(decision=decision)


def test_a_paragraph_whose_fields_are_all_empty_is_left_out():
    body = merge_letter(DEFAULT_LETTERS["decline"].body, {"author_names": "Ann Lee", "title": "T", "call_title": "C",
                                                          "editors": "Ed Itor", "message": "", "reviewer_comments": ""})
    assert "Reviewers' comments" not in body and "\n\n\n" not in body and body.endswith("Ed Itor\n")
    with_comments = merge_letter(DEFAULT_LETTERS["decline"].body, {"reviewer_comments": "Reviewer 1: Clear.",
                                                                   "title": "T", "editors": "E"})
    assert "Reviewers' comments:\nReviewer 1: Clear." in with_comments


def test_an_acceptance_names_the_authors_next_milestone_and_links_the_chapter_and_the_call(
        call, reviewed, make_user, django_capture_on_commit_callbacks):
    editor = make_user("chief-2", "editor")
    letter = decide(reviewed[0], "accept", by=editor)
    notified = milestone(call, "authors_notified").date
    with django_capture_on_commit_callbacks(execute=True):
        send_letter(letter, editor)
    body = mail.outbox[-1].body
    nxt = milestone(call, "progress_reviews")
    assert f"Next: {nxt.label}, {format_date(nxt.date, nxt.precision)}" in body
    assert "authors notified" not in body.lower() and f"{notified.day} {notified:%B %Y}" not in body
    chapter = reviewed[0].chapter
    assert f"/chapters/{chapter.pk}/" in body and f"/calls/{call.slug}/" in body
    assert "(none)" not in body and not re.search(r"\n\s*\n\s*\n", body)


def test_a_letter_sent_by_the_worker_on_the_notification_date_names_what_comes_after_it(
        call, reviewed, make_user, time_machine, django_capture_on_commit_callbacks):
    from chapterhouse.selection.services import schedule

    editor = make_user("chief-2", "editor")
    letter = decide(reviewed[0], "accept_revisions", by=editor)
    schedule(letter, editor)
    notified = milestone(call, "authors_notified").date
    time_machine.move_to(dt.datetime.combine(notified, dt.time(9, 0), tzinfo=dt.timezone.utc))
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_letters(notified) == 1
    nxt = milestone(call, "progress_reviews")
    assert f"Next: {nxt.label}" in mail.outbox[-1].body and "notified" not in mail.outbox[-1].body.lower()


def test_a_decline_without_review_has_its_own_letter_and_the_editors_words(call, make_proposal, people,
                                                                           django_capture_on_commit_callbacks):
    proposal = make_proposal(people["author_a"])
    letter = decide(proposal, "decline", message="The volume does not cover training programmes.", by=people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        send_letter(letter, people["editor"])
    body = mail.outbox[-1].body
    assert "not sent for review" in body and "The volume does not cover training programmes." in body
    assert "many strong proposals" not in body and "reviewers wrote" not in body and "(none)" not in body
    assert not re.search(r"\n\s*\n\s*\n", body)


def test_a_decline_after_review_quotes_the_reviews_and_says_nothing_of_next_steps(
        call, reviewed, make_user, django_capture_on_commit_callbacks):
    editor = make_user("chief-2", "editor")
    letter = decide(reviewed[1], "decline", by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        send_letter(letter, editor)
    body = mail.outbox[-1].body
    assert "What the reviewers wrote for you:\nReviewer 1: Comment for author 1." in body
    assert "Next:" not in body and "chapter's page" not in body


def test_scheduled_letters_follow_the_notification_date_when_the_timeline_moves(
        client, call, reviewed, make_user, django_capture_on_commit_callbacks):
    from chapterhouse.call.loading import install_call_file
    from chapterhouse.selection.services import schedule
    from tests.conftest import DEFAULT_CALL

    editor = make_user("chief-2", "editor")
    letters = [decide(p, "accept" if i % 2 == 0 else "decline", by=editor) for i, p in enumerate(reviewed[:4])]
    for letter in letters:
        schedule(letter, editor)
    before = milestone(call, "authors_notified").date
    opens = milestone(call, "proposals_open").date
    call = install_call_file(DEFAULT_CALL, open_on=opens - dt.timedelta(days=60))  # the editors bring it forward
    after = call.definition.milestone("authors_notified").date
    assert after == before - dt.timedelta(days=60)
    assert {letter.send_on for letter in DecisionLetter.objects.all()} == {after}  # moved by the install itself

    client.force_login(editor)
    with CaptureQueriesContext(connection) as page_queries:
        assert client.get(reverse("selection_page", args=[call.slug])).status_code == 200
    writes = [q["sql"] for q in page_queries if q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT", "DELETE"))]
    assert writes == [] or all("django_session" in q for q in writes), writes  # the page only reads
    moved = history(DecisionLetter.objects.first())[-1].action
    assert moved == f"Moved with the call's notification date from {before.day} {before:%B %Y} to {after.day} {after:%B %Y}"
    with django_capture_on_commit_callbacks(execute=True):
        assert send_due_letters(after) == 4


def test_the_worker_moves_letters_of_a_call_changed_without_a_save(call, reviewed, make_user):
    """A timeline moved by a bulk update (no save, so no signal) is caught by the worker's periodic sweep."""
    from chapterhouse.call.models import Call
    from chapterhouse.selection.periodic import send_scheduled_decision_letters
    from chapterhouse.selection.services import schedule

    editor = make_user("chief-2", "editor")
    letter = decide(reviewed[0], "accept", by=editor)
    schedule(letter, editor)
    old = letter.send_on
    Call.objects.filter(pk=call.pk).update(shift_days=call.shift_days + 30)
    send_scheduled_decision_letters(timezone.now())
    letter.refresh_from_db()
    assert letter.send_on == old + dt.timedelta(days=30)
    assert history(letter)[-1].action.startswith("Moved with the call's notification date")


def test_the_worker_moves_scheduled_letters_before_sending(call, reviewed, make_user, django_capture_on_commit_callbacks):
    from chapterhouse.call.loading import install_call_file
    from chapterhouse.selection.services import schedule
    from tests.conftest import DEFAULT_CALL

    editor = make_user("chief-2", "editor")
    letter = decide(reviewed[0], "accept", by=editor)
    schedule(letter, editor)
    old = letter.send_on
    call = install_call_file(DEFAULT_CALL, open_on=milestone(call, "proposals_open").date + dt.timedelta(days=30))
    later = call.definition.milestone("authors_notified").date
    assert send_due_letters(old) == 0  # the old day is no longer the call's: nothing goes out on it
    letter.refresh_from_db()
    assert letter.send_on == later and letter.status == "scheduled"


def test_an_accepted_authors_next_step_is_their_own_next_milestone(client, call, reviewed, make_user,
                                                                     django_capture_on_commit_callbacks):
    editor = make_user("chief-2", "editor")
    with django_capture_on_commit_callbacks(execute=True):
        send_letter(decide(reviewed[0], "accept", by=editor), editor)
    client.force_login(reviewed[0].contact_user)
    page = client.get(reverse("my_proposal", args=[reviewed[0].reference])).content.decode()
    nxt = milestone(call, "progress_reviews")
    section = page.split("What happens next")[1].split("</div>")[0]
    assert nxt.label in section and "notified" not in section.lower()
    assert reverse("my_chapters") in section
