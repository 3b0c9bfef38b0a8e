"""A process and everything below it, read from Linux's /proc: what the benches charge to the code they measure
(the server's workers, pandoc and Typst started by a build) rather than to the one process they started."""

from __future__ import annotations

import os
from dataclasses import dataclass

TICKS = os.sysconf("SC_CLK_TCK")
PAGE = os.sysconf("SC_PAGE_SIZE")


@dataclass(frozen=True)
class Usage:
    parent: int
    cpu_seconds: float  # user + system so far
    rss_bytes: int


def process_table() -> dict[int, Usage]:
    """Every live process now (those that end while being read are left out)."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            table[int(entry)] = Usage(int(fields[1]), (int(fields[11]) + int(fields[12])) / TICKS,
                                      int(fields[21]) * PAGE)
        except (OSError, IndexError, ValueError):
            continue
    return table


def tree(root: int, table: dict[int, Usage] | None = None) -> list[Usage]:
    """``root`` and every live process below it."""
    table = process_table() if table is None else table
    children: dict[int, list[int]] = {}
    for pid, usage in table.items():
        children.setdefault(usage.parent, []).append(pid)
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        if pid in table:
            found.append(table[pid])
        stack += children.get(pid, [])
    return found
