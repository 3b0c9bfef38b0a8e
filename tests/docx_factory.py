"""Builds .docx files from raw WordprocessingML, so a test can plant exactly what it is about.

``DocxFactory`` holds the parts of a package as XML snippets and writes them with zipfile; ``compliant_chapter``
fills one with a chapter that meets the default call (double-spaced 12 pt text, shortened notes that match an
alphabetical bibliography, no metadata), which tests then spoil one way at a time. The benchmark uses the same
builder for its realistic chapter.
"""

from __future__ import annotations

import io
import random
import zipfile
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = (f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
              'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
DOUBLE = '<w:spacing w:line="480" w:lineRule="auto"/>'

# Styles a compliant chapter uses; Normal carries the call's formatting, the others inherit or override it.
BASE_STYLES = f"""
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>
  <w:pPr>{DOUBLE}</w:pPr><w:rPr><w:sz w:val="24"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="32"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="footnote text"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:spacing w:line="240" w:lineRule="auto"/></w:pPr><w:rPr><w:sz w:val="20"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:ind w:left="720"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Bibliography"><w:name w:val="Bibliography"/><w:basedOn w:val="Normal"/>
  <w:pPr><w:ind w:left="720" w:hanging="720"/></w:pPr></w:style>
<w:style w:type="character" w:styleId="FootnoteReference"><w:name w:val="footnote reference"/>
  <w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>
"""


def run(text: str = "", rpr: str = "", tag: str = "t") -> str:
    props = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    return f'<w:r>{props}<w:{tag} xml:space="preserve">{escape(text)}</w:{tag}></w:r>'


def paragraph(*content: str, style: str | None = None, ppr: str = "") -> str:
    """A ``w:p``; plain strings become runs, strings starting with "<" are inserted as XML."""
    style_xml = f'<w:pStyle w:val="{style}"/>' if style else ""
    props = f"<w:pPr>{style_xml}{ppr}</w:pPr>" if style_xml or ppr else ""
    body = "".join(c if c.startswith("<") else run(c) for c in content)
    return f"<w:p>{props}{body}</w:p>"


def text_box(*paragraphs: str, fallback: str | None = None) -> str:
    """A run holding a DrawingML text box in mc:Choice and, like Word writes it, a VML copy in mc:Fallback."""
    inner = "".join(paragraphs)
    vml = fallback if fallback is not None else inner
    return ("<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><wp:anchor><wp:docPr id=\"1\" name=\"Text Box 1\"/>"
            "<a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>" + inner +
            "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
            "<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>" + vml +
            "</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>")


@dataclass
class DocxFactory:
    body: list[str] = field(default_factory=list)
    styles: str = BASE_STYLES
    doc_defaults: str = ""
    numbering: str | None = None
    footnotes: list[str] = field(default_factory=list)  # inner XML (paragraphs) of each footnote
    endnotes: list[str] = field(default_factory=list)
    comments: list[tuple[str, str]] = field(default_factory=list)  # (author, inner XML)
    headers: list[str] = field(default_factory=list)
    footers: list[str] = field(default_factory=list)
    core: dict[str, str] = field(default_factory=dict)  # e.g. {"dc:creator": "Jane Doe"}
    app: dict[str, str] = field(default_factory=dict)
    custom: dict[str, str] = field(default_factory=dict)
    label_info: str | None = None  # XML of docMetadata/LabelInfo.xml
    settings: str = ""
    main_content_type: str = WORD_MAIN
    extra_parts: dict[str, bytes] = field(default_factory=dict)
    extra_content_types: dict[str, str] = field(default_factory=dict)
    extra_rels: list[tuple[str, str, bool]] = field(default_factory=list)  # (type suffix or URI, target, external)
    settings_rels: list[tuple[str, str, bool]] = field(default_factory=list)

    def add(self, *content: str, style: str | None = None, ppr: str = "") -> DocxFactory:
        self.body.append(paragraph(*content, style=style, ppr=ppr))
        return self

    def footnote(self, text: str, kind: str = "footnote") -> str:
        """Adds a note and returns the reference run to put in the text."""
        notes = self.footnotes if kind == "footnote" else self.endnotes
        notes.append(paragraph(f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Ref/></w:r>',
                               " " + text, style="FootnoteText"))
        return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
                f'<w:{kind}Reference w:id="{len(notes)}"/></w:r>')

    def build(self) -> bytes:
        parts: dict[str, str | bytes] = {}
        types = {"/word/document.xml": self.main_content_type,
                 "/word/styles.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"}
        rels = [(REL + "styles", "styles.xml", False)]
        parts["word/document.xml"] = (f"<w:document {NAMESPACES}><w:body>{''.join(self.body)}"
                                      f"<w:sectPr/></w:body></w:document>")
        defaults = f"<w:docDefaults>{self.doc_defaults}</w:docDefaults>" if self.doc_defaults else ""
        parts["word/styles.xml"] = f"<w:styles {NAMESPACES}>{defaults}{self.styles}</w:styles>"
        if self.numbering is not None:
            parts["word/numbering.xml"] = f"<w:numbering {NAMESPACES}>{self.numbering}</w:numbering>"
            types["/word/numbering.xml"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"
            rels.append((REL + "numbering", "numbering.xml", False))
        for kind, notes in (("footnote", self.footnotes), ("endnote", self.endnotes)):
            if notes:
                separators = (f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
                              f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>')
                body = "".join(f'<w:{kind} w:id="{i}">{xml}</w:{kind}>' for i, xml in enumerate(notes, start=1))
                parts[f"word/{kind}s.xml"] = f"<w:{kind}s {NAMESPACES}>{separators}{body}</w:{kind}s>"
                types[f"/word/{kind}s.xml"] = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
                rels.append((REL + f"{kind}s", f"{kind}s.xml", False))
        if self.comments:
            body = "".join(f'<w:comment w:id="{i}" w:author={quoteattr(author)} w:date="2024-09-01T10:00:00Z">{xml}</w:comment>'
                           for i, (author, xml) in enumerate(self.comments))
            parts["word/comments.xml"] = f"<w:comments {NAMESPACES}>{body}</w:comments>"
            types["/word/comments.xml"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
            rels.append((REL + "comments", "comments.xml", False))
        for kind, stories in (("header", self.headers), ("footer", self.footers)):
            for number, xml in enumerate(stories, start=1):
                tag = "hdr" if kind == "header" else "ftr"
                parts[f"word/{kind}{number}.xml"] = f"<w:{tag} {NAMESPACES}>{xml}</w:{tag}>"
                types[f"/word/{kind}{number}.xml"] = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}+xml"
                rels.append((REL + kind, f"{kind}{number}.xml", False))
        if self.settings or self.settings_rels:
            parts["word/settings.xml"] = f"<w:settings {NAMESPACES}>{self.settings}</w:settings>"
            types["/word/settings.xml"] = "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"
            rels.append((REL + "settings", "settings.xml", False))
            if self.settings_rels:
                parts["word/_rels/settings.xml.rels"] = _rels(self.settings_rels)
        rels += [(t if "/" in t else REL + t, target, external) for t, target, external in self.extra_rels]
        parts["word/_rels/document.xml.rels"] = _rels(rels)
        package_rels = [(REL + "officeDocument", "word/document.xml", False)]
        if self.core:
            parts["docProps/core.xml"] = _core(self.core)
            types["/docProps/core.xml"] = "application/vnd.openxmlformats-package.core-properties+xml"
            package_rels.append(("http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                                 "docProps/core.xml", False))
        if self.app:
            fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in self.app.items())
            parts["docProps/app.xml"] = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                                         f'extended-properties">{fields}</Properties>')
            types["/docProps/app.xml"] = "application/vnd.openxmlformats-officedocument.extended-properties+xml"
            package_rels.append((REL + "extended-properties", "docProps/app.xml", False))
        if self.custom:
            props = "".join(f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="{i}" name={quoteattr(k)}>'
                            f"<vt:lpwstr>{escape(v)}</vt:lpwstr></property>" for i, (k, v) in enumerate(self.custom.items(), start=2))
            parts["docProps/custom.xml"] = ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
                                            'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
                                            f'2006/docPropsVTypes">{props}</Properties>')
            types["/docProps/custom.xml"] = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
            package_rels.append((REL + "custom-properties", "docProps/custom.xml", False))
        if self.label_info is not None:
            parts["docMetadata/LabelInfo.xml"] = self.label_info
            types["/docMetadata/LabelInfo.xml"] = "application/vnd.ms-office.classificationlabels+xml"
            package_rels.append(("http://schemas.microsoft.com/office/2020/02/relationships/classificationlabels",
                                 "docMetadata/LabelInfo.xml", False))
        parts["_rels/.rels"] = _rels(package_rels)
        parts.update(self.extra_parts)
        types.update(self.extra_content_types)
        overrides = "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in types.items())
        parts["[Content_Types].xml"] = (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>')
        return zip_parts(parts)


def zip_parts(parts: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in ["[Content_Types].xml"] + [n for n in parts if n != "[Content_Types].xml"]:
            if name in parts:
                data = parts[name]
                archive.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buffer.getvalue()


def _rels(rels: list[tuple[str, str, bool]]) -> str:
    items = "".join(f'<Relationship Id="rId{i}" Type="{kind}" Target={quoteattr(target)}'
                    + (' TargetMode="External"' if external else "") + "/>"
                    for i, (kind, target, external) in enumerate(rels, start=1))
    return f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{items}</Relationships>'


def _core(values: dict[str, str]) -> str:
    fields = "".join(f"<{k}>{escape(v)}</{k}>" for k, v in values.items())
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">'
            f"{fields}</cp:coreProperties>")


# -- a chapter that meets the default call --------------------------------------------------------------

WORDS = ("security cooperation partner capability acquisition policy transfer defense industrial base "
         "implementation agency program requirement process review authority strategy alliance "
         "interoperability procurement sustainment training assessment congress notification").split()
SURNAMES = ["Adams", "Baker", "Carter", "Dawson", "Ellis", "Fischer", "Garcia", "Hughes", "Ingram", "Jensen",
            "Kaplan", "Lopez", "Moreno", "Nakamura", "Owens", "Patel", "Quinn", "Reyes", "Schmidt", "Turner",
            "Underwood", "Vargas", "Walsh", "Xu", "Young", "Zimmerman"]
TITLE_WORDS = ["Arms", "Sales", "Alliances", "Influence", "Markets", "Power", "Partners", "Security", "Diplomacy",
               "Industry", "Strategy", "Reform", "Transfers", "Leverage", "Capacity", "Trust"]


@dataclass(frozen=True)
class Source:
    surname: str
    given: str
    short_title: str
    subtitle: str
    year: int

    def entry(self) -> str:
        return (f"{self.surname}, {self.given}. {self.short_title}: {self.subtitle}. "
                f"Washington, DC: Georgetown University Press, {self.year}.")

    def short_note(self, page: int) -> str:
        return f"{self.surname}, {self.short_title}, {page}."


def sources(count: int, seed: int = 7) -> list[Source]:
    """``count`` distinct books, sorted as a bibliography must be."""
    rng = random.Random(seed)
    found, seen = [], set()
    while len(found) < count:
        surname = rng.choice(SURNAMES) + ("" if len(found) < len(SURNAMES) else rng.choice(["son", "ley", "er", "ton"]))
        title = " ".join(rng.sample(TITLE_WORDS, rng.randint(2, 3)))
        if (surname, title) in seen:
            continue
        seen.add((surname, title))
        found.append(Source(surname, rng.choice(["Ann", "Ben", "Clara", "David", "Eva"]), title,
                            "Security Cooperation in Practice", rng.randint(1990, 2023)))
    return sorted(found, key=lambda s: (s.surname, s.short_title))


def prose(words: int, rng: random.Random) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def compliant_chapter(body_words: int = 4600, notes: int = 12, entries: int = 6, seed: int = 1,
                      factory: DocxFactory | None = None, paragraph_words: int = 150) -> DocxFactory:
    """A chapter meeting the default call: every note a shortened citation of a bibliography entry."""
    rng = random.Random(seed)
    chapter = factory or DocxFactory()
    cited = sources(entries)
    chapter.add("Arms Transfers and Partnership", style="Heading1")
    paragraphs = max(1, body_words // paragraph_words)
    for number in range(paragraphs):
        parts = [prose(paragraph_words, rng)]
        for _ in range(notes // paragraphs + (1 if number < notes % paragraphs else 0)):
            source = cited[len(chapter.footnotes) % len(cited)]
            parts += [chapter.footnote(source.short_note(rng.randint(1, 300))), " " + prose(3, rng)]
        chapter.add(*parts)
    chapter.add("Bibliography", style="Heading1")
    for source in cited:
        chapter.add(source.entry(), style="Bibliography")
    return chapter
