"""Every rule of the manuscript checker, in the one list the report is built from.

Each category has its module; a rule is a small function (or a Rule made by a module's factory) that reads the
shared :class:`~chapterhouse.manuscripts.context.Context` and yields issues. Plain Python; no Django.
"""

from chapterhouse.manuscripts.checks import citations, format, layout, length, sanitization, security, terminology
from chapterhouse.manuscripts.findings import Rule

RULES: list[Rule] = [
    format.word_document,
    format.damaged_parts,
    length.word_count,
    *layout.SPACING_RULES,
    *layout.FONT_RULES,
    citations.notes_present,
    citations.bibliography_present,
    citations.bibliography_order,
    citations.short_form,
    citations.short_title_length,
    citations.notes_match_entries,
    citations.entries_cited,
    citations.ibid,
    terminology.preferred_terms,
    security.markings,
    security.markings_in_prose,
    security.unscreened_embeddings,
    security.sensitivity_labels,
    *sanitization.SANITIZATION_RULES,
]
