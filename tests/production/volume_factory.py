"""Makes test volumes the way authors make them: Word chapters (pandoc from Markdown, touched up with
python-docx or raw OOXML the way Word would leave them) and a manifest naming them.

Every note carries two unique tokens, ``Q<c><nnn>`` glued to its reference in the text and ``N<c><nnn>`` at the
start of the note, so a test can find on which page each lands (``c`` is the chapter, 0 for front matter).
Used by the tests and by ``benches/galleys.py`` (which asks for a full-size volume).
"""

from __future__ import annotations

import io
import random
import struct
import subprocess
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from chapterhouse.production.galleys.manifest import toml_string
from chapterhouse.production.galleys.pandoc import pandoc_path

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
VOCABULARY = (
    "security cooperation case partner capability process policy transfer defense industrial base acquisition "
    "contract release technology congressional notification review implementing agency letter request offset "
    "coproduction sustainment training alliance interoperability deterrence strategic competition demand capacity "
    "surge production planning resource budget oversight authority export control law regulation the of and to in "
    "a that for with as on by which their its from this these"
).split()


@dataclass
class ChapterSpec:
    number: int
    title: str
    authors: list[tuple[str, str, str]]  # name, affiliation, bio
    words: int = 1500
    notes: int = 24
    block_quotes: int = 2
    with_table: bool = False
    with_figure: bool = False
    title_style: str = "heading"  # "heading": "# Title" as Word's Heading 1; "word-title": Title style + byline
    seed: int = 0
    bibliography: int = 8


@dataclass
class VolumeSpec:
    title: str = "Security Cooperation Cases"
    subtitle: str = "A Test Volume in Two Parts"
    parts: list[tuple[str, list[ChapterSpec]]] = field(default_factory=list)
    foreword_notes: int = 2
    cover: tuple[int, int] | None = None  # pixel size of a front cover image to write, if any
    introductions: dict[int, str] = field(default_factory=dict)  # part index → introduction (Markdown)
    isbn_epub: str = ""  # the EPUB edition's ISBN, when the test gives it one


def note_token(chapter: int, note: int) -> tuple[str, str]:
    """(token at the reference, token in the note)."""
    return f"Q{chapter}{note:03d}", f"N{chapter}{note:03d}"


def sentence(rng: random.Random, length: int) -> str:
    words = [rng.choice(VOCABULARY) for _ in range(length)]
    return " ".join(words).capitalize() + "."


def chapter_markdown(spec: ChapterSpec, figure: str | None = None) -> str:
    """Paragraphs of generated prose; notes spread evenly, some inside block quotations (Typst's weak spot)."""
    rng = random.Random(spec.seed or spec.number)
    words_per_note = max(20, spec.words // max(spec.notes, 1))
    blocks: list[str] = [f"# {spec.title}"] if spec.title_style == "heading" else []
    notes: list[str] = []
    note = 0
    written = 0
    quote_every = spec.notes // (spec.block_quotes + 1) if spec.block_quotes else 0
    section = 1
    while written < spec.words or note < spec.notes:
        sentences, since_note = [], 0
        for _ in range(rng.randint(4, 8)):
            length = rng.randint(12, 26)
            text = sentence(rng, length)
            written += length
            since_note += length
            if note < spec.notes and since_note >= words_per_note * 0.8:
                note += 1
                since_note = 0
                ref, entry = note_token(spec.number, note)
                text = text[:-1] + f" {ref}.[^{note}]"
                citation = (f"Author{note}, *Title of a Work {note}*, {rng.randint(1, 300)}." if rng.random() < 0.6
                            else sentence(rng, rng.randint(25, 70)))
                notes.append(f"[^{note}]: {entry} {citation}")
            sentences.append(text)
        paragraph = " ".join(sentences)
        in_quote = quote_every and note and note % quote_every == 0 and blocks and not blocks[-1].startswith(">")
        blocks.append("> " + paragraph if in_quote else paragraph)
        if written >= spec.words and note >= spec.notes:
            break
        if rng.random() < 0.12:
            section += 1
            blocks.append(f"## Section {section}")
    if spec.with_table:
        blocks.insert(len(blocks) // 2, "| Year | Cases | Value |\n|---|--:|--:|\n| 2021 | 12 | 3.4 |\n"
                                        "| 2022 | 15 | 4.1 |\n| 2023 | 19 | 5.0 |\n\n: Cases by year")
    if figure:
        blocks.insert(len(blocks) // 3, f"![Cases over time.]({figure})")
    blocks.append("## Bibliography")
    blocks += [f"Surname{j}, Given. *A Book about Security Cooperation {j}*. Washington, DC: Press, {2000 + j % 24}."
               for j in range(1, spec.bibliography + 1)]
    return "\n\n".join(blocks + notes) + "\n"


def write_png(path: Path, width: int = 240, height: int = 120) -> Path:
    """A small grey gradient, written without an imaging library."""
    row = b"\x00" + bytes(value for x in range(width) for value in (x * 255 // width,) * 3)
    rows = row * height

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
                     + chunk(b"IEND", b""))
    return path


def markdown_to_docx(markdown: str, out: Path) -> Path:
    subprocess.run([pandoc_path(), "--from", "markdown", "--to", "docx", "--output", str(out)],
                   input=markdown.encode(), cwd=out.parent, check=True, capture_output=True)
    return out


def add_word_title_and_byline(path: Path, title: str, byline: str) -> None:
    """What many authors do: the title in Word's Title style and their names under it (python-docx)."""
    from docx import Document

    document = Document(str(path))
    first = document.paragraphs[0]
    first.insert_paragraph_before(title, style="Title")
    first.insert_paragraph_before(byline)
    document.save(str(path))


def write_chapter(folder: Path, spec: ChapterSpec) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    figure = write_png(folder / f"figure-{spec.number}.png").name if spec.with_figure else None
    path = markdown_to_docx(chapter_markdown(spec, figure), folder / f"chapter-{spec.number}.docx")
    if spec.title_style == "word-title":
        add_word_title_and_byline(path, spec.title, "by " + " and ".join(a[0] for a in spec.authors))
    return path


def write_foreword(folder: Path, notes: int) -> Path:
    rng = random.Random(99)
    lines = ["This foreword introduces the volume."]
    footnotes = []
    for n in range(1, notes + 1):
        ref, entry = note_token(0, n)
        lines.append(f"{sentence(rng, 40)} {ref}.[^{n}] {sentence(rng, 30)}")
        footnotes.append(f"[^{n}]: {entry} {sentence(rng, 12)}")
    path = folder / "foreword.md"
    path.write_text("\n\n".join(lines + footnotes) + "\n", encoding="utf-8")
    return path


def default_volume() -> VolumeSpec:
    """Three chapters in two parts: small enough for a 2-core test run, with every kind of block."""
    return VolumeSpec(parts=[
        ("Law and Policy", [
            ChapterSpec(1, "Arms Transfers and the Law", [("Ada Lovelace", "Analytical Institute",
                                                           "Ada Lovelace writes on law and policy.")],
                        with_table=True, seed=11),
            ChapterSpec(2, "Policy Choices in Security Cooperation",
                        [("Grace Hopper", "Naval Postgraduate School", "Grace Hopper studies process."),
                         ("Alan Turing", "Bletchley College", "Alan Turing studies partnerships.")],
                        title_style="word-title", with_figure=True, seed=22),
        ]),
        ("Industry", [
            ChapterSpec(3, "The Defense Industrial Base under Pressure",
                        [("Katherine Johnson", "Langley University", "Katherine Johnson studies industry.")],
                        block_quotes=3, seed=33),
        ]),
    ])


def write_volume(folder: Path, spec: VolumeSpec | None = None, chapter_files: dict[int, Path] | None = None) -> Path:
    """Writes the chapters and a manifest; returns the manifest's path."""
    spec = spec or default_volume()
    chapters_folder = folder / "chapters"
    chapter_files = chapter_files or {}
    lines = ["schema = 1", "", "[volume]", f"title = {toml_string(spec.title)}",
             f"subtitle = {toml_string(spec.subtitle)}", 'publisher = "Chapterhouse Test Press"',
             'place = "Washington, DC"', "year = 2025", 'isbn = "978-0-306-40615-7"',
             'disclaimer = "The views expressed are the authors\' own."']
    if spec.isbn_epub:
        lines.append(f"isbn_epub = {toml_string(spec.isbn_epub)}")
    if spec.cover:
        cover = write_png(folder / "cover.png", *spec.cover)
        lines += [f"cover = {toml_string(cover.name)}", 'cover_description = "A grey gradient behind the title"']
    lines += ["",
             "[[volume.editors]]", 'name = "Nathan Editor"', 'affiliation = "Test University"',
             'bio = "Nathan Editor edits volumes."']
    if spec.foreword_notes:
        foreword = write_foreword(folder, spec.foreword_notes)
        lines += ["", "[[front_matter]]", 'title = "Foreword"', f"file = {toml_string(foreword.name)}",
                  "[[front_matter.authors]]", 'name = "Fran Foreword"']
    for index, (part_title, chapters) in enumerate(spec.parts):
        introduction = spec.introductions.get(index, "This part gathers chapters on one of the call's themes.")
        lines += ["", "[[parts]]", f"title = {toml_string(part_title)}", f"introduction = {toml_string(introduction)}"]
        for chapter in chapters:
            path = chapter_files.get(chapter.number) or write_chapter(chapters_folder, chapter)
            lines += ["", "[[parts.chapters]]", f"file = {toml_string(path.relative_to(folder).as_posix())}",
                      f"title = {toml_string(chapter.title)}"]
            for name, affiliation, bio in chapter.authors:
                lines += ["[[parts.chapters.authors]]", f"name = {toml_string(name)}",
                          f"affiliation = {toml_string(affiliation)}", f"bio = {toml_string(bio)}"]
    manifest = folder / "volume.toml"
    manifest.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return manifest


# -- what Word leaves in a chapter still under revision (raw OOXML) ------------------------------------------

def _rewrite_part(path: Path, part: str, change) -> None:
    with zipfile.ZipFile(path) as packed:
        entries = {info.filename: packed.read(info.filename) for info in packed.infolist()}
    entries[part] = change(entries.get(part))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in entries.items():
            out.writestr(name, data)
    path.write_bytes(buffer.getvalue())


def _run(text: str, tag: str = "t") -> etree._Element:
    run = etree.Element(f"{{{W}}}r")
    etree.SubElement(run, f"{{{W}}}{tag}").text = text
    return run


def add_tracked_changes(path: Path) -> None:
    """An insertion and a deletion, as Word records them with Track Changes on."""

    def change(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        paragraph = next(p for p in root.iter(f"{{{W}}}p") if p.find(f"{{{W}}}r") is not None)
        inserted = etree.SubElement(paragraph, f"{{{W}}}ins", {f"{{{W}}}id": "901", f"{{{W}}}author": "Copy Editor",
                                                               f"{{{W}}}date": "2024-06-01T10:00:00Z"})
        inserted.append(_run(" newly inserted words"))
        deleted = etree.SubElement(paragraph, f"{{{W}}}del", {f"{{{W}}}id": "902", f"{{{W}}}author": "Copy Editor",
                                                              f"{{{W}}}date": "2024-06-01T10:01:00Z"})
        deleted.append(_run(" words taken out", tag="delText"))
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    _rewrite_part(path, "word/document.xml", change)


def add_comment(path: Path, text: str = "Please check this figure.") -> None:
    """A reviewer's comment: the comments part, its relationship and content type, and the anchor in the text."""
    comments = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:comments xmlns:w="{W}">'
                f'<w:comment w:id="0" w:author="Reviewer" w:date="2024-06-01T10:00:00Z" w:initials="R">'
                f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:comment></w:comments>").encode()
    _rewrite_part(path, "word/comments.xml", lambda _: comments)

    def relate(xml: bytes) -> bytes:
        return xml.replace(b"</Relationships>", b'<Relationship Id="rIdComments1" Type="http://schemas.openxmlformats.org'
                                                b'/officeDocument/2006/relationships/comments" Target="comments.xml"/>'
                                                b"</Relationships>")

    def declare(xml: bytes) -> bytes:
        return xml.replace(b"</Types>", b'<Override PartName="/word/comments.xml" ContentType="application/'
                                        b'vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"/></Types>')

    def anchor(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        paragraph = next(p for p in root.iter(f"{{{W}}}p") if p.find(f"{{{W}}}r") is not None)
        paragraph.insert(0, etree.Element(f"{{{W}}}commentRangeStart", {f"{{{W}}}id": "0"}))
        paragraph.append(etree.Element(f"{{{W}}}commentRangeEnd", {f"{{{W}}}id": "0"}))
        reference = etree.SubElement(paragraph, f"{{{W}}}r")
        etree.SubElement(reference, f"{{{W}}}commentReference", {f"{{{W}}}id": "0"})
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

    _rewrite_part(path, "word/_rels/document.xml.rels", relate)
    _rewrite_part(path, "[Content_Types].xml", declare)
    _rewrite_part(path, "word/document.xml", anchor)
