"""A chapter's author uploads their own permission letter: screened, stored, and "requested" until an editor
confirms the permission on the records page."""

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import PermissionRecord
from chapterhouse.workflow.transitions import history
from tests.chapters.test_uploads import _upload
from tests.fixtures.files import pdf_file, word_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def record(chapter_a):
    return PermissionRecord.objects.create(chapter=chapter_a, material="Figure 2", rights_holder="A Press")


def letter_url(record):
    return reverse("chapter_permission_letter", args=[record.chapter_id, record.pk])


def test_the_author_uploads_a_letter_and_it_waits_for_the_editors(client, people, chapter_a, record):
    client.force_login(people["author_a"])
    page = client.get(reverse("chapter", args=[chapter_a.pk])).content.decode()
    assert letter_url(record) in page and "Upload the permission letter for Figure 2" in page
    response = client.post(letter_url(record), {"letter": _upload("letter.pdf", pdf_file("A Press grants permission."))},
                           follow=True)
    record.refresh_from_db()
    assert record.document and record.document_name == "letter.pdf"
    assert record.status == PermissionRecord.Status.REQUESTED and record.missing  # not granted until confirmed
    assert "the editors will confirm the permission" in response.content.decode()
    assert "awaiting the editors' confirmation" in response.content.decode()
    assert any("Permission letter uploaded by the author" in e.action for e in history(chapter_a))


def test_a_new_letter_for_a_granted_permission_needs_confirming_again(client, people, record):
    record.status = PermissionRecord.Status.GRANTED
    record.save()
    client.force_login(people["author_a"])
    client.post(letter_url(record), {"letter": _upload("again.pdf", pdf_file("A second letter."))})
    record.refresh_from_db()
    assert record.status == PermissionRecord.Status.REQUESTED and record.document_name == "again.pdf"


def test_a_marked_letter_is_refused_with_nothing_stored(client, people, record):
    client.force_login(people["author_a"])
    response = client.post(letter_url(record), {"letter": _upload("letter.docx", word_file("SECRET//NOFORN", "Letter"))},
                           follow=True)
    record.refresh_from_db()
    assert not record.document and record.status == PermissionRecord.Status.NEEDED
    assert "was not stored" in response.content.decode()


def test_no_file_is_told_and_nothing_changes(client, people, record):
    client.force_login(people["author_a"])
    response = client.post(letter_url(record), {}, follow=True)
    assert "Nothing was uploaded for “Figure 2”" in response.content.decode()
    record.refresh_from_db()
    assert not record.document


def test_another_author_and_the_editors_cannot_use_it(client, people, record):
    for who in ("author_b", "editor"):
        client.force_login(people[who])
        assert client.post(letter_url(record), {"letter": _upload("x.pdf", pdf_file("x"))}).status_code == 404
    record.refresh_from_db()
    assert not record.document
