"""A chapter starts from an accepted proposal, once, with its authors; each person sees only their chapters."""

import pytest
from django.core.files.base import ContentFile

from chapterhouse.chapters.access import chapter_roles, chapters_for
from chapterhouse.chapters.models import Chapter, ImmutableVersion, ManuscriptVersion
from chapterhouse.chapters.start import start_chapter
from chapterhouse.chapters.states import CHAPTER_WORKFLOW, FINAL, REVISING, SUBMITTED, WRITING
from chapterhouse.proposals.states import ACCEPTED, UNDER_REVIEW
from chapterhouse.workflow.models import AuditEntry
from chapterhouse.workflow.statemachine import TransitionNotAllowed
from chapterhouse.workflow.transitions import history, transition

pytestmark = pytest.mark.django_db


def test_a_chapter_takes_the_proposals_title_theme_and_authors(make_proposal, people):
    proposal = make_proposal(people["author_a"])
    chapter = start_chapter(proposal, people["editor"])
    assert (chapter.title, chapter.theme, chapter.call, chapter.proposal) == (
        proposal.title, proposal.theme, proposal.call, proposal)
    assert chapter.status == WRITING and chapter.order == 1
    [author] = chapter.authors.all()
    assert (author.name, author.email, author.is_contact, author.user) == (
        "Author_A", "author_a@example.org", True, people["author_a"])
    assert [e.action for e in history(chapter)] == [f"Chapter started from proposal {proposal.reference}"]


def test_starting_twice_gives_the_same_chapter(make_proposal, people):
    proposal = make_proposal(people["author_a"])
    first = start_chapter(proposal, people["editor"])
    assert start_chapter(proposal, people["editor"]) == first
    assert Chapter.objects.count() == 1 and first.authors.count() == 1


def test_chapters_in_a_theme_are_ordered_as_they_start(make_proposal, people):
    one = start_chapter(make_proposal(people["author_a"]), people["editor"])
    two = start_chapter(make_proposal(people["author_b"], title="Another on the same theme"), people["editor"])
    assert (one.order, two.order) == (1, 2)


def test_accepting_a_proposal_on_the_desk_starts_its_chapter(make_proposal, people):
    proposal = make_proposal(people["author_a"])
    transition(proposal, UNDER_REVIEW, people["editor"], {"editor"})
    assert not Chapter.objects.exists()
    transition(proposal, ACCEPTED, people["editor"], {"editor"})
    chapter = Chapter.objects.get(proposal=proposal)
    assert chapter.authors.get().user == people["author_a"]
    # Reconsidered and accepted again: still the one chapter.
    transition(proposal, UNDER_REVIEW, people["editor"], {"editor"}, "Second look")
    transition(proposal, ACCEPTED, people["editor"], {"editor"})
    assert Chapter.objects.filter(proposal=proposal).count() == 1


def test_accepting_through_the_desk_view(client, make_proposal, people):
    proposal = make_proposal(people["author_a"])
    client.force_login(people["editor"])
    client.post(f"/desk/proposals/{proposal.reference}/move/", {"to": UNDER_REVIEW})
    client.post(f"/desk/proposals/{proposal.reference}/move/", {"to": ACCEPTED})
    assert Chapter.objects.filter(proposal=proposal).exists()


def test_who_sees_which_chapters(chapter_a, chapter_b, people):
    assert set(chapters_for(people["editor"])) == {chapter_a, chapter_b}
    assert list(chapters_for(people["author_a"])) == [chapter_a]
    assert list(chapters_for(people["author_b"])) == [chapter_b]
    for who in ("reviewer", "security", "production"):
        assert not chapters_for(people[who]).exists()
    from django.contrib.auth.models import AnonymousUser

    assert not chapters_for(AnonymousUser()).exists()


def test_later_stages_see_final_chapters_only(chapter_a, chapter_b, people):
    editor = people["editor"]
    transition(chapter_a, SUBMITTED, editor, {"editor"})
    transition(chapter_a, FINAL, editor, {"editor"})
    assert list(chapters_for(people["security"])) == [chapter_a]
    assert list(chapters_for(people["production"])) == [chapter_a]
    assert chapter_roles(people["security"], chapter_a) == {"security_reviewer"}
    assert chapter_roles(people["security"], chapter_b) == set()


def test_a_coauthor_with_an_account_sees_the_chapter_once(chapter_a, people, make_user):
    coauthor = make_user("coauthor", "author")
    chapter_a.authors.create(name="Co Author", email="co@example.org", user=coauthor, order=2)
    chapter_a.authors.create(name="Third", email="third@example.org", order=3)
    assert list(chapters_for(coauthor)) == [chapter_a]
    assert chapter_roles(coauthor, chapter_a) == {"owner"}


def test_the_workflow_lets_authors_send_and_only_editors_decide(chapter_a, people):
    author, editor = people["author_a"], people["editor"]
    with pytest.raises(TransitionNotAllowed):
        transition(chapter_a, FINAL, author, {"owner"})
    transition(chapter_a, SUBMITTED, author, {"owner"})
    with pytest.raises(TransitionNotAllowed):
        transition(chapter_a, FINAL, author, {"owner"})
    transition(chapter_a, REVISING, editor, {"editor"})
    transition(chapter_a, SUBMITTED, author, {"owner"})
    transition(chapter_a, FINAL, editor, {"editor"})
    with pytest.raises(TransitionNotAllowed, match="reason"):
        transition(chapter_a, REVISING, editor, {"editor"})
    assert AuditEntry.objects.filter(object_id=chapter_a.pk, to_state=FINAL).count() == 1
    assert not CHAPTER_WORKFLOW.is_final(FINAL)


def test_a_stored_version_cannot_be_changed_except_its_final_mark(chapter_a, people):
    version = ManuscriptVersion(chapter=chapter_a, number=1, sha256="ab" * 32, original_name="ch.docx",
                                words=5000, passed=True, report={"passed": True}, uploaded_by=people["author_a"])
    version.file.save("ch.docx", ContentFile(b"PK fake"), save=False)
    version.save()
    assert version.file.name == f"chapters/ab/{'ab' * 32}.docx"
    version.words = 1
    with pytest.raises(ImmutableVersion):
        version.save()
    version.refresh_from_db()
    version.is_final = True
    version.save(update_fields=["is_final"])
    assert chapter_a.final_version == version == chapter_a.latest_version


def test_what_the_proposal_asked_for_becomes_records_the_editors_track(make_proposal, people):
    from decimal import Decimal

    proposal = make_proposal(people["author_a"], builds_on_existing_work=True,
                             existing_work_details="Chapter 3 of my 2021 book", permission_status="requested",
                             funding_requested=True, funding_amount=Decimal("1800.00"),
                             funding_justification="Two archive trips", access_requested=True,
                             access_offices="DSCA Office of Strategy", access_reason="Interviews on the case process")
    chapter = start_chapter(proposal, people["editor"])
    permission, funding, access = chapter.permissions.get(), chapter.funding.get(), chapter.access_requests.get()
    assert (permission.material, permission.status) == ("Chapter 3 of my 2021 book", "requested")
    assert (funding.amount, funding.purpose, funding.status) == (Decimal("1800.00"), "Two archive trips", "requested")
    assert (access.officials, access.status) == ("DSCA Office of Strategy", "requested")
    assert all(record.missing for record in (permission, funding, access))
