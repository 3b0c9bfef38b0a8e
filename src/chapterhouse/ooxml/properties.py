"""Document properties: core (author, last modified by), app (company, template), custom, sensitivity labels.

Security review takes only files without personal metadata, and a classification can hide in a property that no
page shows. Each property is read with the name Word shows for it. Plain Python; no Django.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import NamedTuple

from lxml import etree

from chapterhouse.ooxml import namespaces as ns
from chapterhouse.ooxml.package import OoxmlPackage, PackageError

# Properties that name a person or an organisation: what "personal metadata" means to the review.
PERSONAL = {
    ("core", "creator"): "Author",
    ("core", "lastModifiedBy"): "Last modified by",
    ("app", "Company"): "Company",
    ("app", "Manager"): "Manager",
}
_DEFAULT_PARTS = {"core": "docProps/core.xml", "app": "docProps/app.xml", "custom": "docProps/custom.xml",
                  "labels": "docMetadata/LabelInfo.xml"}
_REL_KINDS = {ns.REL_CORE: "core", ns.REL_EXTENDED: "app", ns.REL_CUSTOM: "custom", ns.REL_LABEL_INFO: "labels"}
LABEL_INFO_NS = "http://schemas.microsoft.com/office/2020/mipLabelMetadata"


class Property(NamedTuple):
    kind: str  # core, app, custom
    name: str
    value: str
    part: str

    @property
    def label(self) -> str:
        return f"document properties ({posixpath.basename(self.part)}: {self.name})"


class SensitivityLabel(NamedTuple):
    """A Microsoft Information Protection label; ``name`` is empty when the file stores only the label's id."""

    id: str
    name: str
    enabled: bool
    where: str


@dataclass
class DocumentProperties:
    properties: list[Property] = field(default_factory=list)
    labels: list[SensitivityLabel] = field(default_factory=list)

    def personal(self) -> list[tuple[str, Property]]:
        """(the name Word shows, property) for each non-empty property that names a person or organisation."""
        return [(PERSONAL[(p.kind, p.name)], p) for p in self.properties if (p.kind, p.name) in PERSONAL and p.value]

    def get(self, kind: str, name: str) -> str:
        return next((p.value for p in self.properties if p.kind == kind and p.name == name), "")


def read_properties(package: OoxmlPackage, damaged: list[tuple[str, str]]) -> DocumentProperties:
    """All property parts the package relates to (or holds at their usual names); damaged ones are noted."""
    parts = dict((kind, name) for kind, name in _DEFAULT_PARTS.items() if package.has(name))
    for rel in package.relationships(""):
        if rel.type in _REL_KINDS and not rel.external and package.has(rel.target):
            parts[_REL_KINDS[rel.type]] = rel.target
    found = DocumentProperties()
    for kind, part in parts.items():
        try:
            root = package.xml(part)
        except PackageError as error:
            if error.code != "xml-malformed":
                raise
            damaged.append((part, str(error)))
            continue
        if kind == "labels":
            found.labels += _label_info(root, part)
        elif kind == "custom":
            found.properties += _custom(root, part)
        else:
            found.properties += _simple(root, kind, part)
    found.labels += _msip_labels(found.properties)
    return found


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _simple(root: etree._Element, kind: str, part: str) -> list[Property]:
    """core.xml and app.xml: one element per property (app.xml's vectors, e.g. TitlesOfParts, flattened)."""
    found = []
    for element in root:
        if not isinstance(element.tag, str):
            continue
        value = _text(element)
        if value:
            found.append(Property(kind, etree.QName(element).localname, value, part))
    return found


def _custom(root: etree._Element, part: str) -> list[Property]:
    return [Property("custom", prop.get("name", ""), _text(prop), part)
            for prop in root.iter(f"{{{ns.CUSTOM}}}property")]


def _msip_labels(properties: list[Property]) -> list[SensitivityLabel]:
    """Labels written as custom properties MSIP_Label_<id>_Name / _Enabled (Office before 2021 and still today)."""
    labels: dict[str, dict[str, str]] = {}
    for prop in properties:
        if prop.kind == "custom" and prop.name.startswith("MSIP_Label_"):
            label_id, _, key = prop.name.removeprefix("MSIP_Label_").rpartition("_")
            labels.setdefault(label_id, {})[key] = prop.value
    return [SensitivityLabel(label_id, keys.get("Name", ""), keys.get("Enabled", "true").lower() in ("true", "1"),
                             f"document properties (sensitivity label MSIP_Label_{label_id}_Name)")
            for label_id, keys in labels.items()]


def _label_info(root: etree._Element, part: str) -> list[SensitivityLabel]:
    """docMetadata/LabelInfo.xml (Office 2021 and later): label ids only; the name lives in the tenant's policy."""
    return [SensitivityLabel(label.get("id", ""), label.get("name", ""), label.get("enabled", "1") in ("1", "true"),
                             f"sensitivity label ({part})")
            for label in root.iter(f"{{{LABEL_INFO_NS}}}label") if label.get("removed", "0") not in ("1", "true")]
