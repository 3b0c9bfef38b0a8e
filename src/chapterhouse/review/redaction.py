"""The authors taken out of a Word attachment's own text, for double-blind review.

Stripping the file's properties (:mod:`chapterhouse.review.visibility`) is not enough when the outline itself
says who wrote it ("Jordan Ellis, Example University, jordan.ellis@example.edu"). Here every author's name,
surname, e-mail address and affiliation (:func:`~chapterhouse.screening.identities.identity_pattern`) is
replaced by "[author]" wherever the reviewer could read it: body,
notes, headers, footers, comments, tracked deletions, field codes and link targets. Word cuts text into runs
wherever editing left a mark, so each paragraph's text is searched whole and a name is replaced across the
runs it spans. Plain Python; no Django.
"""

from __future__ import annotations

import re

from lxml import etree

PLACEHOLDER = "[author]"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
P, TEXTS = f"{{{W}}}p", (f"{{{W}}}t", f"{{{W}}}delText", f"{{{W}}}instrText")
TEXT_PART = re.compile(r"^word/(document|footnotes|endnotes|comments|header\d*|footer\d*)\.xml$")
RELATIONSHIPS_PART = re.compile(r"^word/_rels/[^/]+\.rels$")


def redact_texts(texts: list[str], pattern: re.Pattern) -> list[str] | None:
    """The texts of one paragraph's runs with every match of ``pattern`` in their joined text replaced (the
    placeholder goes where a match starts, the rest of the match is cut from the runs it spans); None when
    nothing matched."""
    whole = "".join(texts)
    spans = [match.span() for match in pattern.finditer(whole) if match.end() > match.start()]
    if not spans:
        return None
    redacted, start = [], 0
    for text in texts:
        end = start + len(text)
        pieces, cursor = [], start
        for first, last in spans:
            if last <= start or first >= end:
                continue
            pieces.append(whole[cursor:max(first, start)])
            if first >= start:
                pieces.append(PLACEHOLDER)
            cursor = min(last, end)
        pieces.append(whole[cursor:end])
        redacted.append("".join(pieces))
        start = end
    return redacted


def redact_paragraphs(root: etree._Element, pattern: re.Pattern) -> int:
    """Redacts the text of every paragraph under ``root`` in place; how many paragraphs changed."""
    changed = 0
    for paragraph in root.iter(P):
        nodes = [node for node in paragraph.iter(*TEXTS) if next(node.iterancestors(P), None) is paragraph]
        redacted = redact_texts([node.text or "" for node in nodes], pattern)
        if redacted is not None:
            changed += 1
            for node, text in zip(nodes, redacted):
                node.text = text
    return changed


def redact_targets(root: etree._Element, pattern: re.Pattern) -> None:
    """Relationship targets (a mailto: link to the author) with the author's address replaced, in place."""
    for relationship in root:
        target = relationship.get("Target")
        if target and pattern.search(target):
            relationship.set("Target", pattern.sub("author", target))
