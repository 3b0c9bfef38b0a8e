"""The plain-Python core imports nothing from Django, so the CLI and other tools can use it alone."""

import ast
import subprocess
import sys
from pathlib import Path

import chapterhouse

PACKAGE = Path(chapterhouse.__file__).parent
CORE = [
    "accounts/emails.py",
    "call/calendar.py",
    "call/cli.py",
    "call/files.py",
    "call/schema.py",
    "call/timeline.py",
    "chapters/sample.py",
    "chapters/states.py",
    "clearance/dd1910.py",
    "clearance/dutydays.py",
    "clearance/package.py",
    "clearance/printed.py",
    "clearance/recheck.py",
    "clearance/scope.py",
    "clearance/states.py",
    "launch/offprint_pdf.py",
    "launch/states.py",
    "ops/places.py",
    "ops/restoretarget.py",
    "ops/storage.py",
    "problemcli.py",
    "production/cli.py",
    "production/covers.py",
    "production/cover_spec.py",
    "production/print_settings.py",
    "production/states.py",
    "production/lineedit/states.py",
    "production/proofs/states.py",
    "production/publication/catalog.py",
    "production/wordedits.py",
    "proposals/anonymity.py",
    "proposals/attachments.py",
    "proposals/duplicates.py",
    "proposals/screening.py",
    "proposals/states.py",
    "review/assignment.py",
    "review/blind_copy.py",
    "review/blind_docx.py",
    "review/blind_docx_writer.py",
    "review/blind_images.py",
    "review/blind_model.py",
    "review/blind_pdf.py",
    "review/cli.py",
    "review/conflicts.py",
    "review/redaction.py",
    "review/rules.py",
    "review/states.py",
    "selection/checker.py",
    "selection/cli.py",
    "selection/rules.py",
    "selection/shortfall.py",
    "selection/solver.py",
    "selection/states.py",
    "tomlschema.py",
    "web/secretkey.py",
    "workflow/statemachine.py",
]
# production/ and launch/ hold Django apps too: only their plain-Python core packages are listed.
CORE_PACKAGES = ["screening", "ooxml", "manuscripts", "production/galleys", "launch/metadata"]


def core_files():
    files = [PACKAGE / name for name in CORE]
    for folder in CORE_PACKAGES:
        files += sorted((PACKAGE / folder).rglob("*.py"))
    return files


def test_core_modules_do_not_import_django():
    offenders = []
    for path in core_files():
        for node in ast.walk(ast.parse(path.read_text())):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            offenders += [f"{path.relative_to(PACKAGE)}: {n}" for n in names if n.split(".")[0] == "django"]
    assert offenders == []


def test_importing_the_core_loads_no_django():
    modules = [("chapterhouse." + str(p.relative_to(PACKAGE).with_suffix("")).replace("/", ".")).removesuffix(".__init__")
               for p in core_files()]
    code = "import sys\n" + "".join(f"import {m}\n" for m in modules) + "print(sorted(m for m in sys.modules if m.startswith('django')))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
