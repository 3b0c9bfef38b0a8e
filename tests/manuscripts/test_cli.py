"""``chapterhouse check``: readable and JSON reports, exit codes, progress bar, and no Django."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from chapterhouse.manuscripts.findings import CATEGORIES
from tests.conftest import DEFAULT_CALL
from tests.docx_factory import compliant_chapter, paragraph, run

SCHEMA = json.loads((Path(__file__).resolve().parents[2] / "src" / "chapterhouse" / "manuscripts"
                     / "report.schema.json").read_text())


@pytest.fixture
def files(tmp_path):
    good = tmp_path / "good.docx"
    good.write_bytes(compliant_chapter().build())
    bad = compliant_chapter()
    bad.body.insert(2, paragraph(run("An FMS case, single-spaced."), ppr='<w:spacing w:line="240" w:lineRule="auto"/>'))
    failing = tmp_path / "failing.docx"
    failing.write_bytes(bad.build())
    refused = tmp_path / "refused.docx"
    refused.write_bytes(b"%PDF-1.7\n%%EOF\n")
    return good, failing, refused


def chapterhouse(*args: str, cache: Path) -> subprocess.CompletedProcess:
    environment = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, "-m", "chapterhouse.site.cli", *args], capture_output=True, text=True,
                          timeout=120, env=environment)


def test_a_passing_file_exits_0_with_its_word_counts(files, tmp_path):
    result = chapterhouse("check", str(files[0]), cache=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "good.docx: passed" in result.stdout and "Words: " in result.stdout


def test_a_failing_file_exits_1_with_findings_grouped_by_severity(files, tmp_path):
    result = chapterhouse("check", str(files[1]), cache=tmp_path)
    assert result.returncode == 1
    out = result.stdout
    assert "failing.docx: FAILED" in out
    assert out.index("  Errors:") < out.index("✗ [spacing.body]") < out.index("  Warnings:") < out.index("! [terminology.preferred-term]")
    assert "at body, paragraph 3" in out and "fix: " in out


def test_an_unreadable_file_exits_2_even_beside_failing_ones(files, tmp_path):
    result = chapterhouse("check", *map(str, files), "--no-progress", cache=tmp_path)
    assert result.returncode == 2
    assert "refused.docx: REFUSED (pdf)" in result.stdout and "is a PDF" in result.stdout
    assert result.stdout.rstrip().endswith("3 files: 1 passed, 1 failed, 1 refused")
    assert "Traceback" not in result.stderr


def test_json_prints_one_object_per_file_that_follows_the_documented_schema(files, tmp_path):
    result = chapterhouse("check", "--json", *map(str, files), "--no-progress", cache=tmp_path)
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [Path(r["file"]).name for r in reports] == ["good.docx", "failing.docx", "refused.docx"]
    for report in reports:
        conform(report, SCHEMA)
    good, failing, refused = reports
    assert good["passed"] and good["words"]["total"] == sum(good["words"][k] for k in ("body", "notes", "bibliography"))
    assert not failing["passed"] and {f["category"] for f in failing["findings"]} <= set(CATEGORIES)
    assert failing["findings"][0]["location"]["part"] == "body"
    assert refused["refused"]["code"] == "pdf" and refused["words"] is None


def test_many_files_show_a_progress_bar(files, tmp_path):
    result = chapterhouse("check", "--progress", *map(str, files[:2]), cache=tmp_path)
    assert "Checking" in result.stderr and "2/2" in result.stderr


def test_a_broken_call_file_exits_2_naming_the_field(files, tmp_path):
    broken = tmp_path / "broken.toml"
    broken.write_text(DEFAULT_CALL.read_text().replace("min_words = 4000", 'min_words = "4000"'))
    result = chapterhouse("check", "--call", str(broken), str(files[0]), cache=tmp_path)
    assert result.returncode == 2 and "manuscript.min_words: must be an integer" in result.stderr


def test_another_calls_rules_apply_with_call(files, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text(DEFAULT_CALL.read_text().replace("min_words = 4000", "min_words = 6000"))
    result = chapterhouse("check", "--call", str(other), str(files[0]), cache=tmp_path)
    assert result.returncode == 1 and "6,000–8,000 words" in result.stdout


def test_check_does_not_import_django_nor_pydantic_once_the_call_is_cached(files, tmp_path):
    code = ("import sys; from chapterhouse.site.cli import main; rc = main(['check', '--json', %r]); "
            "print('django' in sys.modules, 'pydantic' in sys.modules)") % str(files[0])
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=environment)
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=environment)
    assert first.stdout.strip().endswith("False True"), first.stdout + first.stderr  # validated the call once
    assert second.stdout.strip().endswith("False False"), second.stdout + second.stderr


def test_the_cache_is_keyed_by_the_call_file(tmp_path, monkeypatch):
    from chapterhouse.manuscripts.callrules import load_check_rules

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    call = tmp_path / "call.toml"
    call.write_text(DEFAULT_CALL.read_text())
    assert load_check_rules(call).manuscript.min_words == 4000
    call.write_text(DEFAULT_CALL.read_text().replace("min_words = 4000", "min_words = 4500"))
    cached = load_check_rules(call)
    assert cached.manuscript.min_words == 4500
    assert load_check_rules(call).manuscript.spacing.block_quotes == "same"  # read back from the cache
    assert len(list((tmp_path / "chapterhouse" / "call-rules").glob("*.json"))) == 2


def conform(value, schema: dict, where: str = "$") -> None:
    """Enough of JSON Schema for report.schema.json: type, const, enum, required, properties, items."""
    kinds = {"object": dict, "array": list, "string": str, "integer": int, "boolean": bool, "null": type(None)}
    if "const" in schema:
        assert value == schema["const"], where
    if "enum" in schema:
        assert value in schema["enum"], (where, value)
    if "type" in schema:
        allowed = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        assert any(isinstance(value, kinds[k]) and not (k == "integer" and isinstance(value, bool)) for k in allowed), (where, value)
    if isinstance(value, dict):
        for key in schema.get("required", []):
            assert key in value, f"{where}.{key} missing"
        for key, sub in schema.get("properties", {}).items():
            if key in value:
                conform(value[key], sub, f"{where}.{key}")
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            conform(item, schema["items"], f"{where}[{index}]")


@pytest.mark.parametrize("json_output", [True, False])
def test_a_reader_that_stops_early_ends_the_command_quietly(files, tmp_path, json_output):
    """`chapterhouse check … --json | head`: more output than a pipe holds, and the reader leaves after one line."""
    environment = {**os.environ, "XDG_CACHE_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "chapterhouse.site.cli", "check", *(["--json"] if json_output else []),
               "--no-progress", *[str(files[1])] * 60]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    first = process.stdout.readline()
    process.stdout.close()  # as head does after its lines
    stderr = process.stderr.read().decode()
    process.wait(timeout=120)
    assert first.strip()
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert process.returncode == 1  # the reports read before the reader left had failed


def test_without_a_reader_leaving_every_report_is_written(files, tmp_path):
    result = chapterhouse("check", "--json", *[str(files[1])] * 3, cache=tmp_path)
    assert len(result.stdout.splitlines()) == 3 and result.stderr == ""


HEAVY = ("lxml", "rapidfuzz", "pydantic", "django", "tqdm", "chapterhouse.ooxml", "chapterhouse.manuscripts.checker",
         "chapterhouse.screening")


@pytest.mark.parametrize("argv", [["check", "--help"], ["check"], ["check", "--no-such-option", "x.docx"]])
def test_help_and_argument_errors_load_nothing_heavy(argv):
    code = ("import sys\nfrom chapterhouse.site.cli import main\ntry:\n    main(%r)\nexcept SystemExit:\n    pass\n"
            "print([m for m in sys.modules if m.startswith(%r)])") % (argv, HEAVY)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]", result.stdout + result.stderr


def test_the_package_still_offers_check_report_and_finding():
    from chapterhouse import manuscripts

    assert callable(manuscripts.check) and manuscripts.Report.__name__ == "Report"
    assert manuscripts.Finding.__name__ == "Finding"
    with pytest.raises(AttributeError):
        manuscripts.no_such_name  # noqa: B018
