"""A volume ready for galleys, made the way the pipeline makes it: accepted proposals become chapters, each
with a final Word version (pandoc from generated Markdown), accepted as final by an editor."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from tests.production import volume_factory as factory

CHAPTERS = [  # title, theme, author, affiliation, bio
    ("Arms Transfers and the Law of Atrocity Prevention", "law-and-policy", "author_a", "Example University",
     "Author A writes on arms transfer law."),
    ("Surge Capacity in the Defense Industrial Base", "industry", "author_b", "Industry Institute",
     "Author B studies industrial capacity."),
    ("Offsets and Coproduction Agreements", "industry", "editor", "DSCU", "The editor also writes."),
]


def docx_bytes(tmp_path, number: int, title: str) -> bytes:
    spec = factory.ChapterSpec(number, title, [("Someone", "", "")], words=700, notes=5, block_quotes=1,
                               bibliography=3, seed=number + 40)
    return factory.write_chapter(tmp_path / f"src-{number}", spec).read_bytes()


def add_final_version(chapter, data: bytes, by, number: int = 1):
    from django.core.files.base import ContentFile

    from chapterhouse.chapters.models import ManuscriptVersion

    version = ManuscriptVersion(chapter=chapter, number=number, sha256=hashlib.sha256(data).hexdigest(),
                                original_name=f"chapter-{chapter.pk}.docx", size=len(data), words=700, passed=True,
                                is_final=True, uploaded_by=by)
    version.file.save("chapter.docx", ContentFile(data), save=False)
    version.save()
    return version


def accept_as_final(chapter, editor):
    from chapterhouse.chapters.states import FINAL, SUBMITTED
    from chapterhouse.workflow.transitions import transition

    transition(chapter, SUBMITTED, editor, {"editor"})
    transition(chapter, FINAL, editor, {"editor"})


def cover_png(width: int = 1800, height: int = 2700) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), (29, 43, 74))
    image.paste((155, 61, 38), (0, int(height * 0.62), width, int(height * 0.7)))
    image.save(buffer, "PNG")
    return buffer.getvalue()


def blank_pdf(spec, extra_in: float = 0.0) -> bytes:
    """A one-page PDF the size of ``spec``'s full cover (``cover_spec.CoverSpec``), ``extra_in`` wider."""
    import pikepdf

    document = pikepdf.new()
    document.add_blank_page(page_size=((spec.width_in + extra_in) * 72, spec.height_in * 72))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def final_volume(call, people, make_proposal, tmp_path):
    """Three chapters accepted as final in two of the call's four themes (Process and Partnership are empty)."""
    from chapterhouse.chapters.start import start_chapter

    chapters = []
    for number, (title, theme, who, affiliation, bio) in enumerate(CHAPTERS, 1):
        proposal = make_proposal(people[who], title=title, theme=theme)
        chapter = start_chapter(proposal, people["editor"])
        chapter.authors.update(affiliation=affiliation, bio=bio)
        add_final_version(chapter, docx_bytes(tmp_path, number, title), people[who])
        accept_as_final(chapter, people["editor"])
        chapters.append(chapter)
    return chapters


@pytest.fixture
def stored_build(call, people, make_proposal):
    """A chapter accepted as final and a build row holding small stand-in files: for checks of who may open
    what, where what is inside the files does not matter (the real builds are tested in test_web.py)."""
    from django.core.files.base import ContentFile

    from chapterhouse.chapters.start import start_chapter
    from chapterhouse.production.cover_spec import cover_spec
    from chapterhouse.production.models import Cover, FrontMatterText, FullCover, GalleyBuild, GalleyPage
    from chapterhouse.production.print_settings import PrintSettings
    from tests.fixtures.files import pdf_file, word_file

    chapter = start_chapter(make_proposal(people["author_a"], theme="industry"), people["editor"])
    add_final_version(chapter, word_file("A final chapter."), people["author_a"])
    accept_as_final(chapter, people["editor"])
    cover = Cover(call=call, sha256="0" * 64, suffix=".png", width=1800, height=2700, description="Cover",
                  original_name="cover.png", uploaded_by=people["production"])
    cover.image.save("cover.png", ContentFile(cover_png(180, 270)), save=False)
    cover.save()
    text = FrontMatterText.objects.create(call=call, title="Foreword", body="Words.")
    build = GalleyBuild.objects.create(
        call=call, number=1, status="built", requested_by=people["production"], pages=1,
        inputs={"chapters": [{"chapter": chapter.pk, "version": 1}]},
        summary={"chapters": [{"number": 1, "chapter_id": chapter.pk, "title": chapter.title, "first_page": "1",
                               "last_page": "1", "pdf_pages": [1, 1]}],
                 "print": {"cover": cover_spec(2, PrintSettings()).as_json()}})
    build.pdf.save("volume.pdf", ContentFile(pdf_file("A page.")), save=False)
    build.print_pdf.save("volume-print.pdf", ContentFile(pdf_file("A page.")), save=False)
    build.cover_template.save("volume-cover-template.pdf", ContentFile(pdf_file("A cover.")), save=False)
    build.epub.save("volume.epub", ContentFile(b"PK\x03\x04 stand-in"), save=False)
    build.save()
    page = GalleyPage(build=build, number=1, label="1")
    page.image.save("page-0001.png", ContentFile(cover_png(43, 65)), save=False)
    page.save()
    full = FullCover(call=call, build=build, sha256="1" * 64, width_in=12.2545, height_in=9.25, pages=2,
                     original_name="full-cover.pdf", uploaded_by=people["production"])
    full.pdf.save("full-cover.pdf", ContentFile(pdf_file("A full cover.")), save=False)
    full.save()
    return {"chapter": chapter, "build": build, "front_matter": text}
