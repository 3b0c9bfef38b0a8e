"""The manuscripts stage: final chapters checked against the call's rules before editors read them.

``check(path_or_bytes, rules) -> Report`` is the API the upload flow calls; ``chapterhouse check`` is the CLI
for authors. Plain Python; no Django. The names below are imported on first use (PEP 562), so that importing
``chapterhouse.manuscripts.cli`` for ``chapterhouse check --help`` loads neither lxml nor the checker.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chapterhouse.manuscripts.checker import check
    from chapterhouse.manuscripts.findings import Finding
    from chapterhouse.manuscripts.report import Report

__all__ = ["Finding", "Report", "check"]
_WHERE = {"check": "chapterhouse.manuscripts.checker", "Finding": "chapterhouse.manuscripts.findings",
          "Report": "chapterhouse.manuscripts.report"}


def __getattr__(name: str):
    if name in _WHERE:
        value = getattr(import_module(_WHERE[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
