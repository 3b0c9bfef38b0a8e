"""Deadlines as editors and authors rely on them: an extension only moves a deadline later and keeps the
milestones in order, and the authors are told; a revision is due after the feedback and before the security
review; the feedback form offers the call's date and keeps the annotated file when it is shown again; a chapter
sent after its deadline is marked late on its page, on the board and in the editors' mail."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.chapters.deadlines import current_deadline
from chapterhouse.chapters.rounds import send_to_editors
from chapterhouse.chapters.states import REVISING, SUBMITTED
from chapterhouse.chapters.upload import store_version
from chapterhouse.workflow.transitions import history, transition
from tests.chapters.test_uploads import _upload
from tests.fixtures.files import word_file

pytestmark = pytest.mark.django_db


def milestone(chapter, kind) -> dt.date:
    return next(m.date for m in chapter.call.definition.milestones if m.kind == kind)


def extend(client, chapter, due_on: dt.date, kind="final_chapters_due", capture=None):
    return client.post(reverse("chapter_extend", args=[chapter.pk]),
                       {"kind": kind, "due_on": f"{due_on:%Y-%m-%d}", "reason": "Archive closed for a month."},
                       follow=True)


def test_an_earlier_date_is_not_an_extension_and_changes_nothing(client, chapter_a, people):
    due = milestone(chapter_a, "final_chapters_due")
    client.force_login(people["editor"])
    response = extend(client, chapter_a, due - dt.timedelta(days=60))
    page = response.content.decode()
    assert "An extension moves a deadline later" in page and f"{due:%-d %B %Y}" in page
    assert not chapter_a.extensions.exists()
    assert current_deadline(chapter_a).due_on == due and not current_deadline(chapter_a).extended
    assert not mail.outbox


def test_an_extension_past_the_stage_that_needs_the_work_is_refused_naming_it(client, chapter_a, people):
    revised = milestone(chapter_a, "revised_chapters_due")
    client.force_login(people["editor"])
    page = extend(client, chapter_a, revised + dt.timedelta(days=1)).content.decode()
    assert "Revised chapters due" in page or "revised chapters" in page.lower()
    assert f"{revised:%-d %B %Y}" in page and "Nothing was changed" in page
    assert not chapter_a.extensions.exists()


def test_a_real_extension_moves_the_deadline_and_mails_the_authors(client, chapter_a, people,
                                                                    django_capture_on_commit_callbacks):
    due = milestone(chapter_a, "final_chapters_due")
    later = due + dt.timedelta(days=21)
    chapter_a.authors.create(name="Co Author", email="co@example.org", order=2)
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        page = extend(client, chapter_a, later).content.decode()
    assert f"is now {later:%-d %B %Y}" in page
    deadline = current_deadline(chapter_a)
    assert (deadline.due_on, deadline.extended) == (later, True)
    assert sorted(a for m in mail.outbox for a in m.to) == ["author_a@example.org", "co@example.org"]
    letter = mail.outbox[0]
    assert f"{later:%-d %B %Y}" in letter.body and f"was {due:%-d %B %Y}" in letter.body
    assert "Archive closed for a month." in letter.body
    assert history(chapter_a)[-1].action == f"Extended “Final chapter due” from {due:%-d %B %Y} to {later:%-d %B %Y}"


def test_a_deadline_no_longer_owed_cannot_be_extended(client, chapter_a, people):
    store_version(chapter_a, word_file("A draft."), "draft.docx", people["author_a"])
    transition(chapter_a, SUBMITTED, people["author_a"], {"owner"})
    client.force_login(people["editor"])
    page = extend(client, chapter_a, milestone(chapter_a, "final_chapters_due") + dt.timedelta(days=5)).content.decode()
    assert "not owed now" in page and not chapter_a.extensions.exists()


@pytest.fixture
def submitted(chapter_a, people):
    store_version(chapter_a, word_file("A draft of the chapter."), "draft.docx", people["author_a"])
    send_to_editors(chapter_a, people["author_a"], {"owner"})
    return chapter_a


def test_the_feedback_form_offers_the_calls_revision_date(client, submitted, people):
    client.force_login(people["editor"])
    page = client.get(reverse("chapter_feedback", args=[submitted.pk])).content.decode()
    assert f'value="{milestone(submitted, "revised_chapters_due"):%Y-%m-%d}"' in page


def test_a_revision_due_before_the_feedback_is_refused_and_the_annotated_file_is_kept(client, submitted, people):
    from django.utils import timezone

    client.force_login(people["editor"])
    url = reverse("chapter_feedback", args=[submitted.pk])
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {"letter": "Please tighten.", "decision": "revise", "revised_due": f"{yesterday:%Y-%m-%d}",
                                 "annotated": _upload("comments.docx", word_file("Comment: tighten section 2."))})
    page = response.content.decode()
    assert response.status_code == 400 and "must be due after today" in page
    assert "Kept from your last try" in page and "comments.docx" in page
    assert submitted.status == SUBMITTED and not submitted.rounds.exists()
    token = response.context["held_token"]

    # Another editor cannot take the kept file with the token.
    other = people["editor"].__class__.objects.create_user("editor2", "editor2@example.org", "correct-horse-battery")
    other.groups.add(*people["editor"].groups.all())
    client.force_login(other)
    due = milestone(submitted, "revised_chapters_due")
    response = client.post(url, {"letter": "x", "decision": "revise", "revised_due": f"{due:%Y-%m-%d}",
                                 "held_annotated": token})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == REVISING and submitted.rounds.get().annotated_name == ""


def test_the_kept_annotated_file_goes_with_the_corrected_feedback(client, submitted, people):
    from django.utils import timezone

    client.force_login(people["editor"])
    url = reverse("chapter_feedback", args=[submitted.pk])
    response = client.post(url, {"letter": "Please tighten.", "decision": "revise",
                                 "revised_due": f"{timezone.localdate():%Y-%m-%d}",
                                 "annotated": _upload("comments.docx", word_file("Comment: tighten section 2."))})
    assert response.status_code == 400
    due = milestone(submitted, "revised_chapters_due") - dt.timedelta(days=3)
    response = client.post(url, {"letter": "Please tighten.", "decision": "revise", "revised_due": f"{due:%Y-%m-%d}",
                                 "held_annotated": response.context["held_token"]})
    assert response.status_code == 302
    feedback = submitted.rounds.get()
    assert feedback.annotated_name == "comments.docx" and feedback.revised_due == due
    with feedback.annotated.open("rb") as handle:
        assert handle.read()[:2] == b"PK"


def test_a_revision_due_after_the_security_review_submission_is_refused(client, submitted, people):
    client.force_login(people["editor"])
    security = milestone(submitted, "security_review_submission")
    response = client.post(reverse("chapter_feedback", args=[submitted.pk]), {
        "letter": "Please tighten.", "decision": "revise", "revised_due": f"{security + dt.timedelta(days=1):%Y-%m-%d}"})
    assert response.status_code == 400 and "Security review" in response.content.decode()


def test_a_chapter_sent_after_its_deadline_is_marked_late(client, chapter_a, people, time_machine,
                                                         django_capture_on_commit_callbacks):
    due = milestone(chapter_a, "final_chapters_due")
    time_machine.move_to(dt.datetime.combine(due + dt.timedelta(days=4), dt.time(12, 0), tzinfo=dt.timezone.utc))
    client.force_login(people["author_a"])
    page = client.get(reverse("chapter", args=[chapter_a.pk])).content.decode()
    assert '<span class="overdue">late</span>' in page
    store_version(chapter_a, word_file("A draft of the chapter."), "draft.docx", people["author_a"])
    with django_capture_on_commit_callbacks(execute=True):
        send_to_editors(chapter_a, people["author_a"], {"owner"})
    assert "It arrived 4 days after its deadline (Final chapter due" in mail.outbox[-1].body
    page = client.get(reverse("chapter", args=[chapter_a.pk])).content.decode()
    assert "version 1 was sent 4 days after “Final chapter due”" in page
    client.force_login(people["editor"])
    board = client.get(reverse("chapter_board")).content.decode()
    assert "4 days late" in board


def test_a_chapter_sent_on_time_is_not_marked_late(chapter_a, people):
    store_version(chapter_a, word_file("A draft of the chapter."), "draft.docx", people["author_a"])
    send_to_editors(chapter_a, people["author_a"], {"owner"})
    assert not chapter_a.late_arrivals.exists()
