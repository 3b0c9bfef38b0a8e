"""``chapterhouse check FILE.docx [FILE …] [--call FILE] [--json]``: the manuscript checker for authors.

Prints a readable report per file (or one JSON object per line with ``--json``, schema in
:mod:`chapterhouse.manuscripts.report`), and a summary when several files are checked, with a progress bar on
the terminal. Exit 0 when no rule fails, 1 when any does, 2 when a file is unreadable or refused (or the call
file is unusable). Imports nothing from Django, so it starts fast. When the reader stops reading (``… --json |
head``), the command stops quietly instead of ending in a BrokenPipeError traceback.
"""

from __future__ import annotations

import argparse
import os
import sys


def register(subparsers) -> None:
    check = subparsers.add_parser(
        "check", help="check Word chapters against the call's manuscript rules (no database)",
        description="Checks Word chapters against the manuscript rules of a call: length, spacing, font, "
                    "citations, terminology, security markings and what must not travel to security review.")
    check.add_argument("files", nargs="+", metavar="FILE", help="Word documents (.docx)")
    check.add_argument("--call", metavar="FILE",
                       help="the call file whose rules apply (default: $CHAPTERHOUSE_DEFAULT_CALL or calls/dscu-fms-2024.toml)")
    check.add_argument("--json", action="store_true", help="print one JSON object per file (schema chapterhouse.manuscript-check/1)")
    check.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="show a progress bar (default: when checking several files on a terminal)")
    check.set_defaults(handler=check_files)


def check_files(args) -> int:
    from chapterhouse.call.files import default_call_path
    from chapterhouse.manuscripts.callrules import CallRulesError, load_check_rules
    from chapterhouse.manuscripts.checker import check

    call_path = args.call or default_call_path()
    try:
        call = load_check_rules(call_path)
    except CallRulesError as error:
        print(f"{call_path}: cannot use this call file, {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 2
    reports = []
    try:
        for path, write in _progress(args.files, args.progress):
            report = check(path, call)
            reports.append(report)
            write(report.to_json() if args.json else report.render())
        if len(reports) > 1 and not args.json:
            print(_summary(reports), flush=True)
    except BrokenPipeError:
        _quiet_stdout()
    return max((report.exit_code for report in reports), default=0)


def _quiet_stdout() -> None:
    """The reader went away: point stdout at /dev/null so the flush at exit cannot raise again (Python's
    documented recipe for SIGPIPE)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _progress(files: list[str], wanted: bool | None):
    """(file, write) pairs; with a bar, lines are written through tqdm so they do not tear it."""
    show = wanted if wanted is not None else len(files) > 1 and sys.stderr.isatty()
    if not show:
        for path in files:
            yield path, lambda text: print(text.rstrip("\n"), flush=True)
        return
    from tqdm import tqdm

    with tqdm(files, desc="Checking", unit="file", file=sys.stderr) as bar:
        for path in bar:
            yield path, lambda text: bar.write(text.rstrip("\n"), file=sys.stdout)


def _summary(reports) -> str:
    passed = sum(r.passed for r in reports)
    refused = sum(r.refusal is not None for r in reports)
    failed = len(reports) - passed - refused
    return f"{len(reports)} files: {passed} passed, {failed} failed, {refused} refused"
