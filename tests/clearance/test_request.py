"""The clearance request through the web: prepared with every chapter re-checked, the DD 1910 edited, the
package built and checked, submitted with its expected answer date, answered, amended and confirmed."""

import datetime as dt
import io
import json
import subprocess
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from chapterhouse.clearance.dutydays import duty_days_between
from chapterhouse.clearance.models import AmendedVersion, Amendment, ClearanceRequest
from chapterhouse.clearance.package import sha256, verify_package
from tests.clearance.conftest import chapter_file
from tests.fixtures.files import word_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared(client, call, people, volume, django_capture_on_commit_callbacks):
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("clearance_start", args=[call.slug]))
    clearance = ClearanceRequest.objects.get()
    assert response.url == clearance.get_absolute_url()
    return clearance


def build(client, clearance, capture):
    with capture(execute=True):
        client.post(reverse("clearance_recheck", args=[clearance.pk]))
    clearance.refresh_from_db()
    return clearance


def test_preparing_rechecks_every_final_version_and_fills_the_form_from_the_volume(prepared, volume):
    items = {i.chapter_id: i for i in prepared.items.all()}
    assert set(items) == {volume["a"].pk, volume["b"].pk}
    assert all(i.problems == [] and i.version.is_final for i in items.values())
    values = prepared.form_values
    assert values["title"] == "U.S. Foreign Military Sales: Opportunities for Responding to Ever-Growing Demand"
    assert values["venue"] == "Defense Security Cooperation University (DSCU) Press"
    assert "Author_A, Example University" in values["authors"] and "Author_B" in values["authors"]
    assert values["date_needed"] == prepared.call.definition.milestone("line_editing_galleys").date.isoformat()
    assert prepared.status == "prepared" and not prepared.package


def test_a_version_with_comments_or_personal_metadata_blocks_submission(client, call, people, final_chapter,
                                                                        django_capture_on_commit_callbacks):
    # python-docx writes its own name as the author in the document properties: personal metadata.
    final_chapter(people["author_a"], "A chapter saved by a script", data=word_file("Text " * 50))
    client.force_login(people["editor"])
    client.post(reverse("clearance_start", args=[call.slug]))
    clearance = ClearanceRequest.objects.get()
    problems = clearance.items.get().problems
    assert any("Personal information" in p for p in problems), problems
    response = client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "submitted"}, follow=True)
    clearance.refresh_from_db()
    assert clearance.status == "prepared"
    page = response.content.decode()
    assert "Not done: “Submit to the office” needs" in page and "Personal information" in page


def test_the_package_zip_carries_every_chapter_the_pdf_and_the_edited_form_with_checksums(
        client, prepared, volume, django_capture_on_commit_callbacks):
    fields = {f.key: v for f, v in [(f, prepared.form_values[f.key]) for f in prepared.call.definition.clearance.form]}
    fields["point_of_contact"] = "Nathan Toronto, DSCU, +1 555 0100"
    fields["prior_coordination"] = "DSCA Public Affairs, 2025-02-10"
    client.post(reverse("clearance_form", args=[prepared.pk]), fields)
    clearance = build(client, prepared, django_capture_on_commit_callbacks)
    assert clearance.package and not clearance.package_error
    data = client.get(reverse("clearance_package", args=[clearance.pk])).getvalue()
    assert sha256(data) == clearance.package_sha256 and verify_package(data) == []
    archive = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(archive.read("manifest.json"))
    docx = [n for n in archive.namelist() if n.endswith(".docx")]
    assert len(docx) == 2
    versions = {v.sha256 for c in volume.values() for v in c.versions.all()}
    assert {sha256(archive.read(n)) for n in docx} == versions
    assert archive.read("manuscript/combined.pdf").startswith(b"%PDF")
    form = {f["key"]: f["value"] for f in manifest["dd1910"]}
    assert form["point_of_contact"].endswith("555 0100") and form["prior_coordination"].startswith("DSCA")
    assert form["pages"] == str(clearance.pages) and clearance.pages > 10
    assert [f["label"] for f in manifest["dd1910"]] == [f.label for f in clearance.call.definition.clearance.form]
    # The printed DD 1910 and the cover letter travel with it, summed like every file.
    sums = archive.read("SHA256SUMS").decode()
    for name in ["dd1910.pdf", "cover-letter.pdf"]:
        assert f"{sha256(archive.read(name))}  {name}\n" in sums
    form_text = " ".join(pdf_text(archive.read("dd1910.pdf")).split())
    assert "DSCA Public Affairs, 2025-02-10" in form_text and "+1 555 0100" in form_text
    assert f"C. PAGE COUNT {clearance.pages} " in " ".join(pdf_text(archive.read("dd1910.pdf"), "-raw").split())
    assert clearance.call.definition.title in form_text
    letter = " ".join(pdf_text(archive.read("cover-letter.pdf")).split())
    assert f"{clearance.pages} pages as typeset" in letter and "manuscript/combined.pdf" in letter


def pdf_text(data: bytes, *options: str) -> str:
    return subprocess.run(["pdftotext", *options, "-", "-"], input=data, capture_output=True,
                          check=True).stdout.decode()


def submit(client, clearance, on="2025-03-03"):
    return client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "submitted", "on": on})


def test_submission_sets_the_expected_answer_date_in_duty_days_and_warns_when_overdue(
        client, prepared, people, django_capture_on_commit_callbacks, sent_mail):
    clearance = build(client, prepared, django_capture_on_commit_callbacks)
    submit(client, clearance)
    clearance.refresh_from_db()
    assert clearance.status == "submitted" and clearance.submitted_on == dt.date(2025, 3, 3)
    # 30 duty days after Monday 3 March 2025: no holiday in between, so six weeks later.
    assert clearance.expected_on == dt.date(2025, 4, 14)
    assert ("clearance.submitted", {people["security"].email, people["editor"].email}) in sent_mail
    page = client.get(clearance.get_absolute_url()).content.decode()
    assert 'data-testid="overdue"' in page  # 14 April 2025 has long passed
    late = duty_days_between(dt.date(2025, 4, 14), timezone.localdate())
    assert f"{late} duty days have passed since" in page
    client.force_login(people["security"])
    client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "in_review"})
    client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "cleared_as_amended", "reason": "One change.",
                                                                 "office_reference": "25-S-0123"})
    clearance.refresh_from_db()
    assert (clearance.status, clearance.office_reference) == ("cleared_as_amended", "25-S-0123")
    assert 'data-testid="overdue"' not in client.get(clearance.get_absolute_url()).content.decode()


def test_an_objection_can_be_appealed_and_then_cleared(client, prepared, people, django_capture_on_commit_callbacks):
    clearance = build(client, prepared, django_capture_on_commit_callbacks)
    submit(client, clearance)
    client.force_login(people["security"])
    move = reverse("clearance_move", args=[clearance.pk])
    client.post(move, {"to": "in_review"})
    client.post(move, {"to": "objection", "reason": "Chapter 2 discusses a pending case."})
    client.post(move, {"to": "appealed", "reason": "The case was announced."})  # security may not appeal
    clearance.refresh_from_db()
    assert clearance.status == "objection"
    client.force_login(people["editor"])
    client.post(move, {"to": "appealed", "reason": "The case was announced by DSCA on 2 March."})
    client.force_login(people["security"])
    client.post(move, {"to": "cleared", "reason": ""})
    clearance.refresh_from_db()
    assert clearance.status == "cleared"
    assert [e.to_state for e in __import__("chapterhouse.workflow.transitions", fromlist=["history"]).history(clearance)
            if e.from_state != e.to_state] == ["prepared", "submitted", "in_review", "objection", "appealed", "cleared"]


@pytest.fixture
def as_amended(client, prepared, people, django_capture_on_commit_callbacks):
    clearance = build(client, prepared, django_capture_on_commit_callbacks)
    submit(client, clearance)
    client.force_login(people["security"])
    move = reverse("clearance_move", args=[clearance.pk])
    client.post(move, {"to": "in_review"})
    client.post(move, {"to": "cleared_as_amended", "reason": "One change in the process chapter."})
    clearance.refresh_from_db()
    return clearance


def test_an_amendment_is_recorded_answered_by_the_author_flagged_outside_its_passage_and_confirmed(
        client, as_amended, volume, people, sent_mail):
    chapter = volume["a"]
    client.post(reverse("clearance_amendment_add", args=[as_amended.pk]), {
        "chapter": chapter.pk, "location": "p. 1, para. 1", "cleared_text": "delivered forty aircraft",
        "required_text": "delivered several aircraft"})
    amendment = Amendment.objects.get()
    assert amendment.status == "required"
    assert ("clearance.amendment_recorded", {people["author_a"].email}) in sent_mail
    from chapterhouse.outbox.models import Message
    told = Message.objects.get(kind="clearance.amendment_recorded")
    assert told.subject == f"A change is required in your chapter “{chapter.title}”"
    assert "Required wording: delivered several aircraft" in told.body
    assert reverse("my_amendments", args=[chapter.pk]) in told.body

    client.force_login(people["author_a"])
    page = client.get(reverse("my_amendments", args=[chapter.pk])).content.decode()
    assert "delivered several aircraft" in page
    amended = chapter_file(replace=("forty aircraft", "several aircraft"),
                           extra="A paragraph added after clearance that nobody asked for.")
    upload = io.BytesIO(amended)
    upload.name = "amended.docx"
    client.post(reverse("my_amendments", args=[chapter.pk]), {"file": upload})
    version = AmendedVersion.objects.get()
    assert version.flagged == 1 and version.unmet == [] and version.problems == []
    covered = [c for c in version.changes if c["amendment"] == amendment.pk]
    assert covered == [{"part": "body", "removed": "forty", "inserted": "several", "amendment": amendment.pk,
                        "before": "The program delivered", "after": "aircraft to the partner in 2019"}]
    amendment.refresh_from_db()
    assert amendment.status == "amended" and not version.version.is_final

    client.force_login(people["security"])
    page = client.get(reverse("clearance_chapter", args=[as_amended.pk, chapter.pk])).content.decode()
    assert 'data-testid="flagged"' in page and "nobody asked for" in page
    client.post(reverse("clearance_amendment_answer", args=[amendment.pk]), {"to": "confirmed"})
    amendment.refresh_from_db()
    version.version.refresh_from_db()
    assert amendment.status == "confirmed" and version.version.is_final
    assert chapter.final_version == version.version
    assert ("clearance.amendment_answered", {people["author_a"].email}) in sent_mail


def test_a_file_with_classification_markings_is_refused_and_never_stored(client, as_amended, volume, people):
    chapter = volume["a"]
    client.post(reverse("clearance_amendment_add", args=[as_amended.pk]), {
        "chapter": chapter.pk, "location": "p. 1", "cleared_text": "forty", "required_text": "several"})
    client.force_login(people["author_a"])
    marked = io.BytesIO(chapter_file(extra="SECRET//NOFORN The partner's order of battle."))
    marked.name = "amended.docx"
    before = chapter.versions.count()
    response = client.post(reverse("my_amendments", args=[chapter.pk]), {"file": marked})
    assert response.status_code == 200 and "was not stored" in response.content.decode()
    assert chapter.versions.count() == before and not AmendedVersion.objects.exists()


def test_the_worker_tells_the_editors_once_when_the_answer_is_overdue(client, prepared, people,
                                                                      django_capture_on_commit_callbacks):
    from chapterhouse.clearance.periodic import warn_overdue_answers
    from chapterhouse.outbox.models import Message

    clearance = build(client, prepared, django_capture_on_commit_callbacks)
    submit(client, clearance)  # 3 March 2025: expected by 14 April 2025
    assert warn_overdue_answers(dt.datetime(2025, 4, 14, 12, tzinfo=dt.timezone.utc)) == "0 overdue request(s) told"
    assert warn_overdue_answers(dt.datetime(2025, 4, 15, 12, tzinfo=dt.timezone.utc)) == "1 overdue request(s) told"
    assert warn_overdue_answers(dt.datetime(2025, 4, 16, 12, tzinfo=dt.timezone.utc)) == "0 overdue request(s) told"
    told = Message.objects.get(kind="clearance.overdue")
    assert told.to == people["editor"].email and "expected by 14 April 2025" in told.body
