"""The manuscripts stage: final chapters checked against the call's rules before editors read them.

``check(path_or_bytes, rules) -> Report`` is the API the upload flow calls; ``chapterhouse check`` is the CLI
for authors. Plain Python; no Django.
"""

from chapterhouse.manuscripts.checker import check
from chapterhouse.manuscripts.findings import Finding
from chapterhouse.manuscripts.report import Report

__all__ = ["Finding", "Report", "check"]
