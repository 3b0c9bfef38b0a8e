"""Hostile and wrong files: each refused with its own code and a sentence, within 2 s and under 256 MB.

Every case runs in a fresh Python (so one case's memory cannot hide another's), which times the check and
reads its own peak RSS (VmHWM) afterwards. The 2 s bound is the issue's safety limit, not a speed target.
"""

from __future__ import annotations

import io
import json
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest

from tests.docx_factory import DocxFactory, compliant_chapter, zip_parts

MB = 1024 * 1024
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SMALL_DOC = compliant_chapter(body_words=300, notes=2, entries=2)


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(SMALL_DOC.build())) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def with_part(name: str, data: bytes, **extra: bytes) -> bytes:
    parts = _parts()
    parts[name] = data
    parts.update(extra)
    return zip_parts(parts)


def zip_bomb_entry() -> bytes:
    """document.xml that expands to 200 MB of spaces: a few hundred KB on the wire."""
    buffer = io.BytesIO()
    parts = _parts()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, data)
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            chunk = b" " * MB
            for _ in range(200):
                entry.write(chunk)
    return buffer.getvalue()


def overlapping_entries() -> bytes:
    """One compressed body referenced by many central-directory entries (Fifield's overlapping zip bomb)."""
    body = zlib.compress(b"<w:document/>" + b" " * (8 * MB))[2:-4]
    name = b"word/document.xml"
    local = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, 0, len(body), 8 * MB + 13, len(name), 0) + name
    central, count = b"", 40
    for index in range(count):
        alias = name if index == 0 else f"word/header{index}.xml".encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, 0, len(body), 8 * MB + 13,
                               len(alias), 0, 0, 0, 0, 0, 0) + alias
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), len(local) + len(body), 0)
    return local + body + central + end


def duplicate_names() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in _parts().items():
            archive.writestr(name, data)
        with pytest.warns(UserWarning):
            archive.writestr("word/document.xml", b"<w:document/>")
    return buffer.getvalue()


def encrypted_entry() -> bytes:
    """A ZIP entry flagged as encrypted (traditional PKWARE encryption), in both its headers."""
    data = bytearray(with_part("word/document.xml", _parts()["word/document.xml"]))
    for signature, flag_offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            data[start + flag_offset] |= 0x01
            start += 4
    return bytes(data)


def billion_laughs() -> bytes:
    entities = "".join(f'<!ENTITY lol{i} "{"&lol%d;" % (i - 1) * 10 if i else "lol"}">' for i in range(10))
    xml = f'<?xml version="1.0"?><!DOCTYPE lolz [{entities}]><w:document xmlns:w="x"><w:body>&lol9;</w:body></w:document>'
    return with_part("word/document.xml", xml.encode())


def external_entity() -> bytes:
    xml = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document xmlns:w="x">&x;</w:document>'
    return with_part("word/document.xml", xml.encode())


def utf16_doctype() -> bytes:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE d [<!ENTITY x "y">]><w:document xmlns:w="x"/>'
    return with_part("word/document.xml", xml.encode("utf-16"))


def deeply_nested() -> bytes:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f"<w:document {w}><w:body>" + "<w:sdt><w:sdtContent>" * 5000 + "</w:sdtContent></w:sdt>" * 5000 + "</w:body></w:document>"
    return with_part("word/document.xml", xml.encode())


def too_many_elements() -> bytes:
    """15 MB of empty paragraphs: under the byte cap, far over the element budget (a tree of ~1 GB)."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f"<w:document {w}><w:body>" + "<w:p/>" * (15 * MB // 6) + "</w:body></w:document>"
    return with_part("word/document.xml", xml.encode())


def huge_text_node() -> bytes:
    """One 15 MB paragraph: text, not markup, so only the parser's own limits and ours on time apply."""
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    xml = f"<w:document {w}><w:body><w:p><w:r><w:t>" + "word " * (3 * MB) + "</w:t></w:r></w:p></w:body></w:document>"
    return with_part("word/document.xml", xml.encode())


def too_many_entries() -> bytes:
    return with_part("word/document.xml", _parts()["word/document.xml"],
                     **{f"customXml/item{i}.bin": b"" for i in range(5000)})


def odt() -> bytes:
    return zip_parts({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"})


def renamed_workbook() -> bytes:
    factory = DocxFactory(main_content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    return factory.build()


def macro_enabled() -> bytes:
    return DocxFactory(main_content_type="application/vnd.ms-word.document.macroEnabled.main+xml").add("Text").build()


def macro_enabled_template() -> bytes:
    return DocxFactory(main_content_type="application/vnd.ms-word.template.macroEnabledTemplate.main+xml").add("Text").build()


def docx_holding_macros() -> bytes:
    """A .docx by its content type that carries word/vbaProject.bin, as a renamed .docm does."""
    factory = DocxFactory().add("Text")
    factory.extra_parts["word/vbaProject.bin"] = OLE2 + b"\x00" * 512
    return factory.build()


def raw_zip(entries: list[tuple[str, bytes, int, int]]) -> bytes:
    """A ZIP written by hand from (name, deflated bytes, CRC-32, size) so a test need not inflate gigabytes."""
    local, central = b"", b""
    for name, body, crc, size in entries:
        encoded = name.encode()
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0, crc, len(body), size,
                               len(encoded), 0, 0, 0, 0, 0, len(local)) + encoded
        local += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0, crc, len(body), size, len(encoded), 0) + encoded + body
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), len(local), 0)
    return local + central + end


def deflated(data: bytes) -> tuple[bytes, int, int]:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data)


def unreferenced_parts_of(total_mb: int, part_mb: int = 40) -> bytes:
    """A small real document plus media parts no relationship names, expanding to ``total_mb`` in all."""
    padding = deflated(b"\x00" * (part_mb * MB))
    entries = [(name, *deflated(data)) for name, data in _parts().items()]
    entries += [(f"word/media/padding{i}.bin", *padding) for i in range(total_mb // part_mb)]
    return raw_zip(entries)


def corrupt_central_directory() -> bytes:
    """Complete (its end record is there) but the directory's entries are overwritten."""
    data = bytearray(SMALL_DOC.build())
    start = data.find(b"PK\x01\x02")
    data[start: start + 46] = b"\xff" * 46
    return bytes(data)


def plain_zip() -> bytes:
    return zip_parts({"notes.txt": "just a zip"})


def ole2(extra: bytes) -> bytes:
    return OLE2 + b"\x00" * 504 + extra + b"\x00" * 2048


CASES = {
    "zip bomb (one entry of 200 MB)": (zip_bomb_entry, "entry-too-large"),
    "zip bomb (overlapping entries)": (overlapping_entries, "overlapping-entries"),
    "duplicate entry names": (duplicate_names, "duplicate-entry"),
    "path escaping the archive": (lambda: with_part("../../evil.xml", b"x"), "unsafe-path"),
    "absolute path": (lambda: with_part("/etc/evil.xml", b"x"), "unsafe-path"),
    "encrypted ZIP entry": (encrypted_entry, "encrypted-entry"),
    "XML bomb (billion laughs)": (billion_laughs, "doctype"),
    "external entity": (external_entity, "doctype"),
    "DOCTYPE in UTF-16": (utf16_doctype, "doctype"),
    "truncated archive": (lambda: SMALL_DOC.build()[: len(SMALL_DOC.build()) // 2], "truncated"),
    "deeply nested XML": (deeply_nested, "xml-too-deep"),
    "too many XML elements": (too_many_elements, "xml-too-large"),
    "too many entries": (too_many_entries, "too-many-entries"),
    "Word 97-2003 .doc": (lambda: ole2(b"WordDocument".decode().encode("utf-16-le")), "doc"),
    "password-protected .docx": (lambda: ole2("EncryptionInfo".encode("utf-16-le") + "EncryptedPackage".encode("utf-16-le")), "encrypted"),
    "macro-enabled .docm": (macro_enabled, "docm"),
    "macro-enabled template .dotm": (macro_enabled_template, "dotm"),
    ".docx holding vbaProject.bin": (docx_holding_macros, "macros"),
    "unreferenced parts expanding to 2 GB": (lambda: unreferenced_parts_of(2048), "total-too-large"),
    "corrupt central directory (not cut short)": (corrupt_central_directory, "damaged-directory"),
    "OpenDocument .odt": (odt, "odt"),
    "PDF": (lambda: b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n", "pdf"),
    "RTF": (lambda: b"{\\rtf1\\ansi Hello}", "rtf"),
    "Excel workbook renamed": (renamed_workbook, "xlsx"),
    "PNG renamed": (lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "image"),
    "text renamed": (lambda: b"Chapter one\nIt was a dark night.\n", "text"),
    "ZIP that is no Office file": (plain_zip, "no-content-types"),
    "empty file": (lambda: b"", "empty"),
}

CHILD = """
import json, sys, time
from chapterhouse.call.schema import load_call
from chapterhouse.manuscripts import check
rules = load_call(sys.argv[1])
data = open(sys.argv[2], "rb").read()
start = time.perf_counter()
report = check(data, rules, filename="chapter.docx")
seconds = time.perf_counter() - start
peak = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:")) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "report": report.as_dict()}))
"""


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_file_is_refused_specifically_fast_and_small(case, tmp_path):
    from tests.conftest import DEFAULT_CALL

    make, code = CASES[case]
    path = tmp_path / "chapter.docx"
    path.write_bytes(make())
    result = subprocess.run([sys.executable, "-c", CHILD, str(DEFAULT_CALL), str(path)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout)
    report = outcome["report"]
    assert report["refused"] is not None, f"{case} was not refused: {report['findings'][:3]}"
    assert report["refused"]["code"] == code, report["refused"]
    assert report["passed"] is False
    assert report["refused"]["message"].startswith("chapter.docx ")
    assert outcome["seconds"] < 2.0, outcome["seconds"]
    assert outcome["peak_mb"] < 256, outcome["peak_mb"]


def test_every_refusal_message_says_what_the_file_is():
    from chapterhouse.ooxml.formats import REFUSALS, refusal_message
    from chapterhouse.ooxml.package import PackageError

    for code, (what, advice) in REFUSALS.items():
        assert refusal_message(PackageError(code, "x"), "chapter.docx") == f"chapter.docx is {what}. {advice}"
    assert refusal_message(PackageError("doctype", "word/document.xml declares a DOCTYPE"), "c.docx") == (
        "c.docx cannot be read safely: word/document.xml declares a DOCTYPE")


def test_a_huge_paragraph_is_read_within_the_time_limit_or_refused(tmp_path):
    """15 MB of prose in one paragraph: a report or a refusal, never a hang."""
    from tests.conftest import DEFAULT_CALL

    path = tmp_path / "chapter.docx"
    path.write_bytes(huge_text_node())
    result = subprocess.run([sys.executable, "-c", CHILD, str(DEFAULT_CALL), str(path)],
                            capture_output=True, text=True, timeout=60)
    outcome = json.loads(result.stdout)
    assert outcome["seconds"] < 2.0 and outcome["peak_mb"] < 256, outcome
    assert outcome["report"]["refused"] is None or outcome["report"]["refused"]["code"] in {"xml-too-large", "too-slow"}


def test_a_missing_file_and_a_folder_are_refused_by_name(tmp_path):
    from chapterhouse.manuscripts import check
    from chapterhouse.manuscripts.context import CheckRules
    from tests.manuscripts.conftest import dscu_rules

    rules = CheckRules.of(dscu_rules())
    missing = check(tmp_path / "nope.docx", rules)
    assert missing.refusal.code == "unreadable" and "no such file" in missing.refusal.message
    folder = check(tmp_path, rules)
    assert folder.refusal.code == "unreadable" and "folder" in folder.refusal.message


def test_the_refusals_of_issue_ten_name_what_each_file_really_is():
    from chapterhouse.ooxml.formats import open_word
    from chapterhouse.ooxml.formats import refusal_message as message
    from chapterhouse.ooxml.package import PackageError

    def refused(data: bytes) -> str:
        with pytest.raises(PackageError) as caught:
            open_word(data)
        return message(caught.value, "chapter.docx")

    assert refused(macro_enabled_template()).startswith("chapter.docx is a macro-enabled Word template (.dotm).")
    assert refused(docx_holding_macros()).startswith("chapter.docx is a Word document that holds macros")
    damaged = refused(corrupt_central_directory())
    assert "corrupt" in damaged and "cut short" not in damaged
    assert "cut short" in refused(SMALL_DOC.build()[:-300])
    total = refused(unreferenced_parts_of(2048))
    assert "expand to 2,040 MB in all" in total and "word/media/padding0.bin" in total and "zip bomb" in total


def test_unreferenced_parts_within_the_total_cap_are_read_normally():
    from chapterhouse.ooxml.reader import read_manuscript

    model = read_manuscript(unreferenced_parts_of(80))
    assert model.paragraphs
