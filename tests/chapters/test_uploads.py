"""Uploads are checked before they are stored: markings refused with nothing written, other files kept once,
by content, with their report; the public check page stores nothing at all."""

import pytest
from django.urls import reverse

from chapterhouse.chapters.models import ManuscriptVersion
from chapterhouse.chapters.rounds import NotFinal, mark_final, waive
from chapterhouse.chapters.upload import UploadRefused, store_version
from tests.chapters.files import stored_files, stored_rows
from chapterhouse.chapters.sample import chapter_markdown, to_docx
from tests.fixtures.files import word_file

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def good_chapter():
    return to_docx(chapter_markdown())


@pytest.fixture(scope="module")
def cui_chapter():
    return to_docx(chapter_markdown(note_extra={3: " (CUI) The program office memorandum adds the release dates."}))


def test_a_chapter_that_meets_the_rules_is_stored_by_its_hash_with_its_report(chapter_a, people, good_chapter):
    version = store_version(chapter_a, good_chapter, "my chapter.docx", people["author_a"])
    assert version.number == 1 and version.passed and 4000 < version.words < 8000
    assert version.report["schema"] == "chapterhouse.manuscript-check/1" and version.report["passed"]
    assert version.file.name.endswith(f"{version.sha256}.docx") and version.original_name == "my chapter.docx"
    with version.file.open("rb") as stored:
        assert stored.read() == good_chapter


def test_a_file_with_cui_in_a_footnote_is_refused_and_nothing_is_stored(chapter_a, people, cui_chapter):
    files, rows = stored_files(), stored_rows()
    with pytest.raises(UploadRefused) as refused:
        store_version(chapter_a, cui_chapter, "chapter.docx", people["author_a"])
    [problem] = refused.value.problems
    assert "CUI" in problem.message and problem.location.startswith("footnote 3")
    assert (stored_files(), stored_rows()) == (files, rows)


def test_the_refusal_through_the_page_keeps_the_note_and_stores_nothing(client, chapter_a, people, cui_chapter):
    client.force_login(people["author_a"])
    files, rows = stored_files(), stored_rows()
    response = client.post(reverse("chapter_upload", args=[chapter_a.pk]),
                           {"file": _upload("cui.docx", cui_chapter), "note": "My careful note"})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Not stored" in page and "footnote 3" in page and "My careful note" in page
    assert (stored_files(), stored_rows()) == (files, rows)


def test_the_same_file_twice_is_one_version(chapter_a, people, good_chapter):
    store_version(chapter_a, good_chapter, "a.docx", people["author_a"])
    with pytest.raises(UploadRefused, match="identical to version 1"):
        store_version(chapter_a, good_chapter, "a-again.docx", people["author_a"])
    assert chapter_a.versions.count() == 1


def test_an_unreadable_file_is_refused_with_the_readers_message(chapter_a, people):
    with pytest.raises(UploadRefused, match="PDF"):
        store_version(chapter_a, b"%PDF-1.7\n", "chapter.docx", people["author_a"])
    assert not ManuscriptVersion.objects.exists()


def test_final_needs_every_error_waived_and_waivers_are_audited(chapter_a, people):
    version = store_version(chapter_a, word_file("Too short to be a chapter."), "short.docx", people["author_a"])
    errors = version.unwaived_errors()
    assert errors and not version.passed
    with pytest.raises(NotFinal):
        mark_final(version, people["editor"])
    with pytest.raises(ValueError, match="why"):
        waive(version, errors[0]["index"], "  ", people["editor"])
    for finding in errors:
        waive(version, finding["index"], "Agreed with the series editor.", people["editor"])
    mark_final(version, people["editor"])
    version.refresh_from_db()
    assert version.is_final and chapter_a.final_version == version
    from chapterhouse.workflow.transitions import history

    actions = [e.action for e in history(chapter_a)]
    assert sum(a.startswith("Waived") for a in actions) == len(errors) and "Marked version 1 as final" in actions


def test_the_report_page_shows_verdict_bar_and_each_finding(client, chapter_a, people):
    version = store_version(chapter_a, word_file("Too short to be a chapter."), "short.docx", people["author_a"])
    client.force_login(people["author_a"])
    page = client.get(version.get_absolute_url()).content.decode()
    assert "Does not yet meet the call" in page and "words short" in page and "Fix:" in page
    assert "Waive this finding" not in page  # authors read; editors waive
    client.force_login(people["editor"])
    assert "Waive this finding" in client.get(version.get_absolute_url()).content.decode()


def test_public_check_stores_nothing_and_reports(client, call, cui_chapter, good_chapter):
    files, rows = stored_files(), stored_rows()
    response = client.post(reverse("check_chapter", args=[call.slug]), {"file": _upload("mine.docx", good_chapter)})
    assert response.status_code == 200 and "Passed the call" in response.content.decode()
    response = client.post(reverse("check_chapter", args=[call.slug]), {"file": _upload("cui.docx", cui_chapter)})
    page = response.content.decode()
    assert "CUI" in page and "footnote 3" in page
    assert (stored_files(), stored_rows()) == (files, rows)


def test_public_check_is_rate_limited(client, call, settings):
    settings.CHAPTERHOUSE_SUBMISSION_RATE = "2/h"
    codes = [client.post(reverse("check_chapter", args=[call.slug]), {"file": _upload("x.docx", word_file("x"))}).status_code
             for _ in range(3)]
    assert codes == [200, 200, 429]


def test_the_call_page_links_the_check(client, call):
    assert reverse("check_chapter", args=[call.slug]) in client.get(call.get_absolute_url()).content.decode()


def _upload(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
