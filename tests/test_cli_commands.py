"""The ``chapterhouse`` command's table of commands: it names what each module registers, and a command imports
only its own module (the checker's start-up is measured against pandoc's in benches/checker.py)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chapterhouse.site.cli import COMMANDS, build_parser


def test_the_table_names_exactly_the_commands_the_modules_register():
    parser = build_parser()
    registered = set(parser._subparsers._group_actions[0].choices)
    assert registered == set(COMMANDS)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_alone_builds_its_own_parser(command):
    parser = build_parser(command)
    assert set(parser._subparsers._group_actions[0].choices) >= {command}


def test_check_imports_no_other_command_module():
    code = ("import sys\nfrom chapterhouse.site.cli import main\ntry:\n    main(['check', '--help'])\nexcept SystemExit:\n"
            "    pass\nprint(sorted({m for m in sys.modules if m.endswith('cli') and m.startswith('chapterhouse.')}))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "['chapterhouse.manuscripts.cli', 'chapterhouse.site.cli']", result.stdout


def test_the_top_level_help_still_lists_every_command(capsys):
    from chapterhouse.site.cli import main

    assert main([]) == 0
    shown = capsys.readouterr().out
    for command in COMMANDS:
        assert command in shown
