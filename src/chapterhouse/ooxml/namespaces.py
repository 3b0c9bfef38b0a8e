"""Namespace names of WordprocessingML and its neighbours, and the Strict → Transitional mapping.

Strict OOXML (ISO/IEC 29500 Strict, written by Word's "Strict Open XML Document" and some converters) is the
same vocabulary under other namespace URIs. Rewriting those URIs before parsing lets one reader, written against
Transitional names, read both. Plain Python; no Django.
"""

from __future__ import annotations

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
EXTENDED = "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"
CUSTOM = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
VML = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"

# Relationship types (Transitional spelling; Strict ones are rewritten to these before use).
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
REL_FOOTNOTES = REL + "footnotes"
REL_ENDNOTES = REL + "endnotes"
REL_COMMENTS = REL + "comments"
REL_HEADER = REL + "header"
REL_FOOTER = REL + "footer"
REL_STYLES = REL + "styles"
REL_NUMBERING = REL + "numbering"
REL_SETTINGS = REL + "settings"
REL_ATTACHED_TEMPLATE = REL + "attachedTemplate"
REL_HYPERLINK = REL + "hyperlink"
REL_OLE_OBJECT = REL + "oleObject"
REL_PACKAGE = REL + "package"
REL_ALT_CHUNK = REL + "aFChunk"
REL_SUBDOCUMENT = REL + "subDocument"
REL_CORE = "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
REL_EXTENDED = REL + "extended-properties"
REL_CUSTOM = REL + "custom-properties"
REL_LABEL_INFO = "http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels"
REL_ACTIVEX = REL + "control"
REL_VBA = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"

_STRICT_TO_TRANSITIONAL = [
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", W.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships", R.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties", EXTENDED.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties", CUSTOM.encode()),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
]
# Strict spells two relationship types differently from Transitional, not just under another prefix.
_STRICT_REL_NAMES = [(REL.encode() + b"extendedProperties", REL_EXTENDED.encode()),
                     (REL.encode() + b"customProperties", REL_CUSTOM.encode())]


def transitional(data: bytes) -> bytes:
    """The same XML with Strict namespace URIs replaced by their Transitional equivalents."""
    if b"purl.oclc.org/ooxml" not in data:
        return data
    for strict, transitional_uri in _STRICT_TO_TRANSITIONAL + _STRICT_REL_NAMES:
        data = data.replace(strict, transitional_uri)
    return data


def w(local: str) -> str:
    """Clark name of a WordprocessingML element or attribute: ``w("p")`` → ``{…/main}p``."""
    return f"{{{W}}}{local}"
