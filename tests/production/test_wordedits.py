"""Production's own edits to a Word file: a copyedit's tracked changes accepted and queries removed, and a proof
correction applied; the checker reads each result back."""

import pytest

from chapterhouse.call.schema import load_call
from chapterhouse.manuscripts.checker import check
from chapterhouse.manuscripts.diff import diff_files
from chapterhouse.production.wordedits import EditFailed, accept_all, replace_text
from tests.clearance.conftest import CLEARED_SENTENCE, chapter_file
from tests.conftest import DEFAULT_CALL
from tests.production.volume_factory import add_comment, add_tracked_changes

RULES = load_call(DEFAULT_CALL)


def copyedited(tmp_path) -> bytes:
    path = tmp_path / "copyedit.docx"
    path.write_bytes(chapter_file())
    add_tracked_changes(path)
    add_comment(path, "AU: is “forty” right?")
    return path.read_bytes()


def test_accepting_a_copyedit_keeps_insertions_drops_deletions_and_queries(tmp_path):
    edited = copyedited(tmp_path)
    rules = {f["rule"] for f in check(edited, RULES, filename="c.docx").as_dict()["findings"]}
    assert {"sanitization.tracked-changes", "sanitization.comments"} <= rules
    clean = accept_all(edited)
    report = check(clean, RULES, filename="c.docx").as_dict()
    assert report["passed"], report["findings"]
    text = " ".join(seg.text for story in diff_files(chapter_file(), clean).stories()
                    for p in story.paragraphs for seg in p.segments if seg.kind == "insert")
    assert "newly inserted words" in text and "taken out" not in text and "AU:" not in text


def test_a_correction_replaces_its_text_once():
    fixed = replace_text(chapter_file(), "forty aircraft", "forty-two aircraft")
    changes = [(s.kind, s.text) for story in diff_files(chapter_file(), fixed).stories()
               for p in story.paragraphs for s in p.segments if s.kind != "equal"]
    assert changes == [("delete", "forty"), ("insert", "forty-two")]


def test_a_correction_that_is_missing_or_ambiguous_is_refused_with_the_reason():
    with pytest.raises(EditFailed, match="is not in the chapter"):
        replace_text(chapter_file(), "fifty aircraft", "sixty aircraft")
    with pytest.raises(EditFailed, match="occurs 2 times"):
        replace_text(chapter_file(extra=CLEARED_SENTENCE), "forty aircraft", "several aircraft")
