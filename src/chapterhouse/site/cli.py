"""The ``chapterhouse`` command: the web app, the call tools, and Django's management commands.

Each group of subcommands lives beside the code it drives (``call/cli.py``, ``site/commands.py``, …) and registers
itself here. Commands that need no database never import Django, so ``chapterhouse call validate`` and the
manuscript checker start fast. Anything this parser does not know is handed to Django's management commands
(``chapterhouse migrate``, ``chapterhouse createsuperuser``).
"""

from __future__ import annotations

import argparse
import importlib
import sys

# Each command and the module that defines it with ``register(subparsers)`` (each adds its subcommands with a
# ``handler``). ``chapterhouse COMMAND`` imports only that command's module, so the checker starts without the
# galley tools, the solvers' command lines or the web server's; ``chapterhouse --help`` imports them all.
COMMANDS = {
    "serve": "chapterhouse.site.commands", "setup": "chapterhouse.site.commands", "manage": "chapterhouse.site.commands",
    "call": "chapterhouse.call.cli",
    "check": "chapterhouse.manuscripts.cli",
    "diff": "chapterhouse.manuscripts.diff_cli",
    "galley": "chapterhouse.production.cli",
    "backup": "chapterhouse.ops.cli", "restore": "chapterhouse.ops.cli",
    "assign": "chapterhouse.review.cli",
    "select": "chapterhouse.selection.cli",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser with every command, or with only ``command`` when it is one of :data:`COMMANDS`."""
    parser = argparse.ArgumentParser(
        prog="chapterhouse",
        description="Runs an edited volume from its call for proposals to its book launch.",
        epilog="Any other command is passed to Django's management commands, e.g. `chapterhouse migrate`.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = [COMMANDS[command]] if command in COMMANDS else list(dict.fromkeys(COMMANDS.values()))
    for module in modules:
        importlib.import_module(module).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and not argv[0].startswith("-") else None
    if command is not None and command not in COMMANDS:
        from chapterhouse.site.commands import run_django_command

        return run_django_command(argv)
    args = build_parser(command).parse_args(argv)
    if not getattr(args, "handler", None):
        build_parser().print_help()
        return 0
    return int(args.handler(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
