"""Issue 7 §6: active PDFs refused, attachments served as the type the server found, no orphan files."""

import io
import os
import time

import pikepdf
import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from chapterhouse.proposals.attachments import AttachmentRefused, inspect_attachment
from chapterhouse.proposals.models import Attachment, Proposal
from tests.fixtures.files import pdf_file, word_file


def with_active_content(kind: str) -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_file("A draft chapter on security cooperation case reform.")))
    script = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('hi')")))
    if kind == "openaction":
        pdf.Root.OpenAction = script
    elif kind == "names":
        pdf.Root.Names = pikepdf.Dictionary(JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("x"), script])))
    elif kind == "launch":
        pdf.Root.OpenAction = pdf.make_indirect(pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("calc.exe")))
    elif kind == "page":
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=script)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["openaction", "names", "launch", "page"])
def test_a_pdf_with_active_content_is_refused_with_a_reason(kind):
    with pytest.raises(AttachmentRefused) as refusal:
        inspect_attachment("draft.pdf", with_active_content(kind), ["docx", "pdf"], 10**7)
    assert "active content" in str(refusal.value) and "draft.pdf" in str(refusal.value)


def test_a_plain_pdf_is_still_accepted():
    assert inspect_attachment("draft.pdf", pdf_file("A plain draft chapter."), ["pdf"], 10**7).kind == "pdf"


@pytest.mark.django_db
def test_an_attachment_is_served_as_the_type_the_server_found_as_a_download(client, people, make_proposal):
    outline = word_file("Outline")
    proposal = make_proposal(people["author_a"], attachment_name="outline.docx", attachment_bytes=outline,
                             inspected_attachment=inspect_attachment("outline.docx", outline, ["docx"], 10**7))
    Attachment.objects.filter(proposal=proposal).update(content_type="text/html")  # a row stored by the old code
    client.force_login(people["author_a"])
    response = client.get(reverse("proposal_attachment", args=[proposal.reference]))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and "sandbox" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_stored_type_is_the_servers_not_the_browsers(client, call, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.proposals.test_propose_view import form_data

    upload = SimpleUploadedFile("outline.docx", word_file("Outline"), content_type="text/html")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("propose", kwargs={"slug": call.slug}), form_data(attachment=upload))
    assert Attachment.objects.get().content_type.startswith("application/vnd.openxmlformats")


@pytest.mark.django_db(transaction=True)
def test_a_submission_that_fails_after_writing_its_file_leaves_no_file(call, people, settings, monkeypatch):
    from chapterhouse.proposals import intake

    outline = word_file("Outline")

    def fail(*args, **kwargs):
        raise RuntimeError("the database went away after the file was written")

    monkeypatch.setattr(intake, "store_screening", fail)
    with pytest.raises(RuntimeError):
        intake.submit_proposal(call, intake.Submission(
            title="T", theme="process", abstract="x " * 120, keywords="k",
            authors=[{"name": "A B", "email": "a@example.org", "affiliation": "U", "bio": "b"}],
            attachment_name="outline.docx", attachment_bytes=outline,
            inspected_attachment=inspect_attachment("outline.docx", outline, ["docx"], 10**7)), "http://testserver")
    assert Proposal.objects.count() == 0
    assert [f for _, _, files in os.walk(settings.MEDIA_ROOT) for f in files] == []


def test_a_write_that_fails_midway_leaves_no_partial_file(tmp_path):
    from django.core.files.base import File

    from chapterhouse.web.storage import AtomicFileSystemStorage

    class DiskFull(io.BytesIO):
        def read(self, *args):
            if self.tell() > 1000:
                raise OSError(28, "No space left on device")
            return super().read(*args)

    storage = AtomicFileSystemStorage(location=tmp_path)
    content = File(DiskFull(b"x" * 200_000), name="big.docx")
    content.DEFAULT_CHUNK_SIZE = 512
    with pytest.raises(OSError):
        storage.save("proposals/ab/big.docx", content)
    assert [f for _, _, files in os.walk(tmp_path) for f in files] == []


@pytest.mark.django_db
def test_doctor_reports_and_removes_orphans_but_keeps_stored_and_recent_files(people, make_proposal, settings, capsys):
    outline = word_file("Outline")
    proposal = make_proposal(people["author_a"], attachment_name="outline.docx", attachment_bytes=outline,
                             inspected_attachment=inspect_attachment("outline.docx", outline, ["docx"], 10**7))
    kept = settings.MEDIA_ROOT / proposal.attachment.file.name
    folder = settings.MEDIA_ROOT / "proposals" / "ff"
    folder.mkdir(parents=True)
    orphan, partial, fresh = folder / "ffff.docx", folder / ".partial-abc", folder / "just-written.docx"
    for path in (orphan, partial, fresh):
        path.write_bytes(b"left behind")
    old = time.time() - 2 * 3600
    for path in (orphan, partial, kept):
        os.utime(path, (old, old))
    call_command("doctor", "--dry-run")
    assert orphan.exists() and "would remove proposals/ff/ffff.docx" in capsys.readouterr().out
    call_command("doctor")
    out = capsys.readouterr().out
    assert not orphan.exists() and not partial.exists() and fresh.exists() and kept.exists()
    assert "2 orphaned files" in out and "partial file of an interrupted write" in out
