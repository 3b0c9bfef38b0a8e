"""The ``chapterhouse`` command: the web app, the call tools, and Django's management commands.

Each group of subcommands lives beside the code it drives (``call/cli.py``, ``web/cli.py``, …) and registers
itself here. Commands that need no database never import Django, so ``chapterhouse call validate`` and the
manuscript checker start fast. Anything this parser does not know is handed to Django's management commands
(``chapterhouse migrate``, ``chapterhouse createsuperuser``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Modules that define ``register(subparsers)``; each adds its subcommands with a ``handler``.
COMMAND_MODULES = [
    "chapterhouse.web.cli",
    "chapterhouse.call.cli",
    "chapterhouse.manuscripts.cli",
    "chapterhouse.manuscripts.diff_cli",
    "chapterhouse.production.cli",
    "chapterhouse.ops.cli",
    "chapterhouse.review.cli",
    "chapterhouse.selection.cli",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chapterhouse",
        description="Runs an edited volume from its call for proposals to its book launch.",
        epilog="Any other command is passed to Django's management commands, e.g. `chapterhouse migrate`.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    known = set(parser._subparsers._group_actions[0].choices) if parser._subparsers else set()
    if argv and not argv[0].startswith("-") and argv[0] not in known:
        from chapterhouse.web.cli import run_django_command

        return run_django_command(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
