"""Issue 17 (c): front matter is text of the volume like any chapter. The production page's foreword goes into
the clearance request word for word, into the package and its combined PDF; changed after clearance, it keeps
the book from launch until the security reviewer has read the changes (the same "changes read" step as a
chapter's copyedits), or a follow-up request (carrying only the new text) clears it."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from chapterhouse.clearance.coverage import build_clearance, text_problems
from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.production.models import FrontMatterText
from chapterhouse.production.publication.models import PublicationRecord
from chapterhouse.production.volume import volume_texts
from chapterhouse.workflow.transitions import history

from tests.launch.conftest import real_build

pytestmark = pytest.mark.django_db

FOREWORD = "Security cooperation is a conversation between partners. Quokka diplomacy begins with trust."


def test_the_foreword_is_cleared_with_the_chapters_and_a_later_change_is_read_or_followed_up(
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

    foreword.body = FOREWORD.replace("Quokka diplomacy", "Wombat diplomacy") + " A sentence added after clearance."
    foreword.save()
    build = real_build(call, people)
    found = build_clearance(build)
    assert found.uncleared == []
    assert found.unread == [f"“Foreword” changed after clearance and the security reviewer has not read the changes "
                            f"(request {clearance.pk}, which is “Cleared”)."]

    # The security reviewer is sent to the text, reads the changes against the words cleared and marks them read.
    client.force_login(people["security"])
    todo = client.get(reverse("todo")).content.decode()
    carried = clearance.texts.get(title="Foreword")
    page_url = reverse("clearance_text", args=[clearance.pk, carried.pk])
    assert "Read the changes to “Foreword” made after clearance" in todo and page_url in todo
    page = client.get(page_url).content.decode()
    assert "<del>Quokka</del>" in page and "<ins>Wombat</ins>" in page and "A sentence added after clearance." in page
    assert "the book cannot be launched with it" in page
    stale = client.post(reverse("clearance_text_seen", args=[clearance.pk, carried.pk]), {"sha256": "0" * 64},
                        follow=True)
    assert "Nothing was marked" in stale.content.decode() and build_clearance(build).unread != []
    current = next(t for t in volume_texts(call) if t.title == "Foreword")
    client.post(reverse("clearance_text_seen", args=[clearance.pk, carried.pk]), {"sha256": current.sha256})
    found = build_clearance(build)
    assert found.uncleared == [] and found.unread == []
    assert "Read the changes to “Foreword”" not in client.get(reverse("todo")).content.decode()
    assert any(e.action.startswith("Changes after clearance read: “Foreword”") for e in history(clearance))

    # Edited again, it must be read again; a follow-up request can clear the new text instead.
    foreword.body += " And one more."
    foreword.save()
    edited = next(t for t in volume_texts(call) if t.title == "Foreword")
    assert text_problems(call, {"key": edited.key, "sha256": edited.sha256, "title": "Foreword"})[1] != []
    client.force_login(people["editor"])
    page = client.get(clearance.get_absolute_url()).content.decode()
    assert 'data-testid="follow-up"' in page and "Foreword" in page
    client.post(reverse("clearance_follow_up", args=[clearance.pk]))
    follow_up = ClearanceRequest.objects.exclude(pk=clearance.pk).get()
    assert not follow_up.items.exists()
    assert [(t.title, t.body) for t in follow_up.texts.all()] == [("Foreword", foreword.body)]
