"""sanitization: what must not travel with a final manuscript to security and policy review.

Tracked changes, comments, hidden text, personal metadata (author, last modified by, company, manager),
external links to templates or files, embedded OLE objects, ActiveX controls, altChunk imports and macros.
How serious each is comes from the call file (``[manuscript.sanitization]``; "off" to not report it).
Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from chapterhouse.manuscripts.findings import Issue, Rule, places
from chapterhouse.ooxml import namespaces as ns
from chapterhouse.ooxml.document import Location

INSPECT = "In Word: File → Info → Check for Issues → Inspect Document, then remove what it finds."
WEB_SCHEMES = ("http://", "https://", "mailto:", "ftp://", "#")
FILE_FIELDS = {"INCLUDETEXT", "INCLUDEPICTURE", "INCLUDE", "LINK", "DDE", "DDEAUTO", "RD"}
# A finding's facts: (message, locations); the rule adds severity and hint.
Found = tuple[str, list[Location]]


def tracked_changes(document) -> Iterable[Found]:
    if document.revisions:
        authors = sorted({r.author for r in document.revisions if r.author})
        by = f" by {', '.join(authors)}" if authors else ""
        yield f"{len(document.revisions)} tracked change(s){by}", [r.location for r in document.revisions]


def comments(document) -> Iterable[Found]:
    if document.comments:
        authors = sorted({c.author for c in document.comments if c.author})
        by = f" by {', '.join(authors)}" if authors else ""
        yield f"{len(document.comments)} comment(s){by}", [c.location for c in document.comments]


def hidden_text(document) -> Iterable[Found]:
    hidden = [p.location.with_excerpt(p.hidden) for p in document.all_paragraphs() if p.hidden.strip()]
    if hidden:
        yield f"Hidden text in {len(hidden)} paragraph(s)", hidden


def personal_metadata(document) -> Iterable[Found]:
    personal = document.properties.personal()
    if personal:
        shown = "; ".join(f"{label}: {prop.value}" for label, prop in personal)
        yield f"Personal information in the document properties ({shown})", [
            Location(prop.label, excerpt=prop.value) for _, prop in personal]


def external_links(document) -> Iterable[Found]:
    links = []
    for source, rel in document.relationships:
        if rel.type == ns.REL_ATTACHED_TEMPLATE:
            links.append(Location(f"attached template in {source}", excerpt=rel.target))
        elif rel.external and not (rel.type == ns.REL_HYPERLINK and rel.target.lower().startswith(WEB_SCHEMES)):
            kind = "link to a file" if rel.type == ns.REL_HYPERLINK else f"linked {rel.type.rsplit('/', 1)[-1]}"
            links.append(Location(f"{kind} in {source}", excerpt=rel.target))
    links += [field.location.with_excerpt(field.code) for field in document.fields if field.name in FILE_FIELDS]
    if links:
        yield f"{len(links)} link(s) to a template or to files outside the document", links


def _embedded(kind: str, label: str) -> Callable:
    def find(document) -> Iterable[Found]:
        things = {(t.detail, t.location.place): t for t in document.embedded if t.kind == kind}
        if things:
            yield f"{len(things)} {label}", [t.location.with_excerpt(t.detail) if t.detail else t.location
                                             for t in things.values()]
    return find


def _rule(key: str, finder: Callable[..., Iterable[Found]], hint: str) -> Rule:
    def run(context):
        severity = getattr(context.manuscript_rules.sanitization, key)
        for message, locations in finder(context.document):
            yield Issue(severity, f"{message}: {places(locations)}.", locations[0] if locations else None, hint)
    return Rule(f"sanitization.{key.replace('_', '-')}", "sanitization", run)


SANITIZATION_RULES = [
    _rule("tracked_changes", tracked_changes, "In Word: Review → Accept → Accept All Changes (and Stop Tracking), then save."),
    _rule("comments", comments, "In Word: Review → Delete → Delete All Comments in Document, then save."),
    _rule("hidden_text", hidden_text, "Show it with Home → ¶, then delete it or clear Font → Hidden. " + INSPECT),
    _rule("personal_metadata", personal_metadata, "In Word: File → Info → Check for Issues → Inspect Document → "
          "Document Properties and Personal Information → Remove All."),
    _rule("external_links", external_links, "Remove links to templates and files: Developer → Document Template → "
          "attach Normal; Edit Links to Files → Break Link; replace INCLUDE fields with their text."),
    _rule("embedded_objects", _embedded("ole", "embedded or linked OLE object(s)"),
          "Replace each embedded object with a picture of it (copy, Paste Special → Picture)."),
    _rule("activex", _embedded("activex", "ActiveX control(s)"), "Delete the controls. " + INSPECT),
    _rule("alt_chunks", _embedded("alt-chunk", "imported altChunk part(s)"),
          "Open the file in Word and save it again, which merges imported parts into the document."),
    _rule("macros", _embedded("macros", "macro project(s)"), "Save as Word Document (.docx), which removes macros."),
]
