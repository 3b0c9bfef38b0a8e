"""What double-blind reviewers will read of a proposal, and where it still names an author: told to the editor.

Reviewers read the title, the abstract, the keywords and the attachment's reviewers' copy: the new file
:func:`~chapterhouse.review.blind_copy.reviewer_copy` writes. The copy is built here exactly as the reviewer's
download builds it and scanned with the same identity pattern, so the editor is told what it will carry
rather than what it was hoped to carry. Plain Python; no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from chapterhouse.ooxml.formats import WordFile
from chapterhouse.review.blind_copy import CopyNotWritten, reviewer_copy
from chapterhouse.screening.identities import identity_pattern, places_naming
from chapterhouse.screening.markings import TextBlock

COPY_LABEL = "the reviewers' copy of the attachment"


@dataclass(frozen=True)
class Anonymity:
    places: tuple[str, ...]  # where what reviewers read names an author, with the words around it
    copy_note: str  # what the reviewers' copy of the attachment is, computed from it ("" without an attachment)
    copy_failed: bool = False

    @property
    def flagged(self) -> bool:
        return bool(self.places) or self.copy_failed

    def summary(self) -> str:
        if self.places:
            said = "Names an author where reviewers will read it: " + "; ".join(self.places) + "."
        elif self.copy_failed:
            said = "The title, abstract and keywords name no author."
        else:
            said = "Nothing reviewers read names an author."
        advice = " Before review, ask the author for an anonymised version." if self.flagged else ""
        return " ".join(filter(None, (said, self.copy_note))) + advice


def reviewers_reading(fields: Mapping[str, str], authors: Sequence[Mapping[str, str]], attachment_kind: str = "",
                      attachment_bytes: bytes | None = None, opened: WordFile | None = None) -> Anonymity:
    """Where the shown fields (label → text) and the attachment's reviewers' copy name one of ``authors``.

    ``opened``: a Word attachment as screening opened and parsed it, read again rather than opened again."""
    pattern = identity_pattern([a.get("name", "") for a in authors], [a.get("email", "") for a in authors],
                               [a.get("affiliation", "") for a in authors])
    blocks = [TextBlock(text, label) for label, text in fields.items() if text and text.strip()]
    if attachment_bytes is None:
        return Anonymity(tuple(places_naming(blocks, pattern)), "")
    try:
        copy = reviewer_copy(attachment_kind, attachment_bytes, pattern, opened)
    except CopyNotWritten as error:
        return Anonymity(tuple(places_naming(blocks, pattern)),
                         f"Reviewers will get no attachment: {error}.", copy_failed=True)
    blocks += [TextBlock(passage.text, f"{COPY_LABEL}, {passage.location}") for passage in copy.passages]
    return Anonymity(tuple(places_naming(blocks, pattern)), _copy_note(attachment_kind, copy))


def _copy_note(kind: str, copy) -> str:
    if kind == "pdf":
        return ("Reviewers get a new PDF holding the attachment's pages only (no properties, metadata, "
                "annotations, attached files or form fields); what the pages say reaches them unchanged.")
    replaced = copy.replaced
    note = ("Reviewers get a new Word file written from the attachment's text, notes, tables and pictures, without "
            "its properties, comments, tracked changes, headers, footers or hidden parts; "
            + (f"{replaced} passage{'s' if replaced != 1 else ''} in it {'have' if replaced != 1 else 'has'} an "
               "author replaced by “[author]”." if replaced else "no passage in it needed an author replaced."))
    if copy.left_out:
        note += " Not carried into it: " + "; ".join(copy.left_out[:3]) + "."
    return note
