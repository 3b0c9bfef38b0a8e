"""The marking scanner: each rule's forms are found, prose passes, and the fast path skips nothing."""

from __future__ import annotations

import pytest

from chapterhouse.screening import markings
from chapterhouse.screening.markings import TextBlock, scan, scan_text

MARKED = {
    "SECRET//NOFORN": "classification-caveat",
    "Text (U//FOUO) here": "portion",
    "U//FOUO": "classification-caveat",
    "TOP SECRET": "banner",
    "Classification: Confidential": "banner",
    "(S) The partner asked for more.": "portion",
    "CUI//SP-CTI": "cui",
    "CONTROLLED UNCLASSIFIED INFORMATION applies": "cui",
    "CUI Category: PRVCY": "cui",
    "Controlled by: Defense Security Cooperation Agency": "cui",
    "Handled NOFORN.": "dissemination",
    "Released REL TO GBR only": "dissemination",
    "Distribution Statement D applies.": "distribution",
    "whose export is restricted by the Arms Export Control Act": "export-control",
    "ITAR-CONTROLLED": "export-control",
    "Derived From: Multiple Sources": "authority-block",
}
PROSE = [
    "a secret of success",
    "the SECRET level",
    "contains no controlled unclassified information (CUI)",
    "the Arms Export Control Act authorizes these sales",
    "(A) first (B) second (C) The third",
    "The program is controlled by the Department of Defense.",
    "Distribution Statement A: approved for public release.",
]


@pytest.mark.parametrize("text", list(MARKED))
def test_each_form_of_marking_is_found(text):
    assert [hit.rule for hit in scan_text(text, "x")] == [MARKED[text]]


@pytest.mark.parametrize("text", PROSE)
def test_ordinary_prose_passes(text):
    assert scan_text(text, "x") == []


@pytest.mark.parametrize("text", list(MARKED))
def test_the_fast_path_lets_every_marking_through(text):
    """Each marking holds a trigger literal, so the prefilter never skips a block that a rule would match."""
    assert any(trigger in text.lower() for trigger in markings._TRIGGERS)


def test_a_list_continuing_into_a_skipped_block_is_still_a_list():
    """The enumerators of blocks the fast path skips still count: (C) after (A), (B) in earlier blocks."""
    blocks = [TextBlock("(A) one", "p1"), TextBlock("(B) two", "p2"), TextBlock("(C) The third", "p3")]
    assert scan(blocks) == []
    assert [hit.location for hit in scan([TextBlock("Intro.", "p1"), TextBlock("(C) The partner", "p2")])] == ["p2"]


def test_a_marking_hidden_by_a_zero_width_joiner_or_full_width_slash_is_found():
    assert scan_text("SECRET\u200d／／NOFORN", "x")
