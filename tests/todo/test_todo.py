"""Issue 17 §2: each person's to-do list, gathered from every stage's ``todo.py``, holds only their own work, says
by when (from the call's timeline) and links a page they may open where the work is done."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chapterhouse.accounts.todo import items_for
from chapterhouse.call.models import Milestone
from chapterhouse.workflow.transitions import transition

from tests.clearance.conftest import cleared
from tests.lineedit.conftest import upload

pytestmark = pytest.mark.django_db

ROLE_OF = {"editor": "editor", "author_a": "author", "author_b": "author", "reviewer": "reviewer",
           "security": "security_reviewer", "production": "production"}


def todo(people, who, stage=None):
    """``who``'s items (of one stage: the fixtures' proposals stay "submitted" beside their chapters)."""
    return [item for item in items_for(people[who], ROLE_OF[who], timezone.localdate())
            if stage is None or item.stage == stage]


def texts(people, who, stage=None):
    return [item.text for item in todo(people, who, stage)]


def milestone(call, kind):
    return Milestone.objects.get(call=call, kind=kind).date


def assert_every_item_opens(client, people, who):
    """Each item's page answers 200 to the person it is listed for: nobody is sent to a page they may not open."""
    client.force_login(people[who])
    for item in todo(people, who):
        assert client.get(item.url).status_code == 200, (who, item)


def test_a_new_proposal_is_the_editors_to_screen_and_its_authors_to_wait_for(client, call, people, make_proposal):
    proposal = make_proposal(people["author_a"], title="Tiered review and technology release")
    editor = todo(people, "editor")
    assert [i.text for i in editor] == [f"Screen 1 new proposal for {call.title}"]
    assert editor[0].due == milestone(call, "proposals_close") and "status=submitted" in editor[0].url
    [mine] = todo(people, "author_a")
    assert proposal.title in mine.text and mine.due == milestone(call, "authors_notified")
    assert todo(people, "author_b") == []  # another author's proposal is not theirs
    for who in ("editor", "author_a"):
        assert_every_item_opens(client, people, who)


def test_a_chapter_being_written_is_due_from_its_author_and_one_sent_is_the_editors_to_read(client, call, people,
                                                                                            make_proposal):
    from chapterhouse.chapters.start import start_chapter

    chapter = start_chapter(make_proposal(people["author_a"], title="Surge capacity"), people["editor"])
    transition(chapter.proposal, "under_review", people["editor"], {"editor"})
    transition(chapter.proposal, "accepted", people["editor"], {"editor"})
    [mine] = todo(people, "author_a")  # the proposal is accepted: only the chapter is left to do
    assert mine.text == "Write and send your chapter “Surge capacity”" and mine.url == reverse("chapter", args=[chapter.pk])
    assert mine.due == milestone(call, "final_chapters_due")
    assert todo(people, "author_b") == []
    transition(chapter, "submitted", people["author_a"], {"owner"})
    assert todo(people, "author_a") == []
    [read] = todo(people, "editor", "Chapters")
    assert read.url == reverse("chapter_feedback", args=[chapter.pk]) and read.due == milestone(call, "editor_feedback")
    assert_every_item_opens(client, people, "editor")


def test_a_reviewers_list_holds_their_assignments_and_an_overdue_one_is_the_editors(client, call, people,
                                                                                    make_proposal):
    from chapterhouse.review.models import ReviewAssignment

    proposal = make_proposal(people["author_a"])
    transition(proposal, "under_review", people["editor"], {"editor"})
    late = timezone.localdate() - dt.timedelta(days=2)
    ReviewAssignment.objects.create(proposal=proposal, reviewer=people["reviewer"], due_on=late)
    [review] = todo(people, "reviewer")
    assert review.text.startswith(f"Review {proposal.reference}") and review.due == late
    assert review.overdue(timezone.localdate())
    assert [i.text for i in todo(people, "editor")] == [f"1 review is overdue in {call.title}"]
    for who in ("editor", "reviewer"):
        assert_every_item_opens(client, people, who)


def test_the_security_review_asks_each_person_for_their_part(client, call, people, volume):
    from chapterhouse.clearance.amending import answer, record_amendment, upload_amended
    from tests.clearance.conftest import chapter_file

    assert texts(people, "editor", "Security review") == [
        f"Prepare the security review request for {call.title} (2 chapters accepted as final)"]
    clearance = cleared(call, people, "cleared_as_amended", "One change.")
    amendment = record_amendment(clearance, volume["a"], "p. 1", "forty aircraft", "several aircraft",
                                 people["security"])
    [mine] = todo(people, "author_a", "Security review")
    assert mine.text == f"Make the 1 change the security review requires in “{volume['a'].title}”"
    assert mine.url == reverse("my_amendments", args=[volume["a"].pk])
    assert mine.due == milestone(call, "line_editing_galleys")
    assert [i for i in todo(people, "author_b") if i.stage == "Security review"] == []

    upload_amended(clearance, volume["a"], chapter_file(replace=("forty aircraft", "several aircraft")), "a.docx",
                   people["author_a"], {"owner"})
    assert [i.text for i in todo(people, "security")] == [f"Confirm or return the amended “{volume['a'].title}”"]
    assert_every_item_opens(client, people, "security")

    amendment.refresh_from_db()
    answer(amendment, "returned", people["security"], {"security_reviewer"}, "Note 3 still names the base.")
    [mine] = todo(people, "author_a", "Security review")
    assert "returned" in mine.text and mine.detail == "Reason: Note 3 still names the base."
    assert_every_item_opens(client, people, "author_a")
    client.force_login(people["author_a"])
    for page in (reverse("my_amendments", args=[volume["a"].pk]), reverse("my_clearance")):
        assert "Note 3 still names the base." in client.get(page).content.decode(), page


def test_production_is_asked_for_copyedits_cover_and_galleys_and_the_author_for_their_copyedit(
        client, call, people, volume, copyedited):
    production = texts(people, "production")
    assert f"Upload the cover of {call.title}" in production and f"Build the galleys of {call.title}" in production
    assert f"Copyedit “{volume['a'].title}” and send it to the author" in production
    client.force_login(people["production"])
    upload(client, volume["a"], copyedited)
    assert f"Copyedit “{volume['a'].title}” and send it to the author" not in texts(people, "production")
    [mine] = todo(people, "author_a", "Copyedit")
    assert mine.url == reverse("my_copyedit", args=[volume["a"].pk]) and mine.due == milestone(call, "galley_proofs")
    assert todo(people, "author_b", "Copyedit") == []
    for who in ("production", "author_a"):
        assert_every_item_opens(client, people, who)


def test_proofs_go_to_each_author_and_corrections_to_the_editors_with_the_launch_checklist(client, call, people,
                                                                                           volume, proof_round):
    from chapterhouse.production.proofs.corrections import file_correction

    [mine] = todo(people, "author_a", "Proofs")
    assert mine.url == reverse("my_proofs", args=[volume["a"].pk]) and mine.due == proof_round.due_on
    proof = proof_round.proofs.get(chapter=volume["a"])
    file_correction(proof, "3", 4, "teh", "the", "", people["author_a"])
    editor = texts(people, "editor")
    assert f"Accept or reject 1 proof correction in {call.title}" in editor
    assert f"Go through the launch checklist of {call.title}" in editor
    for who in ("editor", "author_a", "author_b"):
        assert_every_item_opens(client, people, who)


def test_the_to_do_page_lists_the_items_with_their_dates_and_an_overdue_one_says_so(client, call, people,
                                                                                   make_proposal):
    from chapterhouse.review.models import ReviewAssignment

    proposal = make_proposal(people["author_a"])
    late = timezone.localdate() - dt.timedelta(days=3)
    ReviewAssignment.objects.create(proposal=proposal, reviewer=people["reviewer"], due_on=late)
    client.force_login(people["reviewer"])
    page = client.get(reverse("todo")).content.decode()
    assert reverse("review_form", args=[proposal.review_assignments.get().pk]) in page
    assert f"Overdue since {late.day} {late:%B %Y}" in page
