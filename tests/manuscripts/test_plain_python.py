"""The checker's core is plain Python: importing and running it loads no Django."""

from __future__ import annotations

import subprocess
import sys

PLAIN_MODULES = [
    "chapterhouse.ooxml.package", "chapterhouse.ooxml.formats", "chapterhouse.ooxml.reader",
    "chapterhouse.ooxml.document", "chapterhouse.ooxml.styles", "chapterhouse.ooxml.properties",
    "chapterhouse.manuscripts", "chapterhouse.manuscripts.cli",
    "chapterhouse.manuscripts.callrules", "chapterhouse.screening.markings", "chapterhouse.call.files",
    "chapterhouse.call.schema", "chapterhouse.proposals.attachments",
]


def test_the_checker_and_the_reader_import_no_django():
    code = ("import sys, importlib\n"
            f"for name in {PLAIN_MODULES!r}: importlib.import_module(name)\n"
            "from chapterhouse.manuscripts import check\n"
            "from chapterhouse.call.schema import load_call\n"
            "from chapterhouse.call.files import default_call_path\n"
            "check(b'not a document', load_call(default_call_path()))\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stdout + result.stderr
