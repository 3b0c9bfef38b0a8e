"""Screens a proposal before anything of it is stored: markings refuse it, scope and theme fit advise.

The marking scanner's one rule applies here as in the manuscript checker: a marking in marking position refuses
the proposal; a doubtful hit (a marking word discussed in a sentence, a statement that the work holds CUI), which
the checker reports as a warning, does not refuse it but is shown to the editors.

Plain Python over the call definition and the submitted text, so the same screening runs from the form,
from tests and from the command line.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chapterhouse.call.schema import CallDefinition
from chapterhouse.proposals.anonymity import Anonymity, reviewers_reading
from chapterhouse.proposals.attachments import InspectedAttachment
from chapterhouse.screening.markings import MarkingHit, TextBlock, certain, doubtful, scan
from chapterhouse.screening.scope import ScopeFlag, screen_scope
from chapterhouse.screening.theme_fit import ThemeFit, rank_themes, theme_document


@dataclass(frozen=True)
class IntakeScreening:
    marking_hits: tuple[MarkingHit, ...]
    scope_flags: tuple[ScopeFlag, ...]
    theme_fit: ThemeFit
    places_scanned: int
    # Under double-blind review: where the title, abstract, keywords or the attachment's reviewers' copy name an
    # author (None when the call's review is not double-blind, so there is nothing to look for).
    anonymity: Anonymity | None = None

    @property
    def refusing_hits(self) -> list[MarkingHit]:
        """Markings in marking position: the proposal is refused and nothing of it stored."""
        return certain(self.marking_hits)

    @property
    def hits_for_editors(self) -> list[MarkingHit]:
        """Doubtful hits: the proposal is taken, and the editors read each one (the checker's warnings)."""
        return doubtful(self.marking_hits)

    @property
    def refused(self) -> bool:
        return bool(self.refusing_hits)


def submission_blocks(
    fields: Mapping[str, str], authors: Sequence[Mapping[str, str]], attachment: InspectedAttachment | None, attachment_name: str = ""
) -> list[TextBlock]:
    """Every piece of text the submission holds, each named the way the form names it."""
    blocks = [TextBlock(text, label) for label, text in fields.items() if text and text.strip()]
    for number, author in enumerate(authors, start=1):
        for key in ("name", "affiliation", "bio"):
            if author.get(key, "").strip():
                blocks.append(TextBlock(author[key], f"author {number}'s {'biography' if key == 'bio' else key}"))
    if attachment is not None:
        blocks.extend(TextBlock(b.text, f"the attachment “{attachment_name}”, {b.location}") for b in attachment.blocks)
    return blocks


def screen_submission(
    call: CallDefinition,
    *,
    title: str,
    abstract: str,
    keywords: str,
    chosen_theme: str,
    other_fields: Mapping[str, str],
    authors: Sequence[Mapping[str, str]],
    attachment: InspectedAttachment | None = None,
    attachment_name: str = "",
    attachment_bytes: bytes | None = None,
) -> IntakeScreening:
    fields = {"the title": title, "the abstract": abstract, "the keywords": keywords, **other_fields}
    blocks = submission_blocks(fields, authors, attachment, attachment_name)
    hits = scan(blocks)
    if attachment is not None:
        hits.extend(attachment.label_hits)
    # Scope and theme fit read what the author wrote for the call, not the attachment: a long paper mentions
    # everything somewhere, and the abstract is where a proposal says what it centres on.
    flags = screen_scope(title, "\n".join([abstract, keywords]), [(e.topic, e.terms) for e in call.scope.excluded])
    themes = [(t.slug, t.name, theme_document(t.name, t.introduction, t.questions)) for t in call.themes]
    fit = rank_themes(themes, " ".join([title, title, abstract, keywords]), chosen_theme)
    anonymity = None
    if call.review.double_blind:
        shown = {"the title": title, "the abstract": abstract, "the keywords": keywords}
        anonymity = reviewers_reading(shown, authors, attachment.kind if attachment else "",
                                      attachment_bytes if attachment is not None else None,
                                      attachment.word if attachment is not None else None)
    return IntakeScreening(tuple(hits), tuple(flags), fit, len(blocks), anonymity)


REFUSED_PROPOSAL = "Your proposal was not accepted and nothing of it was saved"


def markings_refusal_message(hits: Sequence[MarkingHit], limit: int = 8, opening: str = REFUSED_PROPOSAL) -> str:
    listed = "; ".join(hit.message() for hit in hits[:limit])
    more = f"; and {len(hits) - limit} more" if len(hits) > limit else ""
    return (
        f"{opening}: it appears to contain classification or "
        f"CUI markings — {listed}{more}. This call takes only unclassified material with no controlled "
        "unclassified information. Remove the marked material, or if you were writing about a marking rather "
        "than marking your text, spell it out in ordinary words, then submit again."
    )
