"""security: classification and CUI markings anywhere in the file.

Uses the same scanner as proposal intake (:mod:`chapterhouse.screening.markings`) on every piece of text the
file carries: body, notes, headers and footers, watermarks and WordArt, comments, text boxes, deleted and hidden
text, field codes, document properties, custom XML, document variables, alt text of pictures and tables,
SmartArt, charts, the text of embedded Office files, and sensitivity labels. An embedded file that cannot be
opened within the limits is an error too (``security.unscreened-embedding``). Plain Python; no Django.

A marking in marking position is an error (``security.marking``). A doubtful hit is a warning
(``security.marking-in-prose``) that names it and says why it was not counted: a marking word or a whole marking
inside a running sentence ("DoD Instruction 5200.48 retired the FOUO marking", "A banner line such as
SECRET//NOFORN appears at the top of every page"), a line that is only a marking in mixed case, a statement that
the work holds CUI, a "CUI:" label opening a paragraph or note, or a lone "(C)" in a document that marks no other
portion. The rule is the scanner's (:mod:`chapterhouse.screening.markings`), the same at proposal intake, where an
error refuses and a warning is shown to the editors: a chapter on this subject discusses CUI, FOUO and
classification levels.
"""

from __future__ import annotations

from chapterhouse.manuscripts.findings import Issue, rule
from chapterhouse.ooxml.document import Location
from chapterhouse.screening.markings import MarkingHit, scan, scan_sensitivity_label

MARKING_HINT = ("The call takes only unclassified material without CUI. Remove the marked material; a writer "
                "discussing markings should spell them out in ordinary case (“not releasable to foreign nationals”).")


PROSE_HINT = ("Nothing to do if the passage discusses the marking. If it marks material, remove that material: "
               "the call takes only unclassified material without CUI.")


def _located_hits(context) -> list[tuple[MarkingHit, Location]]:
    """Every hit of the scanner over the whole file, with the place it was found (computed once per check)."""
    def scan_all(context) -> list[tuple[MarkingHit, Location]]:
        places: dict[str, Location] = {}
        blocks = []
        for block, location in context.document.located_text():
            places.setdefault(block.location, location)
            blocks.append(block)
        located = []
        for hit in scan(blocks):
            where = places.get(hit.location) or places.get(hit.location.rsplit(", line ", 1)[0])
            located.append((hit, Location(where.part, where.paragraph, where.note, hit.excerpt) if where
                            else Location(hit.location, excerpt=hit.excerpt)))
        return located
    return context.once("marking-hits", scan_all)


@rule("security.marking")
def markings(context):
    for hit, location in _located_hits(context):
        if not hit.doubt:
            yield Issue("error", f"Marking “{hit.marking}” ({hit.description}) in {hit.location}.", location, MARKING_HINT)


@rule("security.marking-in-prose")
def markings_in_prose(context):
    for hit, location in _located_hits(context):
        if hit.doubt:
            yield Issue("warning", f"“{hit.marking}” ({hit.description}) in {hit.location} was not counted as a "
                        f"marking: {hit.doubt}.", location, PROSE_HINT)


@rule("security.sensitivity-label")
def sensitivity_labels(context):
    for label in context.document.properties.labels:
        if label.name:
            for hit in scan_sensitivity_label(label.name, label.where):
                yield Issue("error", f"The file carries the sensitivity label “{hit.marking}”.", Location(label.where),
                            "In Word: Home → Sensitivity → choose a public label or remove the label, then save.")
        elif label.enabled:
            yield Issue("warning", f"The file carries a sensitivity label (id {label.id}) whose name it does not record.",
                        Location(label.where), "In Word: Home → Sensitivity shows the label; the chapter must carry no "
                        "classification or CUI label.")


@rule("security.unscreened-embedding")
def unscreened_embeddings(context):
    """An embedded Office file that could not be opened within the limits cannot be shown to be free of markings."""
    for part, why in context.document.unscreened:
        yield Issue("error", f"The embedded file {part} could not be screened for markings: {why}.",
                    Location(f"package part {part}"), "Remove the embedded file, or replace it with a picture of what "
                    "it shows (copy it, then Paste Special → Picture).")
