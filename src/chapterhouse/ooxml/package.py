"""Opens an Office Open XML package (a .docx) without trusting it.

Uploaded files are hostile until shown otherwise. This Python's zipfile lacks the fix for overlapping-entry
zip bombs, so nothing here trusts declared sizes: each entry is streamed with a byte cap per entry and in total,
and the entry count is capped. Names that repeat or escape the archive, encrypted entries, truncated archives,
DOCTYPEs (entity bombs, external entities) and absurdly nested XML are refused with a specific message.
Plain Python; no Django.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

MiB = 1024 * 1024
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
PACKAGE_RELATIONSHIPS = "_rels/.rels"
OFFICE_DOCUMENT_TYPES = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument",
    "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument",
)


@dataclass(frozen=True)
class Limits:
    max_entries: int = 4000
    max_entry_bytes: int = 48 * MiB
    max_total_bytes: int = 160 * MiB


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
        self._read_total = 0
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        self.size = len(data)
        if not data.startswith(ZIP_MAGIC):
            raise PackageError("not-zip", "The file is not a ZIP package, so it cannot be a .docx.")
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, OSError):
            raise PackageError(
                "truncated", "The file is damaged or incomplete: its ZIP directory cannot be read (was the upload cut short?)."
            ) from None
        if len(infos) > limits.max_entries:
            raise PackageError("too-many-entries", f"The package holds {len(infos)} files; more than {limits.max_entries} is refused.")
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

    def names(self) -> list[str]:
        return list(self._infos)

    def has(self, name: str) -> bool:
        return name in self._infos

    def read(self, name: str) -> bytes:
        info = self._infos.get(name)
        if info is None:
            raise PackageError("missing-part", f"The package has no part {name!r}.")
        cap = self.limits.max_entry_bytes
        chunks, size = [], 0
        try:
            with self._zip.open(info) as stream:
                while chunk := stream.read(256 * 1024):
                    size += len(chunk)
                    self._read_total += len(chunk)
                    if size > cap:
                        raise PackageError(
                            "entry-too-large", f"{name} expands to more than {cap // MiB} MB; refused as a possible zip bomb."
                        )
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
        return parse_xml(self.read(name), name)

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
        if not self.has(PACKAGE_RELATIONSHIPS):
            return None
        for rel in self.xml(PACKAGE_RELATIONSHIPS):
            if rel.get("Type") in OFFICE_DOCUMENT_TYPES:
                target = rel.get("Target", "").lstrip("/")
                return posixpath.normpath(target)
        return None
