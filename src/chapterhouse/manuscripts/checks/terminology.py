"""terminology: the call's preferred terms ("FMS case" → "security cooperation case"), with locations.

Words inside quotation marks, block quotations and the bibliography are left alone: a quotation or a cited
title must keep the words it has. Plurals count ("FMS cases"). Plain Python; no Django.
"""

from __future__ import annotations

import re

from chapterhouse.manuscripts.findings import Issue, rule

QUOTATIONS = re.compile(r"“[^”]*”|\"[^\"]*\"")
SKIPPED_ROLES = {"block_quote", "bibliography"}


def term_pattern(avoid: str) -> re.Pattern:
    words = r"\s+".join(re.escape(word) for word in avoid.split())
    return re.compile(rf"(?<!\w){words}(?:e?s)?(?!\w)", re.IGNORECASE)


def _running_text(document):
    yield from (p for p in document.paragraphs if p.role not in SKIPPED_ROLES)
    yield from (p for note in document.notes for p in note.paragraphs)
    yield from document.text_boxes


@rule("terminology.preferred-term")
def preferred_terms(context):
    paragraphs = list(_running_text(context.document))
    everything = "\n".join(paragraph.text for paragraph in paragraphs).casefold()
    # A term whose first word is nowhere in the text cannot match: a substring search in C per term, instead of
    # a case-blind regular expression over every paragraph, for the usual chapter that uses none of them.
    patterns = [(term, term_pattern(term.avoid)) for term in context.rules.terminology
                if term.avoid.split() and term.avoid.split()[0].casefold() in everything]
    if not patterns:
        return
    any_term = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in patterns), re.IGNORECASE)
    for paragraph in paragraphs:
        if not any_term.search(paragraph.text):  # one search instead of one per term, for the many clean paragraphs
            continue
        quoted = [match.span() for match in QUOTATIONS.finditer(paragraph.text)]
        for term, pattern in patterns:
            for match in pattern.finditer(paragraph.text):
                if any(start <= match.start() < end for start, end in quoted):
                    continue
                around = paragraph.text[max(0, match.start() - 25): match.end() + 25]
                yield Issue("warning", f"“{match.group(0)}”: this volume uses “{term.prefer}”.",
                            paragraph.location.with_excerpt(around),
                            term.note or f"Write “{term.prefer}” instead.")
