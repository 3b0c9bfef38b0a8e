"""Opens an Office Open XML package (a .docx) without trusting it.

Uploaded files are hostile until shown otherwise. This Python's zipfile lacks the fix for overlapping-entry
zip bombs, so nothing here trusts declared sizes: each entry is streamed with a byte cap per entry and in total,
and the entry count is capped. Declared sizes are still an upper bound (zipfile never returns more than an
entry declares), so a package whose parts declare more than the total cap in all, read or not, is refused at
once without inflating anything. Names that repeat or escape the archive, encrypted entries, truncated archives,
DOCTYPEs (entity bombs, external entities) and absurdly nested XML are refused with a specific message.
Plain Python; no Django.
"""

from __future__ import annotations

import io
import posixpath
import re
import time
import zipfile
import zlib
from pathlib import Path
from typing import NamedTuple

from lxml import etree

from chapterhouse.ooxml.namespaces import PKG_RELS, transitional

MiB = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
END_OF_DIRECTORY = b"PK\x05\x06"
XML_SUFFIXES = (".xml", ".rels", ".vml")
PACKAGE_RELATIONSHIPS = "_rels/.rels"
OFFICE_DOCUMENT_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)


class Limits(NamedTuple):
    """Caps that keep a hostile file from costing more than 2 s and 256 MB, far above any real chapter's needs."""

    max_entries: int = 4000
    max_entry_bytes: int = 48 * MiB
    max_total_bytes: int = 160 * MiB
    max_file_bytes: int = 100 * MiB
    # XML parts are parsed into trees that cost ~300 bytes per element or attribute, so XML gets a tighter
    # byte cap, and the elements plus attributes of all parsed parts together are capped too (an 8,000-word
    # chapter written by Word has ~50,000).
    max_xml_bytes: int = 16 * MiB
    max_xml_tokens: int = 600_000
    max_seconds: float = 1.5


class Relationship(NamedTuple):
    """One relationship of a part: ``target`` is the part name for internal targets, the raw text for external."""

    id: str
    type: str
    target: str
    external: bool


class PackageError(ValueError):
    """A file that cannot be opened as a package; ``code`` is stable, the message is for people."""

    def __init__(self, code: str, message: str):
        self.code = code
        super().__init__(message)


_SAFE_PARSER_OPTIONS = dict(
    resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False
)


def parse_xml(data: bytes, part: str) -> etree._Element:
    """Parses one XML part with entities, DTDs and network access off; a DOCTYPE is refused outright."""
    if _declares_doctype(data):
        raise PackageError("doctype", f"{part} declares a DOCTYPE, which Word never writes; refused as unsafe.")
    try:
        root = etree.fromstring(data, etree.XMLParser(**_SAFE_PARSER_OPTIONS))
    except etree.XMLSyntaxError as error:
        text = str(error)
        if "depth" in text.lower():
            raise PackageError("xml-too-deep", f"{part} is nested too deeply to be a real document.") from None
        if "huge" in text.lower() or "amplification" in text.lower():
            raise PackageError("xml-too-large", f"{part} is too large or expands too much to read safely.") from None
        raise PackageError("xml-malformed", f"{part} is not well-formed XML ({text}).") from None
    if root.getroottree().docinfo.doctype:
        raise PackageError("doctype", f"{part} declares a DOCTYPE, which Word never writes; refused as unsafe.")
    return root


def _declares_doctype(data: bytes) -> bool:
    head = data[:65536]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", errors="ignore").encode("utf-8", errors="ignore")
    return b"<!DOCTYPE" in head.upper().replace(b"\x00", b"")


class OoxmlPackage:
    """The parts of a package, read on demand under the limits. Source: bytes, a path or a binary file."""

    def __init__(self, source: bytes | str | Path, limits: Limits = Limits()):
        self.limits = limits
        # The time limit counts this thread's CPU time, not the wall clock: a busy machine (or other requests of
        # the same server) must not turn a legitimate file into a refusal; a file that makes the reader work is
        # still stopped after the same amount of work.
        self.deadline = time.thread_time() + limits.max_seconds
        self._next_clock_read = 0.0  # perf_counter time before which check_time need not read the CPU clock
        self._read_total = 0
        self._xml_tokens = 0
        self.strict = False  # set once a Strict OOXML part has been read
        self._relationships: dict[str, list[Relationship]] = {}
        # Each XML part is parsed once: part name → (root, its bytes, its elements and attributes, whether it was
        # Strict). No reader changes a tree, so every reader of the package (and of a fresh_budget() view of it)
        # walks the same one.
        self._parsed: dict[str, tuple[etree._Element, int, int, bool]] = {}
        # What readers derive from parsed parts and only read (a style index), shared as the parts are.
        self.derived: dict = {}
        data = source if isinstance(source, bytes) else read_file(source, limits.max_file_bytes)
        self.size = len(data)
        if self.size > limits.max_file_bytes:
            raise PackageError("file-too-large", _file_too_large(self.size, limits.max_file_bytes))
        if not data.startswith(ZIP_MAGIC):
            raise PackageError("not-zip", "The file is not a ZIP package, so it cannot be a .docx.")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
            raise _unreadable_directory(data) from None
        if len(infos) > limits.max_entries:
            raise PackageError("too-many-entries", f"The package holds {len(infos):,} files; more than "
                               f"{limits.max_entries:,} is refused (a chapter, pictures and all, holds a few dozen).")
        self._infos: dict[str, zipfile.ZipInfo] = {}
        seen_folded: set[str] = set()
        for info in infos:
            name = info.filename
            normalised = posixpath.normpath(name.replace("\\", "/"))
            if name.startswith(("/", "\\")) or normalised.startswith("..") or ":" in name.split("/")[0]:
                raise PackageError("unsafe-path", f"The package holds an entry whose name escapes the archive: {name!r}.")
            if name.lower() in seen_folded:
                raise PackageError("duplicate-entry", f"The package holds two entries named {name!r}.")
            seen_folded.add(name.lower())
            if info.flag_bits & 0x1:
                raise PackageError("encrypted-entry", f"The package entry {name!r} is encrypted; remove the password and save again.")
            self._infos[name] = info
        _refuse_overlaps(infos, self.size)
        self._refuse_declared_sizes(infos)

    def _refuse_declared_sizes(self, infos: list[zipfile.ZipInfo]) -> None:
        """What the parts declare bounds what they can expand to: over the caps is refused before reading."""
        for info in infos:
            if info.filename.lower().endswith(XML_SUFFIXES) and info.file_size > self.limits.max_entry_bytes:
                raise _too_large(info.filename, info.file_size, info.compress_size, self.limits.max_entry_bytes)
        total = sum(info.file_size for info in infos)
        if total > self.limits.max_total_bytes:
            biggest = max(infos, key=lambda info: info.file_size)
            packed = sum(info.compress_size for info in infos)
            what = (f"The package's {len(infos)} parts expand to {total // MiB:,} MB in all (the largest, "
                    f"{biggest.filename}, to {biggest.file_size // MiB:,} MB); more than "
                    f"{self.limits.max_total_bytes // MiB} MB is refused")
            if _bomb_like(total, packed):
                raise PackageError("total-too-large", f"{what} as a possible zip bomb: they are packed "
                                   f"{total // max(packed, 1):,} to 1, which real documents never are.")
            raise PackageError("document-too-large", f"{what}: far more than a chapter with its pictures needs.")

    def fresh_budget(self) -> OoxmlPackage:
        """The same opened package, its parts parsed at most once between them, under a new budget of its own.

        A second reader of an upload (the reviewers' copy after screening) gets the time, byte and XML budget
        it would have had on opening the file again, and is charged for each part it reads just as it would
        have been on parsing it again, so that what it refuses or reads is exactly what a second opening would
        refuse or read; only the unzipping and parsing are not done twice."""
        view = object.__new__(OoxmlPackage)
        view.__dict__.update(self.__dict__)
        view.deadline = time.thread_time() + self.limits.max_seconds
        view._next_clock_read = 0.0
        view._read_total = 0
        view._xml_tokens = 0
        view.strict = False
        view._relationships = {}
        return view

    def names(self) -> list[str]:
        return list(self._infos)

    @property
    def bytes_read(self) -> int:
        return self._read_total

    @property
    def xml_tokens(self) -> int:
        return self._xml_tokens

    def spend(self, inner: OoxmlPackage) -> None:
        """Counts what a package embedded in this one read against this one's budget."""
        self._read_total += inner.bytes_read
        self._xml_tokens += inner.xml_tokens

    def has(self, name: str) -> bool:
        return name in self._infos

    def seconds_left(self) -> float:
        return max(0.0, self.deadline - time.thread_time())

    def check_time(self) -> None:
        """Refuses a file that takes longer to read than any real chapter could: a hang is never an answer.

        The thread's CPU clock is a system call (over a microsecond here) and the reader asks at every paragraph,
        so it is read at most every 5 ms of wall time, which a thread's CPU time cannot outrun."""
        now = time.perf_counter()
        if now < self._next_clock_read:
            return
        self._next_clock_read = now + 0.005
        if time.thread_time() > self.deadline:
            raise PackageError(
                "too-slow", f"Reading the file took more than {self.limits.max_seconds:g} s of work and was stopped. A "
                "chapter takes a small fraction of that (128,000 words take about 0.3 s), so the file is either far "
                "larger or more intricate than a chapter, or built to make a reader work.")

    def read(self, name: str, cap: int | None = None) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise PackageError("missing-part", f"The package has no part {name!r}.")
        cap = min(cap or self.limits.max_entry_bytes, self.limits.max_entry_bytes)
        chunks, size = [], 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(256 * 1024):
                    self.check_time()
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > cap:
                        raise _too_large(name, info.file_size, info.compress_size, cap)
                    if self._read_total > self.limits.max_total_bytes:
                        raise PackageError(
                            "total-too-large",
                            f"The package expands to more than {self.limits.max_total_bytes // MiB} MB; refused as a possible zip bomb.",
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
            raise PackageError("damaged-entry", f"{name} is damaged and cannot be read ({error}).") from None
        return b"".join(chunks)

    def xml(self, name: str) -> etree._Element:
        """A part parsed safely, Strict namespaces rewritten to Transitional, within the package's XML budget.

        A part already parsed (by this reader or another of the same package) is not read or parsed again, but
        is charged to this budget as if it were: its bytes, its elements and attributes, and the time check."""
        parsed = self._parsed.get(name)
        if parsed is not None:
            self._charge(name, *parsed[1:])
            return parsed[0]
        data = self.read(name, self.limits.max_xml_bytes)
        tokens = data.count(b"<") + data.count(b"=")
        self._xml_tokens += tokens
        if self._xml_tokens > self.limits.max_xml_tokens:
            raise _too_many_elements(name, data, self._xml_tokens, self.limits.max_xml_tokens)
        converted = transitional(data)
        strict = converted is not data
        self.strict = self.strict or strict
        root = parse_xml(converted, name)
        self._parsed[name] = (root, len(data), tokens, strict)
        return root

    def _charge(self, name: str, size: int, tokens: int, strict: bool) -> None:
        """Charges this budget what reading and parsing a part parsed before costs (see :meth:`xml`)."""
        self.check_time()
        self._read_total += size
        if self._read_total > self.limits.max_total_bytes:
            raise PackageError(
                "total-too-large",
                f"The package expands to more than {self.limits.max_total_bytes // MiB} MB; refused as a possible zip bomb.",
            )
        self._xml_tokens += tokens
        if self._xml_tokens > self.limits.max_xml_tokens:
            data = self._zip.read(self._infos[name])  # read once already, under the caps: only for the message
            raise _too_many_elements(name, data, self._xml_tokens, self.limits.max_xml_tokens)
        self.strict = self.strict or strict

    def relationships(self, part: str) -> list[Relationship]:
        """The relationships of ``part`` (``""`` for the package), targets resolved against the part's folder."""
        if part in self._relationships:
            return self._relationships[part]
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels") if part else PACKAGE_RELATIONSHIPS
        if not self.has(rels_name):
            return []
        found = self._relationships[part] = []
        for rel in self.xml(rels_name).iter(f"{{{PKG_RELS}}}Relationship"):
            target = rel.get("Target", "")
            external = rel.get("TargetMode", "") == "External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append(Relationship(rel.get("Id", ""), rel.get("Type", ""), target, external))
        return found

    def content_types(self) -> dict[str, str]:
        """Part name (without leading slash) → content type, from [Content_Types].xml overrides and defaults."""
        if not self.has("[Content_Types].xml"):
            raise PackageError("no-content-types", "The ZIP file has no [Content_Types].xml, so it is not an Office document.")
        root = self.xml("[Content_Types].xml")
        defaults, overrides = {}, {}
        for element in root:
            local = etree.QName(element).localname if isinstance(element.tag, str) else ""
            if local == "Default":
                defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
            elif local == "Override":
                overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        types = {}
        for name in self._infos:
            extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
            types[name] = overrides.get(name) or defaults.get(extension, "")
        return types

    def main_document_part(self) -> str | None:
        """The part the package's relationships name as the office document (word/document.xml usually)."""
        for rel in self.relationships(""):
            if rel.type in OFFICE_DOCUMENT_TYPES and not rel.external:
                return rel.target
        return None


# Deflate packs real XML and text 5 to 30 to 1 (Word's document.xml about 10 to 1) and pictures hardly at all; only
# data made to expand (runs of one byte) packs a hundred to one or more, up to deflate's limit of about 1,032 to 1.
BOMB_RATIO = 100
# What an 8,000-word chapter written by Word holds, for scale in the messages below.
CHAPTER_SCALE = "an 8,000-word chapter written by Word holds about 1 MB of XML and 50,000 XML elements and attributes"


def _bomb_like(expanded: int, packed: int) -> bool:
    return expanded > BOMB_RATIO * max(packed, 1)


def _size(size: int) -> str:
    return f"{size / MiB:,.1f} MB"


def _file_too_large(size: int, limit: int) -> str:
    return (f"The file is {_size(size)}, more than the {limit // MiB} MB a chapter may be, its pictures included; "
            "send one chapter, with its pictures compressed (in Word: File → Compress Pictures).")


def _too_large(name: str, expanded: int, packed: int, limit: int) -> PackageError:
    """A part over its byte cap: a possible zip bomb only when it is packed as no real document is."""
    if _bomb_like(expanded, packed):
        return PackageError("entry-too-large", f"{name} expands to {_size(expanded)} from {_size(packed)}, packed "
                            f"{expanded // max(packed, 1):,} to 1, which real documents never are; more than "
                            f"{limit // MiB} MB is refused as a possible zip bomb.")
    return PackageError("document-too-large", f"{name} is {_size(expanded)} of XML, more than the {limit // MiB} MB "
                        f"the checker reads in one part: too large for a chapter ({CHAPTER_SCALE}). Send one chapter "
                        "as its own document.")


_WORD_TEXT = re.compile(rb"<w:t(?:\s[^>]*)?>([^<]*)</w:t>")
# Word writes 5 to 15 XML elements and attributes per word of text; markup a hundred times denser than its text is
# made, not written.
BOMB_TOKENS_PER_WORD = 100


def _too_many_elements(name: str, data: bytes, tokens: int, limit: int) -> PackageError:
    """Over the XML budget: a document too large for a chapter when the markup carries text at a normal rate,
    else a possible XML bomb. Its words are estimated from its ``w:t`` text (only when refusing)."""
    words = sum(len(text.split()) for text in _WORD_TEXT.findall(data))
    if words and tokens <= BOMB_TOKENS_PER_WORD * words:
        at_this_rate = limit * words // tokens // 100 * 100
        return PackageError(
            "document-too-large",
            f"{name} is {_size(len(data))} of XML holding about {words:,} words: too large for a chapter. The checker "
            f"reads at most {limit:,} XML elements and attributes in all, about {at_this_rate:,} words at this "
            f"file's rate of markup ({CHAPTER_SCALE}). Send one chapter as its own document.")
    return PackageError(
        "xml-too-large",
        f"{name} holds more XML elements than any real chapter ({limit:,} elements and attributes in all) for "
        f"{'about ' + format(words, ',') + ' words' if words else 'no words'} of text; refused as a possible XML bomb.")


def _refuse_overlaps(infos: list[zipfile.ZipInfo], size: int) -> None:
    """Entries whose data overlap (several names for the same bytes) are how the worst zip bombs multiply."""
    spans = sorted((info.header_offset, info.header_offset + 30 + len(info.orig_filename.encode()) + info.compress_size,
                    info.orig_filename) for info in infos)
    for (start, end, name), (next_start, _, next_name) in zip(spans, spans[1:]):
        if next_start < end:
            raise PackageError("overlapping-entries", f"The package entries {name!r} and {next_name!r} share their "
                               "bytes, a trick of zip bombs; refused.")
    if spans and spans[-1][1] > size:
        raise PackageError("truncated", "The file is damaged or incomplete: an entry runs past its end "
                           "(was the upload cut short?).")


def _unreadable_directory(data: bytes) -> PackageError:
    """A file cut short has lost the end record of its ZIP directory; a complete one may still have a corrupt directory."""
    if END_OF_DIRECTORY in data[-(22 + 65535):]:
        return PackageError("damaged-directory", "The file is complete but its ZIP directory (the list of the parts "
                            "it holds) is corrupt, so it cannot be read.")
    return PackageError(
        "truncated", "The file is damaged or incomplete: its ZIP directory cannot be read (was the upload cut short?).")


def read_file(path: str | Path, max_bytes: int) -> bytes:
    """A file's bytes, with a message instead of a traceback when it is missing, a folder or too large."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise PackageError("unreadable", f"{path} is a folder, not a file.")
        if size > max_bytes:
            raise PackageError("file-too-large", _file_too_large(size, max_bytes))
        return path.read_bytes()
    except FileNotFoundError:
        raise PackageError("unreadable", f"{path}: no such file.") from None
    except OSError as error:
        raise PackageError("unreadable", f"{path} cannot be read ({error.strerror}).") from None
