"""Feedback and revision rounds through the pages: the author sends, the editors ask for a revision with a
letter and an annotated copy, the author answers with a letter and a new version, the editors accept it."""

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse

from chapterhouse.chapters.states import FINAL, REVISING, SUBMITTED
from chapterhouse.chapters.sample import chapter_markdown, edit, to_docx
from tests.chapters.test_uploads import _upload
from tests.fixtures.files import word_file

pytestmark = pytest.mark.django_db


def milestone(chapter, kind) -> dt.date:
    return next(m.date for m in chapter.call.definition.milestones if m.kind == kind)


@pytest.fixture(scope="module")
def drafts():
    markdown = chapter_markdown()
    return to_docx(markdown), to_docx(edit(markdown))


def test_a_whole_round(client, chapter_a, people, drafts, django_capture_on_commit_callbacks):
    first, second = drafts
    chapter_a.authors.create(name="Co Author", email="co@example.org", order=2)
    author, editor = people["author_a"], people["editor"]
    client.force_login(author)
    client.post(reverse("chapter_upload", args=[chapter_a.pk]), {"file": _upload("v1.docx", first)})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("chapter_send", args=[chapter_a.pk]), {"letter": ""})
    assert response.status_code == 302
    chapter_a.refresh_from_db()
    assert chapter_a.status == SUBMITTED
    assert [m.to for m in mail.outbox] == [["editor@example.org"]] and "Chapter received" in mail.outbox[0].subject

    client.force_login(editor)
    mail.outbox.clear()
    revised_due = milestone(chapter_a, "revised_chapters_due") - dt.timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("chapter_feedback", args=[chapter_a.pk]), {
            "letter": "Please open with the case and tighten section 2.", "decision": "revise",
            "revised_due": f"{revised_due:%Y-%m-%d}", "annotated": _upload("comments.docx", word_file("Comment: tighten."))})
    assert response.status_code == 302, response.content.decode()[:3000]
    chapter_a.refresh_from_db()
    assert chapter_a.status == REVISING
    assert sorted(address for letter in mail.outbox for address in letter.to) == ["author_a@example.org", "co@example.org"]
    letter = mail.outbox[0]
    assert "tighten section 2" in letter.body and f"{revised_due:%-d %B %Y}" in letter.body
    round_one = chapter_a.rounds.get()
    assert round_one.annotated_name == "comments.docx"
    client.force_login(author)
    assert client.get(reverse("chapter_annotated", args=[chapter_a.pk, 1])).status_code == 200
    deadline = {d.kind: d for d in __import__("chapterhouse.chapters.deadlines", fromlist=["x"]).deadlines(chapter_a)}
    assert deadline["revised_chapters_due"].due_on == revised_due and deadline["revised_chapters_due"].owed_now

    # Sending without a new version or a letter is refused with a reason.
    response = client.post(reverse("chapter_send", args=[chapter_a.pk]), {"letter": "Done."})
    assert response.status_code == 400 and "Upload the revised version first" in response.content.decode()
    client.post(reverse("chapter_upload", args=[chapter_a.pk]), {"file": _upload("v2.docx", second)})
    response = client.post(reverse("chapter_send", args=[chapter_a.pk]), {"letter": ""})
    assert response.status_code == 400 and "response letter" in response.content.decode()
    client.post(reverse("chapter_send", args=[chapter_a.pk]), {"letter": "I opened with the case."})
    round_one.refresh_from_db()
    assert round_one.response_version.number == 2 and round_one.response_letter == "I opened with the case."

    client.force_login(editor)
    diff_page = client.get(reverse("chapter_diff", args=[chapter_a.pk])).content.decode()
    assert "<ins>Revised opening</ins>" in diff_page and "Footnote 2" in diff_page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("chapter_feedback", args=[chapter_a.pk]), {"letter": "Thank you.", "decision": "accept"})
    chapter_a.refresh_from_db()
    assert chapter_a.status == FINAL and chapter_a.final_version.number == 2
    assert "Accepted as final" in mail.outbox[0].subject


def test_accepting_a_version_with_unwaived_errors_is_refused(client, chapter_a, people):
    from chapterhouse.chapters.upload import store_version
    from chapterhouse.workflow.transitions import transition

    store_version(chapter_a, word_file("Far too short."), "short.docx", people["author_a"])
    transition(chapter_a, SUBMITTED, people["author_a"], {"owner"})
    client.force_login(people["editor"])
    response = client.post(reverse("chapter_feedback", args=[chapter_a.pk]), {"letter": "Fine.", "decision": "accept"})
    assert response.status_code == 400 and "neither fixed nor waived" in response.content.decode()
    chapter_a.refresh_from_db()
    assert chapter_a.status == SUBMITTED and not chapter_a.rounds.exists()


def test_an_extension_moves_the_deadline_and_is_kept(client, chapter_a, people):
    from chapterhouse.chapters.deadlines import current_deadline
    from chapterhouse.workflow.transitions import history

    client.force_login(people["editor"])
    later = milestone(chapter_a, "final_chapters_due") + dt.timedelta(days=30)
    client.post(reverse("chapter_extend", args=[chapter_a.pk]),
                {"kind": "final_chapters_due", "due_on": f"{later:%Y-%m-%d}", "reason": "Fieldwork delayed by travel rules."})
    deadline = current_deadline(chapter_a)
    assert (deadline.kind, deadline.due_on, deadline.extended) == ("final_chapters_due", later, True)
    assert history(chapter_a)[-1].reason == "Fieldwork delayed by travel rules."


def test_records_track_permissions_funding_and_access_and_the_board_shows_what_is_missing(client, chapter_a, people):
    from tests.fixtures.files import pdf_file

    client.force_login(people["editor"])
    url = reverse("chapter_records", args=[chapter_a.pk])
    client.post(url, {"kind": "permission", "permission-new-material": "Map of partner bases",
                      "permission-new-rights_holder": "Atlas Press", "permission-new-status": "requested"})
    client.post(url, {"kind": "funding", "funding-new-amount": "2500", "funding-new-purpose": "Archive travel",
                      "funding-new-status": "requested"})
    client.post(url, {"kind": "access", "access-new-officials": "DSCA Office of Strategy", "access-new-status": "arranged",
                      "access-new-meeting_on": "2030-06-01"})
    board = client.get(reverse("chapter_board")).content.decode()
    assert "Permission: Map of partner bases" in board and "Funding: Archive travel" in board and "Access: DSCA" in board
    permission = chapter_a.permissions.get()
    marked = pdf_file("CUI//SP-CTI", "Permission letter")
    response = client.post(url, {"kind": "permission", "id": permission.pk, f"permission-{permission.pk}-material": "Map",
                                 f"permission-{permission.pk}-rights_holder": "Atlas Press",
                                 f"permission-{permission.pk}-status": "granted",
                                 f"permission-{permission.pk}-document": _upload("letter.pdf", marked)})
    assert response.status_code == 400 and "Not stored" in response.content.decode()
    permission.refresh_from_db()
    assert permission.status == "requested" and not permission.document
    client.post(url, {"kind": "permission", "id": permission.pk, f"permission-{permission.pk}-material": "Map",
                      f"permission-{permission.pk}-rights_holder": "Atlas Press",
                      f"permission-{permission.pk}-status": "granted",
                      f"permission-{permission.pk}-document": _upload("letter.pdf", pdf_file("Permission granted."))})
    permission.refresh_from_db()
    assert permission.status == "granted" and permission.document and not permission.missing
    client.force_login(people["author_a"])
    page = client.get(reverse("chapter", args=[chapter_a.pk])).content.decode()
    assert "DSCA Office of Strategy — Arranged" in page
