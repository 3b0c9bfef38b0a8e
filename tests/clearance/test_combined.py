"""The clearance package's combined PDF comes from the galley engine: every chapter, in the volume's order."""

import io

from pypdf import PdfReader

from chapterhouse.clearance.combined import ManuscriptChapter, VolumeInfo, combined_pdf, manifest_text
from chapterhouse.production.galleys.manifest import parse_manifest
from tests.docx_factory import compliant_chapter

VOLUME = VolumeInfo("U.S. Foreign Military Sales", "Opportunities", "DSCU Press", (("Nathan Toronto", "DSCU"),), 2025)


def chapters():
    return [ManuscriptChapter(title, ((author, "Naval War College"),), part,
                              compliant_chapter(body_words=600, notes=3, seed=seed).build())
            for seed, (title, author, part) in enumerate([
                ("Offsets and the Law", "Ann Author", "Law and Policy"),
                ("Export Licences Reconsidered", "Ben Writer", "Law and Policy"),
                ("Case Closure at Speed", "Cleo Clerk", "Process")], 1)]


def test_the_manifest_groups_chapters_into_parts_in_order(tmp_path):
    loaded = parse_manifest(manifest_text(VOLUME, chapters()), tmp_path)
    parts = loaded.manifest.parts
    assert [p.title for p in parts] == ["Law and Policy", "Process"]
    assert [c.title for c in parts[0].chapters] == ["Offsets and the Law", "Export Licences Reconsidered"]
    assert parts[1].chapters[0].file == "chapters/03.docx" and parts[1].chapters[0].authors[0].name == "Cleo Clerk"


def test_the_combined_pdf_holds_every_chapter_and_counts_its_pages(tmp_path):
    pdf, pages = combined_pdf(VOLUME, chapters(), tmp_path)
    reader = PdfReader(io.BytesIO(pdf))
    assert pages == len(reader.pages) > 3
    text = " ".join(page.extract_text() for page in reader.pages)
    for title in ("Offsets and the Law", "Export Licences Reconsidered", "Case Closure at Speed"):
        assert title in text
