"""Keeps the test suite inside the project: a clone of the project alone, with nothing beside it, must pass.

A Python audit hook (PEP 578) sees every file the test process opens, every folder it lists, every SQLite
database it connects to and every program it starts. A path outside the project tree, the temporary folders,
the Python installation (the virtualenv and the interpreter it was made from) and the operating system's own
folders is recorded against the test that was running, and ``tests/conftest.py`` fails that test naming the
path.

Programs started by a test are judged by their arguments and working folder (a path outside handed to pandoc
is caught); what a program opens by itself is out of sight, which is why the rule covers its arguments.
"""

from __future__ import annotations

import os
import sys
import sysconfig
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent

# The operating system's own folders: programs, libraries, fonts, certificates, time zones, devices.
SYSTEM_FOLDERS = ("/usr", "/lib", "/lib32", "/lib64", "/bin", "/sbin", "/etc", "/dev", "/proc", "/sys", "/run")

# Audit events that name a path, and which of their arguments hold it.
PATH_EVENTS = {
    "open": (0,),
    "os.listdir": (0,),
    "os.scandir": (0,),
    "sqlite3.connect": (0,),
    "shutil.copyfile": (0,),
    "shutil.copytree": (0,),
}
PROGRAM_EVENT = "subprocess.Popen"  # (executable, args, cwd, env)


def _variants(path: str | os.PathLike) -> set[str]:
    text = os.path.abspath(os.fspath(path))
    return {text, os.path.realpath(text)}


def allowed_roots(extra: Iterable[str | os.PathLike] = ()) -> tuple[str, ...]:
    roots = {PROJECT, tempfile.gettempdir(), *SYSTEM_FOLDERS, *extra}
    roots |= {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots |= {value for value in sysconfig.get_paths().values() if value}
    for name in ("TMPDIR", "CHAPTERHOUSE_DATA"):
        if os.environ.get(name):
            roots.add(os.environ[name])
    return tuple(sorted({variant.rstrip("/") or "/" for root in roots for variant in _variants(root)}))


def is_inside(path: str, roots: Iterable[str]) -> bool:
    return any(path == root or path.startswith(root + "/") for root in roots)


class OutsideReads:
    """Records paths outside the allowed roots, by the test that was running (``None``: no test was)."""

    def __init__(self, roots: tuple[str, ...]):
        self.roots = roots
        self.current: str | None = None
        self.found: dict[str | None, list[str]] = {}
        self._busy = threading.local()

    def audit(self, event: str, args: tuple) -> None:
        """The audit hook; it must never raise, or it would break the operation it watches."""
        if event not in PATH_EVENTS and event != PROGRAM_EVENT:
            return
        if getattr(self._busy, "on", False):
            return
        self._busy.on = True
        try:
            for path in self._paths(event, args):
                self.check(event, path)
        except Exception:  # noqa: BLE001 - a fault in the guard must not change what the test sees
            pass
        finally:
            self._busy.on = False

    def _paths(self, event: str, args: tuple) -> Iterable[str]:
        if event == PROGRAM_EVENT:
            _, arguments, cwd, _ = args
            if isinstance(arguments, (str, bytes, os.PathLike)):
                arguments = [arguments]
            # The program itself is looked up where it may be (pypandoc tries ~/bin/pandoc); what it is
            # handed to read, and where it runs, are what a clone of the project alone must provide.
            for value in [cwd, *list(arguments or [])[1:]]:
                if isinstance(value, (str, bytes, os.PathLike)):
                    text = os.fsdecode(value).removeprefix("file://")
                    # An argument is a path when it names something that exists ("/CN=localhost" does not).
                    if text.startswith(("/", "../")) and os.path.exists(text):
                        yield text
            return
        for index in PATH_EVENTS[event]:
            value = args[index] if len(args) > index else None
            if isinstance(value, (str, bytes, os.PathLike)):
                text = os.fsdecode(value)
                if text and text != ":memory:" and not text.startswith("file:"):
                    yield text

    def check(self, event: str, path: str) -> None:
        full = os.path.normpath(os.path.abspath(path))
        if not is_inside(full, self.roots):
            self.found.setdefault(self.current, []).append(f"{event} {full}")

    def take(self, test: str | None) -> list[str]:
        """What ``test`` touched outside, and anything touched while no test ran; both are then forgotten."""
        return self.found.pop(test, []) + self.found.pop(None, [])
