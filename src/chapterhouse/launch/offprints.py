"""Per-chapter offprints of a launched volume, made by the worker (``launch/periodic.py``), never in a request:
after launch, and again when the published build or the citation (publication date, editors…) changes. Each is
the chapter's page range of the published PDF (``GalleyBuild.summary``'s ``pdf_pages``) stamped with the volume's
Chicago citation (``launch/offprint_pdf.py``). Served only while the book's downloads are open (``views``)."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chapterhouse.launch.metadata import citations
from chapterhouse.launch.models import Offprint, Publication
from chapterhouse.launch.offprint_pdf import citation_runs, offprint, plain
from chapterhouse.launch.records import published_chapters, volume_record
from chapterhouse.launch.states import LAUNCHED


def _page_ranges(build) -> dict[int, dict]:
    """Chapter id → its summary entry (``pdf_pages``, ``first_page`` label) in the build."""
    return {e["chapter_id"]: e for e in (build.summary or {}).get("chapters", [])
            if e.get("chapter_id") and e.get("pdf_pages")}


def bring_up_to_date(publication: Publication) -> int:
    """Makes every offprint the published build lacks or whose citation changed; drops those of other builds.
    Returns how many were made."""
    build = publication.build
    if build is None or not build.pdf:
        return 0
    chapters = published_chapters(publication, "")
    record = volume_record(publication, "", chapters)
    ranges = _page_ranges(build)
    kept = {o.chapter_id: o for o in Offprint.objects.filter(build=build)}
    book = None
    made = 0
    for entry in chapters:
        pages = ranges.get(entry.chapter.pk)
        if pages is None:
            continue
        runs = citation_runs(citations.chicago_chapter_html(record, entry.record))
        if entry.chapter.pk in kept and kept[entry.chapter.pk].citation == plain(runs):
            continue
        if book is None:
            with build.pdf.open("rb") as handle:
                book = handle.read()
        first, last = pages["pdf_pages"]
        data = offprint(book, first, last, runs, title=entry.chapter.title,
                        authors=", ".join(a.name for a in entry.chapter.authors.all()),
                        first_label=pages.get("first_page", ""), on=timezone.localdate())
        store(build, entry, data, plain(runs), first, last)
        made += 1
    for stale in Offprint.objects.filter(build__call=publication.call).exclude(build=build):
        stale.file.delete(save=False)
        stale.delete()
    return made


def store(build, entry, data: bytes, citation: str, first: int, last: int) -> Offprint:
    with transaction.atomic():
        offprint_row = Offprint.objects.filter(build=build, chapter=entry.chapter).first() or Offprint(
            build=build, chapter=entry.chapter)
        old = offprint_row.file.name if offprint_row.pk else ""
        offprint_row.citation, offprint_row.first_page, offprint_row.last_page = citation, first, last
        offprint_row.sha256 = hashlib.sha256(data).hexdigest()
        offprint_row.file.save(f"chapter-{entry.key:02d}.pdf", ContentFile(data), save=False)
        offprint_row.save()
    if old and old != offprint_row.file.name:
        offprint_row.file.storage.delete(old)
    return offprint_row


def sweep() -> int:
    """Every launched volume's offprints brought up to date."""
    return sum(bring_up_to_date(p) for p in Publication.objects.filter(status=LAUNCHED, build__isnull=False)
               .select_related("call", "build"))


def available(publication: Publication) -> dict[int, Offprint]:
    """Chapter id → the offprint a reader may download: of the published build, while the downloads are open (the
    one rule the pages and the download share)."""
    if not publication.downloads_open or publication.build_id is None:
        return {}
    return {o.chapter_id: o for o in Offprint.objects.filter(build_id=publication.build_id)}
