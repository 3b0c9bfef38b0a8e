"""Issue 18 §4: a full disk is told to the person, not a 500 (every upload path, with ENOSPC simulated).

Writing a stored file fails with ENOSPC exactly where a full disk fails it: web/storage.py opens its temporary
file, and the write into it raises. Each upload path must answer 507 with "cannot store files now … nothing was
kept", give back what was typed, keep no row and no file, and log one operational line ("storage full") instead
of an internal error with a traceback. (Here with the chapter fixtures; the proposal form is public.)
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import os

import pytest
from django.urls import reverse

from chapterhouse.chapters.states import SUBMITTED
from chapterhouse.progress.models import ReviewSession, Slot
from chapterhouse.proposals.models import Proposal
from chapterhouse.web import storage
from chapterhouse.workflow.transitions import transition
from tests.chapters.files import stored_files, stored_rows
from tests.chapters.test_uploads import _upload
from tests.fixtures.files import pdf_file, word_file
from tests.proposals.test_propose_view import form_data

pytestmark = pytest.mark.django_db


class FullDisk:
    """Stands in for the ``os`` module inside web/storage.py: files open, every write into them fails."""

    class Writer:
        def __init__(self, real):
            self.real = real

        def write(self, data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self.real, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.real.close()

    def fdopen(self, fd, *args, **kwargs):
        return self.Writer(os.fdopen(fd, *args, **kwargs))

    def __getattr__(self, name):
        return getattr(os, name)


@pytest.fixture
def full_disk(monkeypatch):
    monkeypatch.setattr(storage, "os", FullDisk())


@pytest.fixture
def logged(caplog):
    caplog.set_level(logging.WARNING)
    return caplog


def assert_told_and_nothing_kept(response, before, logged, *typed):
    page = response.content.decode()
    assert response.status_code == 507, page[:2000]
    assert "cannot store files" in page and "Nothing you sent was kept" in page
    for text in typed:
        assert text in page, f"what was typed is given back: {text!r}"
    assert (stored_files(), stored_rows()) == before
    assert not any(p.name.startswith(storage.PARTIAL_PREFIX) for p in storage_root().rglob("*"))
    records = [r for r in logged.records if r.levelno >= logging.ERROR]
    assert [r.getMessage().split(":")[0] for r in records if r.name == "chapterhouse.operations"] == ["storage full"]
    assert not [r for r in records if r.exc_info], "logged with a traceback"
    assert not [r for r in records if "Internal Server Error" in r.getMessage()]


def storage_root():
    from pathlib import Path

    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


def test_the_proposal_form(client, call, full_disk, logged):
    before = (stored_files(), stored_rows())
    data = form_data(title="Offsets in arms transfers, case by case")
    data["attachment"] = _upload("outline.docx", word_file("An outline of the chapter."))
    response = client.post(reverse("propose", kwargs={"slug": call.slug}), data)
    assert_told_and_nothing_kept(response, before, logged, "Offsets in arms transfers, case by case", "Casey Park")
    assert Proposal.objects.count() == 0


def test_a_chapter_upload(client, chapter_a, people, full_disk, logged):
    client.force_login(people["author_a"])
    before = (stored_files(), stored_rows())
    response = client.post(reverse("chapter_upload", args=[chapter_a.pk]),
                           {"file": _upload("draft.docx", word_file("A first draft.")), "note": "Section 3 is new."})
    assert_told_and_nothing_kept(response, before, logged, "Section 3 is new.")


def test_a_review_session_upload(client, chapter_a, call, people, full_disk, logged):
    start = dt.datetime(2030, 5, 14, 13, 0, tzinfo=dt.timezone.utc)
    session = ReviewSession.objects.create(call=call, title="May reviews", starts_at=start,
                                           ends_at=start + dt.timedelta(hours=3))
    slot = Slot.objects.create(session=session, chapter=chapter_a, presenter="Author_A")
    client.force_login(people["author_a"])
    before = (stored_files(), stored_rows())
    response = client.post(reverse("review_slot_upload", args=[slot.pk]),
                           {"kind": "slides", "file": _upload("slides.pdf", pdf_file("Slides"))})
    assert_told_and_nothing_kept(response, before, logged)


def test_a_permission_document(client, chapter_a, people, full_disk, logged):
    client.force_login(people["editor"])
    before = (stored_files(), stored_rows())
    response = client.post(reverse("chapter_records", args=[chapter_a.pk]), {
        "kind": "permission", "permission-new-material": "Map of partner bases",
        "permission-new-rights_holder": "Atlas Press", "permission-new-status": "granted",
        "permission-new-document": _upload("letter.pdf", pdf_file("Permission granted."))})
    assert_told_and_nothing_kept(response, before, logged, "Map of partner bases", "Atlas Press")


def test_an_annotated_chapter_with_feedback(client, chapter_a, people, monkeypatch, logged):
    from chapterhouse.chapters.upload import store_version

    store_version(chapter_a, word_file("Draft."), "draft.docx", people["author_a"])
    transition(chapter_a, SUBMITTED, people["author_a"], {"owner"})
    monkeypatch.setattr(storage, "os", FullDisk())  # the disk fills now
    client.force_login(people["editor"])
    before = (stored_files(), stored_rows())
    response = client.post(reverse("chapter_feedback", args=[chapter_a.pk]), {
        "letter": "Please open with the case and tighten section 2.", "decision": "revise",
        "revised_due": "2031-02-01", "annotated": _upload("comments.docx", word_file("Comment: tighten."))})
    assert_told_and_nothing_kept(response, before, logged, "tighten section 2")
    chapter_a.refresh_from_db()
    assert chapter_a.status == SUBMITTED


def test_a_cover_image(client, call, people, full_disk, logged):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chapterhouse.production.models import Cover
    from tests.volume_fixtures import cover_png

    image = SimpleUploadedFile("cover.png", cover_png(), "image/png")
    client.force_login(people["production"])
    before = (stored_files(), stored_rows())
    response = client.post(reverse("production_cover", args=[call.slug]),
                           {"image": image, "description": "Navy cover with a brick band"})
    assert_told_and_nothing_kept(response, before, logged, "Navy cover with a brick band")
    assert not Cover.objects.exists()
