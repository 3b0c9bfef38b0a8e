"""The suite reads nothing outside the project tree, so a clone of the project alone passes it.

The guard itself lives in tests/project_only.py and is switched on for every test by tests/conftest.py; these
tests show that it is on and that it catches what it must, and (only where ../shared happens to be present)
that the copies kept in the project are the files they were copied from.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CALL_SOURCE, CORPUS, OUTSIDE, PROJECT
from tests.project_only import is_inside

# The folder the guard forbids; read only by the optional, skipped-when-absent comparison at the end.
SHARED = PROJECT.parent / "shared"

def forget_what_this_test_touched(request) -> list[str]:
    return OUTSIDE.take(request.node.nodeid)


def test_opening_a_file_in_shared_beside_the_project_is_caught_even_when_there_is_none(request):
    """../shared is never allowed, even where the clone sits in a temporary folder."""
    wanted = SHARED / "call-for-proposals.md"
    try:
        open(wanted, "rb").close()
    except OSError:
        pass  # a bare clone has no ../shared: the attempt is what counts
    assert forget_what_this_test_touched(request) == [f"open {wanted}"]


def test_listing_a_folder_and_handing_a_program_a_path_outside_are_caught(request):
    try:
        list((SHARED / "corpus").iterdir())
    except OSError:
        pass
    home = Path.home()  # exists, and is neither the project, a temporary folder nor the Python installation
    if is_inside(str(home), OUTSIDE.roots):
        pytest.skip(f"the home folder {home} holds the project or Python here; no outside folder to hand over")
    subprocess.run(["true", str(home)], check=True)
    found = forget_what_this_test_touched(request)
    assert f"os.listdir {SHARED / 'corpus'}" in found
    assert f"subprocess.Popen {home}" in found


def test_the_project_temporary_folders_and_the_python_installation_are_allowed(request, tmp_path):
    (tmp_path / "note.txt").write_text("kept in a temporary folder")
    CALL_SOURCE.read_bytes()
    (PROJECT / "pyproject.toml").read_text()
    open(sys.executable, "rb").close()
    subprocess.run([sys.executable, "-c", "pass"], check=True)
    assert forget_what_this_test_touched(request) == []


def test_the_kept_copies_are_there_without_shared():
    assert "## Timeline and Submissions" in CALL_SOURCE.read_text(encoding="utf-8")
    names = {path.relative_to(CORPUS).as_posix() for path in CORPUS.rglob("*.docx")}
    assert len(names) == 55 and "mammoth/strict-format.docx" in names
    assert "MIT" in (CORPUS / "README.md").read_text() and "BSD-2-Clause" in (CORPUS / "README.md").read_text()


@pytest.mark.outside_project
@pytest.mark.skipif(not SHARED.is_dir(), reason="optional: ../shared is not beside this clone (nothing to compare)")
def test_the_kept_copies_match_shared_byte_for_byte():
    """An optional extra: where ../shared is present (a developer's machine, CI), the copies have not drifted."""
    kept = CALL_SOURCE.read_bytes()
    assert kept.endswith((SHARED / "call-for-proposals.md").read_bytes())

    def digests(root):
        return {path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
                for path in root.rglob("*.docx")}

    assert digests(CORPUS) == digests(SHARED / "corpus")
