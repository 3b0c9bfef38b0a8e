"""Issue 20: per-chapter PDFs. The worker cuts each chapter's pages out of the published build's PDF and stamps the
volume's Chicago citation on the first page; the catalogue and chapter pages link them while downloads are open."""

from __future__ import annotations

import io
import subprocess

import pikepdf
import pytest
from django.urls import reverse

from chapterhouse.launch import offprints
from chapterhouse.launch.models import Offprint, Publication
from chapterhouse.launch.offprint_pdf import citation_runs
from chapterhouse.launch.periodic import make_offprints


pytestmark = pytest.mark.django_db


def page_text(data: bytes, page: int) -> str:
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-", "-"], input=data,
                          capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def test_the_citation_is_read_as_runs_with_the_book_in_italics():
    assert citation_runs("Lee, Ann. “A &amp; B.” In <i>The Book</i>, edited by X.") == [
        ("Lee, Ann. “A & B.” In ", False), ("The Book", True), (", edited by X.", False)]


def test_each_chapter_gets_its_pages_with_the_citation_on_the_first(client, call, launched):  # noqa: F811
    assert Offprint.objects.count() == 0  # nothing is made in a request: the worker makes them
    summary = {e["chapter_id"]: e for e in launched.build.summary["chapters"]}
    assert make_offprints(None) == f"{len(summary)} offprint(s) made"
    for made in Offprint.objects.select_related("chapter"):
        entry = summary[made.chapter_id]
        first, last = entry["pdf_pages"]
        with made.file.open("rb") as handle:
            data = handle.read()
        with pikepdf.Pdf.open(io.BytesIO(data)) as pdf:
            assert len(pdf.pages) == last - first + 1 == entry["pages"]
            assert str(pdf.docinfo["/Title"]) == made.chapter.title
        opener = page_text(data, 1)
        assert made.citation in opener or " ".join(made.citation.split()) in opener
        assert "edited by Nathan Toronto and Hadd Jones" in opener and f"{entry['first_page']}–" in opener
        assert made.chapter.title.split()[0] in opener  # the chapter's own opener, under the stamp
        assert "edited by Nathan Toronto" not in page_text(data, 2)  # the stamp is on the first page only
    assert make_offprints(None) == "0 offprint(s) made"  # up to date: nothing made twice

    chapter_page = client.get(reverse("chapter_page", args=[call.slug, 1])).content.decode()
    link = reverse("chapter_offprint", args=[call.slug, 1])
    assert link in chapter_page and 'data-testid="offprint"' in chapter_page
    assert link in client.get(reverse("volume_page", args=[call.slug])).content.decode()
    response = client.get(link)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_offprints_are_served_only_while_downloads_are_open(client, call, launched):  # noqa: F811
    offprints.sweep()
    Publication.objects.filter(pk=launched.pk).update(downloads_open=False)
    link = reverse("chapter_offprint", args=[call.slug, 1])
    assert client.get(link).status_code == 404
    assert link not in client.get(reverse("chapter_page", args=[call.slug, 1])).content.decode()
    assert link not in client.get(reverse("volume_page", args=[call.slug])).content.decode()


def test_a_changed_citation_makes_them_again(call, launched):  # noqa: F811
    offprints.sweep()
    Publication.objects.filter(pk=launched.pk).update(published_on="2026-01-10")
    count = Offprint.objects.count()
    assert offprints.sweep() == count
    assert all("2026" in o.citation for o in Offprint.objects.all())
    assert Offprint.objects.count() == count
