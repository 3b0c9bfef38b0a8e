"""The suite reads nothing outside the project tree, so a clone of the project alone passes it.

The guard itself lives in tests/project_only.py and is switched on for every test by tests/conftest.py; these
tests show that it is on and that it catches what it must, and that the copies the tests need (the call's
published text, the Word corpus) are kept inside the project.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CALL_SOURCE, CORPUS, OUTSIDE, PROJECT
from tests.project_only import is_inside

# A folder outside the project, the temporary folders and the Python installation, wherever the clone sits.
OUTSIDE_FOLDER = Path("/nowhere-beside-the-project")

def forget_what_this_test_touched(request) -> list[str]:
    return OUTSIDE.take(request.node.nodeid)


def test_opening_a_file_outside_the_project_is_caught_even_when_there_is_none(request):
    wanted = OUTSIDE_FOLDER / "call-for-proposals.md"
    try:
        open(wanted, "rb").close()
    except OSError:
        pass  # the file does not exist: the attempt is what counts
    assert forget_what_this_test_touched(request) == [f"open {wanted}"]


def test_listing_a_folder_and_handing_a_program_a_path_outside_are_caught(request):
    try:
        list((OUTSIDE_FOLDER / "corpus").iterdir())
    except OSError:
        pass
    home = Path.home()  # exists, and is neither the project, a temporary folder nor the Python installation
    if is_inside(str(home), OUTSIDE.roots):
        pytest.skip(f"the home folder {home} holds the project or Python here; no outside folder to hand over")
    subprocess.run(["true", str(home)], check=True)
    found = forget_what_this_test_touched(request)
    assert f"os.listdir {OUTSIDE_FOLDER / 'corpus'}" in found
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
