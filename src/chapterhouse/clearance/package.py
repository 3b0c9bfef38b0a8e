"""The clearance package: the ZIP a press sends for security and policy review, and its check.

One ZIP holds the manuscript (one .docx per chapter, the combined PDF, which sets the front matter too), the
front matter and part introductions as written (Markdown), the papers to sign and send (``dd1910.pdf``, the
form laid out to print, and ``cover-letter.pdf``), ``dd1910.json`` (the form's fields and values) and
``manifest.json`` listing every other file with its size and SHA-256, plus
``SHA256SUMS`` so the office can check the files with ``sha256sum -c``. The ZIP is reproducible: the same
inputs give the same bytes (fixed timestamps, fixed order). Plain Python; no Django.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass

MANIFEST = "manifest.json"
FORM = "dd1910.json"
FORM_PDF = "dd1910.pdf"
LETTER_PDF = "cover-letter.pdf"
SUMS = "SHA256SUMS"
SCHEMA = "chapterhouse.clearance-package/1"
EPOCH = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class PackageFile:
    name: str  # the file's name inside its folder; made safe (no folders, no odd characters) when packed
    data: bytes
    title: str = ""  # what it is, for the manifest ("Chapter 3: …")


# Latin letters that NFKD does not split into a base letter and an accent.
UNSPLIT_LETTERS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
                                 "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "Th",
                                 "ı": "i"})


def ascii_letters(text: str) -> str:
    """``text`` with accented letters as their base letters ("Brødsky Señor" → "Brodsky Senor"), not dropped."""
    decomposed = unicodedata.normalize("NFKD", text.translate(UNSPLIT_LETTERS))
    return decomposed.encode("ascii", "ignore").decode()


def safe_name(name: str) -> str:
    """A file name without folders or characters that trouble other systems' unzip tools."""
    base = ascii_letters(name.replace("\\", "/").rsplit("/", 1)[-1])
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", base).strip("-.")
    return cleaned or "file"


def titled_name(title: str, suffix: str, limit: int = 60) -> str:
    """A safe file name from a title, at most ``limit`` characters before ``suffix``, cut between words (a single
    word longer than the limit is the only thing cut inside)."""
    words = [w for w in re.split(r"[-._]+", safe_name(title)) if w] or ["file"]
    stem = words[0][:limit]
    for word in words[1:]:
        if len(stem) + 1 + len(word) > limit:
            break
        stem += "-" + word
    return stem + suffix


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entries(chapters, combined_pdf, front_matter, papers=()) -> list[tuple[str, PackageFile]]:
    entries = [(safe_name(p.name), p) for p in papers]
    entries += [(f"manuscript/{n:02d}-{safe_name(c.name)}", c) for n, c in enumerate(chapters, 1)]
    entries.append(("manuscript/combined.pdf", PackageFile("combined.pdf", combined_pdf, "The whole manuscript as typeset")))
    entries += [(f"front-matter/{n:02d}-{safe_name(f.name)}", f) for n, f in enumerate(front_matter, 1)]
    return entries


def build_package(chapters: list[PackageFile], combined_pdf: bytes, front_matter: list[PackageFile],
                  form: list[dict[str, str]], about: dict | None = None, papers: list[PackageFile] = ()) -> bytes:
    """The ZIP's bytes. ``form`` is :func:`~chapterhouse.clearance.dd1910.form_record`'s list; ``about`` adds the
    request's facts (volume title, office, reference) to the manifest; ``papers`` (the printed DD 1910, the cover
    letter) go at the top of the ZIP, listed and summed like every other file."""
    if not chapters and not front_matter:
        raise ValueError("A clearance package needs at least one chapter or text.")
    entries = _entries(chapters, combined_pdf, front_matter, papers)
    form_json = json.dumps({"form": "DD 1910", "fields": form}, ensure_ascii=False, indent=2).encode()
    entries.append((FORM, PackageFile(FORM, form_json, "DD Form 1910 data")))
    listed = [{"path": path, "title": f.title, "bytes": len(f.data), "sha256": sha256(f.data)} for path, f in entries]
    manifest = {"schema": SCHEMA, **(about or {}), "files": listed, "dd1910": form}
    sums = "".join(f"{item['sha256']}  {item['path']}\n" for item in listed).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in [*((p, f.data) for p, f in entries),
                           (MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2).encode()), (SUMS, sums)]:
            info = zipfile.ZipInfo(path, date_time=EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


def verify_package(data: bytes) -> list[str]:
    """Problems with a package: a file missing, unlisted or changed since the manifest was written. [] if sound."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return ["The package is not a ZIP file."]
    with archive:
        names = set(archive.namelist())
        if MANIFEST not in names:
            return [f"The package has no {MANIFEST}."]
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except ValueError as error:
            return [f"{MANIFEST} is not valid JSON ({error})."]
        problems = []
        listed = {item["path"]: item for item in manifest.get("files", [])}
        for path, item in listed.items():
            if path not in names:
                problems.append(f"{path} is listed in the manifest but not in the package.")
            elif sha256(archive.read(path)) != item["sha256"]:
                problems.append(f"{path} does not match its SHA-256 in the manifest.")
        for path in sorted(names - set(listed) - {MANIFEST, SUMS}):
            problems.append(f"{path} is in the package but not in the manifest.")
        if FORM in names and json.loads(archive.read(FORM)).get("fields") != manifest.get("dd1910"):
            problems.append(f"{FORM} and the manifest's DD 1910 data differ.")
        return problems
