"""Sample chapters made the way an author makes them: pandoc turns Markdown with footnotes and a bibliography
into Word, with a reference document that sets the call's double spacing and 12-point type. The demo data,
the tests and the benchmark use them. Plain Python; no Django.

``chapter_markdown`` writes deterministic prose of a given length; ``edit`` makes a revision (a rewritten
opening, a new paragraph, a changed note); ``to_docx`` runs pandoc (pypandoc-binary's copy).
"""

from __future__ import annotations

import io
import random
import re
import subprocess
import tempfile
import zipfile
from functools import lru_cache
from pathlib import Path

import pypandoc

VOCABULARY = (
    "security cooperation case partner capability process policy transfer defense industrial base acquisition "
    "contract release technology review implementing agency letter request offset coproduction sustainment "
    "training alliance interoperability deterrence competition demand capacity surge production planning budget "
    "oversight authority export control law regulation the of and to in a that for with as on by which their"
).split()
SOURCES = [("Adams", "Jane", "Arms and Influence", 2019), ("Baker", "Tom", "Selling Security", 2021),
           ("Chen", "Li", "Partners and Programs", 2018), ("Diaz", "Ana", "The Case Process Revisited", 2022)]


def chapter_markdown(words: int = 4600, notes: int = 12, seed: int = 7, note_extra: dict[int, str] | None = None,
                     title: str = "Technology Release in Security Cooperation Cases") -> str:
    """A chapter of about ``words`` words (body and notes) with ``notes`` Chicago shortened notes."""
    rng = random.Random(seed)
    note_extra = note_extra or {}
    blocks, note_lines, written, note = [f"# {title}"], [], 0, 0
    per_note = words // (notes + 1)
    while written < words - 120:
        sentences = []
        for _ in range(6):
            length = rng.randint(14, 24)
            sentences.append(" ".join(rng.choice(VOCABULARY) for _ in range(length)).capitalize() + ".")
            written += length
        text = " ".join(sentences)
        if note < notes and written >= per_note * (note + 1):
            note += 1
            surname, _, title, _ = SOURCES[note % len(SOURCES)]
            text = text[:-1] + f".[^{note}]"
            note_lines.append(f"[^{note}]: {surname}, *{title}*, {10 + note}.{note_extra.get(note, '')}")
            written += 6
        blocks.append(text)
    blocks.append("# Bibliography")
    blocks += [f"{surname}, {given}. *{title}*. Washington, DC: Press, {year}."
               for surname, given, title, year in sorted(SOURCES)]
    return "\n\n".join(blocks + note_lines) + "\n"


def edit(markdown: str) -> str:
    """The author's revision: a sentence rewritten in the second paragraph, a paragraph added, note 2 changed."""
    paragraphs = markdown.split("\n\n")
    first_words = paragraphs[2].split(" ", 3)
    paragraphs[2] = " ".join(["Revised", "opening", *first_words[1:]])
    paragraphs.insert(4, "This paragraph is new in the revision and says what the case process changed.")
    revised = "\n\n".join(paragraphs)
    return re.sub(r"(\[\^2\]: [^\n]*?), (\d+)\.", r"\1, 99, as revised.", revised, count=1)


def to_docx(markdown: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "chapter.docx"
        pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(out),
                              extra_args=[f"--reference-doc={_reference_doc()}"])
        return out.read_bytes()


@lru_cache(maxsize=1)
def _reference_doc() -> str:
    """Pandoc's own reference.docx with every paragraph double-spaced and 12-point by default."""
    source = zipfile.ZipFile(io.BytesIO(_default_reference()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "word/styles.xml":
                content = _double_spaced(content.decode("utf-8")).encode("utf-8")
            target.writestr(item, content)
    path = Path(tempfile.mkdtemp(prefix="chapterhouse-ref-")) / "reference.docx"
    path.write_bytes(out.getvalue())
    return str(path)


def _default_reference() -> bytes:
    return subprocess.run([pypandoc.get_pandoc_path(), "--print-default-data-file=reference.docx"],
                          capture_output=True, check=True, timeout=60).stdout


def _double_spaced(styles: str) -> str:
    # Every paragraph style's own spacing becomes double, and the defaults too.
    styles = re.sub(r'<w:spacing\b[^>]*/>', '<w:spacing w:before="0" w:after="0" w:line="480" w:lineRule="auto"/>', styles)
    styles = re.sub(r'<w:sz w:val="\d+"\s*/>', '<w:sz w:val="24"/>', styles)
    return styles
