"""security: classification and CUI markings anywhere in the file; any hit is an error.

Uses the same scanner as proposal intake (:mod:`chapterhouse.screening.markings`) on every piece of text the
file carries: body, notes, headers and footers, comments, text boxes, deleted and hidden text, field codes,
document properties, custom XML, document variables, alt text, and sensitivity labels. Plain Python; no Django.
"""

from __future__ import annotations

from chapterhouse.manuscripts.findings import Issue, rule
from chapterhouse.ooxml.document import Location
from chapterhouse.screening.markings import scan, scan_sensitivity_label

MARKING_HINT = ("The call takes only unclassified material without CUI. Remove the marked material; a writer "
                "discussing markings should spell them out in ordinary case (“not releasable to foreign nationals”).")


@rule("security.marking")
def markings(context):
    places: dict[str, Location] = {}
    blocks = []
    for block, location in context.document.located_text():
        places.setdefault(block.location, location)
        blocks.append(block)
    for hit in scan(blocks):
        where = places.get(hit.location) or places.get(hit.location.rsplit(", line ", 1)[0])
        location = Location(where.part, where.paragraph, where.note, hit.excerpt) if where else Location(hit.location, excerpt=hit.excerpt)
        yield Issue("error", f"Marking “{hit.marking}” ({hit.description}) in {hit.location}.", location, MARKING_HINT)


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
