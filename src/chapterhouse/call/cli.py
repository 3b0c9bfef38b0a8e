"""``chapterhouse call validate`` (no database, no Django) and ``chapterhouse call load``."""

from __future__ import annotations

import datetime as dt
import sys


def register(subparsers) -> None:
    call = subparsers.add_parser("call", help="validate or load a call for proposals (TOML)")
    actions = call.add_subparsers(dest="call_command", metavar="ACTION", required=True)

    validate = actions.add_parser("validate", help="check call files and name every problem")
    validate.add_argument("files", nargs="+", metavar="FILE")
    validate.set_defaults(handler=validate_files)

    load = actions.add_parser("load", help="load a call file into the database (updates it if already loaded)")
    load.add_argument("file", metavar="FILE")
    when = load.add_mutually_exclusive_group()
    when.add_argument("--open-on", metavar="DATE", type=parse_day,
                      help="move every milestone so proposals open on DATE (YYYY-MM-DD, or 'today'); the file is unchanged")
    when.add_argument("--shift-days", metavar="N", type=int, help="move every milestone by N days")
    load.set_defaults(handler=load_file)


def parse_day(text: str) -> dt.date:
    if text == "today":
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        import argparse

        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2024-01-15 (or 'today')") from None


def validate_files(args) -> int:
    from chapterhouse.call.schema import CallFileError, load_call

    failed = 0
    for path in args.files:
        try:
            call = load_call(path)
        except CallFileError as error:
            failed += 1
            print(f"{path}: {len(error.problems)} problem(s)", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            continue
        print(f"{path}: ok — “{call.title}”, {len(call.themes)} themes, "
              f"{sum(len(t.questions) for t in call.themes)} questions, {len(call.milestones)} milestones, "
              f"proposals {call.opens_on:%d %b %Y} – {call.closes_on:%d %b %Y}")
    return 1 if failed else 0


def load_file(args) -> int:
    from chapterhouse.web.cli import setup_django

    setup_django()
    from chapterhouse.call.loading import install_call_file
    from chapterhouse.call.schema import CallFileError

    try:
        call = install_call_file(args.file, open_on=args.open_on, shift_days=args.shift_days)
    except CallFileError as error:
        print(f"{args.file}: not loaded, {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    moved = f" (milestones moved by {call.shift_days:+d} days)" if call.shift_days else ""
    print(f"Loaded “{call.title}” as {call.slug}{moved}: proposals {call.opens_on:%d %b %Y} – {call.closes_on:%d %b %Y}")
    return 0
