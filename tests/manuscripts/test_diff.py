"""The word-level diff of two chapter versions: body paragraph by paragraph, notes matched by number."""

import json
import subprocess
import sys

import pytest

from chapterhouse.manuscripts.diff import DELETE, EQUAL, INSERT, Segment, diff_files, diff_words
from chapterhouse.chapters.sample import chapter_markdown, edit, to_docx
from tests.fixtures.files import word_file


@pytest.fixture(scope="module")
def versions(tmp_path_factory):
    folder = tmp_path_factory.mktemp("versions")
    markdown = chapter_markdown(words=900, notes=3)
    old, new = folder / "v1.docx", folder / "v2.docx"
    old.write_bytes(to_docx(markdown))
    new.write_bytes(to_docx(edit(markdown)))
    return old, new


def test_words_marked_in_reading_order():
    assert diff_words("the case process was slow", "the new case process is slow") == [
        Segment(EQUAL, "the"), Segment(INSERT, "new"), Segment(EQUAL, "case process"),
        Segment(DELETE, "was"), Segment(INSERT, "is"), Segment(EQUAL, "slow")]


def test_the_same_file_has_no_differences(versions):
    old, _ = versions
    result = diff_files(old, old)
    assert not result.changed and result.words(INSERT) == result.words(DELETE) == 0


def test_a_revision_shows_the_rewritten_sentence_the_new_paragraph_and_the_changed_note(versions):
    old, new = versions
    result = diff_files(old, new)
    changed = [p for p in result.body.paragraphs if p.changed]
    rewritten, added = changed[0], changed[1]
    assert rewritten.kind == "changed" and Segment(INSERT, "Revised opening") in rewritten.segments
    assert rewritten.segments[0].kind == DELETE  # the old first word
    assert added.kind == INSERT and added.old is None
    assert added.segments == [Segment(INSERT, "This paragraph is new in the revision and says what the case process changed.")]
    assert len(changed) == 2  # paragraphs after the insertion are matched, not shown as changed
    notes = {story.label: story for story in result.notes}
    assert set(notes) == {"footnote 1", "footnote 2", "footnote 3"}
    assert notes["footnote 2"].changed and not notes["footnote 1"].changed and not notes["footnote 3"].changed
    note_segments = notes["footnote 2"].paragraphs[0].segments
    assert Segment(DELETE, "12.") in note_segments and Segment(INSERT, "99, as revised.") in note_segments


def test_a_note_only_one_version_has_is_added_or_removed(tmp_path):
    old, new = tmp_path / "a.docx", tmp_path / "b.docx"
    markdown = chapter_markdown(words=500, notes=2)
    old.write_bytes(to_docx(markdown))
    new.write_bytes(to_docx(markdown.replace(".[^2]", ".").split("[^2]:")[0]))
    result = diff_files(old, new)
    notes = {story.label: story.status for story in result.notes}
    assert notes == {"footnote 1": "unchanged", "footnote 2": "removed"}
    assert diff_files(new, old).notes[1].status == "added"


def test_cli_prints_the_changes_and_exits_1(versions):
    old, new = versions
    result = subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", "diff", str(old), str(new)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "{+Revised opening+}" in result.stdout and "@ footnote 2, paragraph 1" in result.stdout
    assert "{+This paragraph is new in the revision" in result.stdout


def test_cli_json_and_same_file(versions):
    old, new = versions
    same = subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", "diff", str(old), str(old)],
                          capture_output=True, text=True, timeout=120)
    assert same.returncode == 0 and "No differences" in same.stdout
    out = subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", "diff", "--json", str(old), str(new)],
                         capture_output=True, text=True, timeout=120)
    data = json.loads(out.stdout)
    assert data["words"]["inserted"] > 10 and [s["part"] for s in data["stories"]] == ["body", "footnote"]


def test_cli_names_an_unreadable_file_and_exits_2(tmp_path, versions):
    bad = tmp_path / "notes.pdf"
    bad.write_bytes(b"%PDF-1.7\n")
    result = subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", "diff", str(versions[0]), str(bad)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "notes.pdf is a PDF" in result.stderr and "Traceback" not in result.stderr


def test_plain_word_files_without_notes(tmp_path):
    old, new = tmp_path / "a.docx", tmp_path / "b.docx"
    old.write_bytes(word_file("One paragraph.", "Two paragraph."))
    new.write_bytes(word_file("One paragraph.", "Three paragraph.", "Four."))
    result = diff_files(old, new)
    assert result.notes == [] and result.words(INSERT) >= 2
