"""Footnote placement: every note must start on the page of its reference. Checked after each compile by
asking Typst where each note's reference and entry ended up, then fixed paragraph by paragraph.

Typst keeps a note with its reference in a plain paragraph, but not always: a note inside a box lands where the
box ends (issue 2449; block quotations are therefore set as paragraphs, see ``typst_text.py``), widow and
orphan control can push the reference line over after its note was placed (issue 5314), and a second note in
one line may not fit (issue 5405). For each misplaced note the paragraph holding its reference gets the next
fix on a ladder (let the paragraph break without widow/orphan control, tighten it, loosen it) and the unit is
compiled again; notes still misplaced after the ladder are reported as errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

# One row per note entry: the note's number, the page of its reference, the page where its entry starts.
PLACEMENT_QUERY = ("query(footnote.entry).map(e => (counter(footnote).at(e.note.location()).first(), "
                   "e.note.location().page(), e.location().page()))")
REFERENCE_QUERY = "query(footnote).filter(f => type(f.body) != label).map(f => f.location().page())"

# Which fixes to try, in order, for a note whose entry starts before / after the page of its reference.
LADDER_ENTRY_EARLY = ("free-lines", "tighten", "loosen")
LADDER_ENTRY_LATE = ("tighten", "loosen", "free-lines")
MAX_FIX_PASSES = 4


@dataclass(frozen=True)
class NotePlacement:
    note: int
    reference_page: int
    entry_page: int  # 0 when the entry is missing altogether

    @property
    def direction(self) -> str:
        return "missing" if not self.entry_page else ("early" if self.entry_page < self.reference_page else "late")

    def describe(self) -> str:
        if not self.entry_page:
            return f"note {self.note} (reference on page {self.reference_page}) has no entry"
        return f"note {self.note}: reference on page {self.reference_page}, note starts on page {self.entry_page}"


def note_placements(compiler) -> tuple[int, list[NotePlacement]]:
    """(number of notes, the misplaced ones) for a compiled ``typst.Compiler``; pages count within the unit."""
    rows = json.loads(compiler.eval(PLACEMENT_QUERY, format="json"))
    references = json.loads(compiler.eval(REFERENCE_QUERY, format="json"))
    placed = {number: (ref, entry) for number, ref, entry in rows}
    misplaced = []
    for number, reference_page in enumerate(references, 1):
        ref, entry = placed.get(number, (reference_page, 0))
        if entry != ref:
            misplaced.append(NotePlacement(number, ref, entry))
    return len(references), misplaced


def next_fixes(misplaced: list[NotePlacement], fixes: dict[int, str], tried: dict[int, list[str]]) -> bool:
    """Gives each misplaced note the next fix on its ladder; False when every ladder is used up."""
    changed = False
    for placement in misplaced:
        ladder = LADDER_ENTRY_EARLY if placement.direction == "early" else LADDER_ENTRY_LATE
        history = tried.setdefault(placement.note, [])
        following = next((fix for fix in ladder if fix not in history), None)
        if following:
            history.append(following)
            fixes[placement.note] = following
            changed = True
    return changed
