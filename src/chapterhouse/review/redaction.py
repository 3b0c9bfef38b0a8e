"""The authors taken out of a Word attachment's own text, for double-blind review.

The reviewers' copy (:mod:`chapterhouse.review.blind_copy`) carries none of the author's package, but the
outline itself may say who wrote it ("Jordan Ellis, Example University, jordan.ellis@example.edu"). Every
author's name, surname, e-mail address, user name and affiliation
(:func:`~chapterhouse.screening.identities.identity_pattern`) is replaced by "[author]" in each paragraph the
copy carries (body, headings, tables, captions, text boxes, notes). Word cuts text into runs wherever editing
left a mark, so each paragraph's text is searched whole and a name is replaced across the runs it spans.
Plain Python; no Django.
"""

from __future__ import annotations

import re

PLACEHOLDER = "[author]"


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
