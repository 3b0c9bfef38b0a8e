"""``chapterhouse assign`` and ``chapterhouse select``: exit codes 0/1/2, JSON out, and the schemas kept in the project."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import chapterhouse
from chapterhouse.review import assignment
from chapterhouse.selection import solver

PACKAGE = Path(chapterhouse.__file__).parent

ASSIGN_OK = {"reviewers_per_proposal": 1, "proposals": [{"id": "P1"}], "reviewers": [{"id": "R1", "max_load": 1}]}
SELECT_OK = {"themes": [{"id": "t", "min": 1, "max": 1}], "max_total": 1, "proposals": [{"id": "P1", "theme": "t", "score": 2}]}


def run(tmp_path, command, data, *flags):
    problem = tmp_path / "problem.json"
    problem.write_text(data if isinstance(data, str) else json.dumps(data))
    return subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", command, str(problem), *flags],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("command,data,code", [
    ("assign", ASSIGN_OK, 0),
    ("assign", {**ASSIGN_OK, "reviewers_per_proposal": 2}, 1),
    ("assign", {**ASSIGN_OK, "reviewers": [{"id": "R1", "max_load": "one"}]}, 2),
    ("select", SELECT_OK, 0),
    ("select", {**SELECT_OK, "max_total": 0, "pinned": ["P1"]}, 1),
    ("select", "[1, 2", 2),
])
def test_exit_codes(tmp_path, command, data, code):
    result = run(tmp_path, command, data, "--json")
    assert result.returncode == code, result.stderr
    if code == 2:
        assert "problem(s)" in result.stderr and "Traceback" not in result.stderr
    else:
        out = json.loads(result.stdout)
        assert out["status"] == ("optimal" if code == 0 else "infeasible")


def test_text_output_names_the_problem_path(tmp_path):
    result = run(tmp_path, "assign", {**ASSIGN_OK, "reviewers": [{"id": "R1", "max_load": "one"}]})
    assert "reviewers[0].max_load: must be an integer" in result.stderr
    assert run(tmp_path, "assign", ASSIGN_OK).stdout.startswith("P1: R1")


def test_select_prints_each_shortfall_with_what_would_close_it(tmp_path):
    short = {**SELECT_OK, "themes": [{"id": "t", "name": "Law and Policy", "min": 3, "max": 5}], "max_total": 5}
    result = run(tmp_path, "select", short)
    assert result.returncode == 0, result.stderr
    assert "Short of the minimums by 2 chapters:\n  Law and Policy: 1 of at least 3. What would close it:" in result.stdout
    assert "Open a second call for “Law and Policy” to find 2 more chapters." in result.stdout


def test_a_missing_file_is_bad_input(tmp_path):
    result = subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", "select", str(tmp_path / "nope.json")],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "cannot be read" in result.stderr


@pytest.mark.parametrize("module,stem", [(assignment, "review/assignment"), (solver, "selection/selection")])
def test_the_json_schemas_in_the_project_are_the_ones_the_code_enforces(module, stem):
    for part, schema in module.schemas().items():
        stored = json.loads((PACKAGE / f"{stem}.{part}.schema.json").read_text())
        assert stored == schema, f"regenerate with: chapterhouse {'assign' if 'review' in stem else 'select'} --schema {part}"
