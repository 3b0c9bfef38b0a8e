"""Issue 17 (c): front matter is text of the volume like any chapter. The production page's foreword goes into
the clearance request word for word, into the package and its combined PDF; changed after clearance, it keeps
the book from launch until a follow-up request (carrying only the new text) clears it."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from chapterhouse.clearance.coverage import build_clearance
from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.production.models import FrontMatterText
from chapterhouse.production.publication.models import PublicationRecord

from tests.launch.conftest import real_build

pytestmark = pytest.mark.django_db

FOREWORD = "Security cooperation is a conversation between partners. Quokka diplomacy begins with trust."


def test_the_foreword_is_cleared_with_the_chapters_and_a_later_change_needs_a_follow_up(
        client, call, people, volume, django_capture_on_commit_callbacks):
    foreword = FrontMatterText.objects.create(call=call, title="Foreword", authors="Hadd Jones", body=FOREWORD)
    # Parts carry an introduction only where the publication record has one written for readers.
    PublicationRecord.objects.create(call=call, part_introductions={"industry": "Two views of industry."})
    client.force_login(people["editor"])
    client.post(reverse("clearance_start", args=[call.slug]))
    clearance = ClearanceRequest.objects.get()
    assert [t.title for t in clearance.texts.filter(kind="front")] == ["Copyright page: rights and disclaimer",
                                                                       "Foreword"]
    assert [t.body for t in clearance.texts.filter(kind="part")] == ["Two views of industry."]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("clearance_recheck", args=[clearance.pk]))
    clearance.refresh_from_db()
    assert clearance.package and not clearance.package_error, clearance.package_error

    archive = zipfile.ZipFile(io.BytesIO(client.get(reverse("clearance_package", args=[clearance.pk])).getvalue()))
    # The copyright page's words (rights, disclaimer) go first, as the book sets them.
    assert [n for n in archive.namelist() if n.startswith("front-matter/")][:2] == [
        "front-matter/01-Copyright-page-rights-and-disclaimer.md", "front-matter/02-Foreword.md"]
    assert archive.read("front-matter/02-Foreword.md").decode() == f"# Foreword\n\n*Hadd Jones*\n\n{FOREWORD}\n"
    manifest = json.loads(archive.read("manifest.json"))
    listed = next(t for t in manifest["texts"] if t["title"] == "Foreword")
    first, last = listed["combined_pdf_pages"]
    combined = PdfReader(io.BytesIO(archive.read("manuscript/combined.pdf")))
    printed = " ".join(combined.pages[n - 1].extract_text() for n in range(first, last + 1))
    assert "Quokka" in printed and "Hadd Jones" in printed  # (the typesetter may hyphenate other words)

    client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "submitted", "on": "2025-03-03"})
    client.force_login(people["security"])
    client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "in_review"})
    client.post(reverse("clearance_move", args=[clearance.pk]), {"to": "cleared"})
    clearance.refresh_from_db()
    assert clearance.status == "cleared"
    assert build_clearance(real_build(call, people)).uncleared == []

    foreword.body = FOREWORD + " A sentence added after clearance."
    foreword.save()
    problems = build_clearance(real_build(call, people)).uncleared
    assert problems == [f"“Foreword” has changed since request {clearance.pk} carried it: prepare a follow-up "
                        "request for the new text."]
    client.force_login(people["editor"])
    page = client.get(clearance.get_absolute_url()).content.decode()
    assert 'data-testid="follow-up"' in page and "Foreword" in page
    client.post(reverse("clearance_follow_up", args=[clearance.pk]))
    follow_up = ClearanceRequest.objects.exclude(pk=clearance.pk).get()
    assert not follow_up.items.exists()
    assert [(t.title, t.body) for t in follow_up.texts.all()] == [("Foreword", foreword.body)]
