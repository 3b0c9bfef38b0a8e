"""Screening a proposal's attachment reads every piece of its text but not who changed what: the tracked-change
records (and the 16 ms their sweep of styles.xml cost) are for the manuscript checker, not for intake."""

from chapterhouse.ooxml.reader import read_manuscript
from chapterhouse.proposals.attachments import inspect_attachment
from tests.docx_factory import DocxFactory, run

DELETED = '<w:del w:id="1" w:author="Jordan Ellis" w:date="2024-01-01T00:00:00Z">' + run("SECRET//NOFORN", tag="delText") + "</w:del>"
INSERTED = '<w:ins w:id="2" w:author="Jordan Ellis" w:date="2024-01-01T00:00:00Z">' + run("An added sentence.") + "</w:ins>"


def tracked_file() -> bytes:
    return DocxFactory().add("The outline of the chapter.", DELETED, INSERTED).build()


def test_screening_skips_the_revision_records_but_keeps_every_text():
    data = tracked_file()
    full, text_only = read_manuscript(data), read_manuscript(data, revisions=False)
    assert len(full.revisions) == 2 and text_only.revisions == []
    assert list(full.text_blocks()) == list(text_only.text_blocks())


def test_a_marking_in_deleted_text_is_still_found_at_intake():
    inspected = inspect_attachment("outline.docx", tracked_file(), ["docx", "pdf"], 10 * 1024 * 1024)
    deleted = [b for b in inspected.blocks if "SECRET//NOFORN" in b.text]
    assert deleted and "deleted text" in deleted[0].location
