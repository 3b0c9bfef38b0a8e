"""Progress bars on the terminal: one per stage, advancing chapter by chapter (tqdm, on standard error).
A ``report`` callback receives the same steps (stage, done, total, label), so the web app can show them."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

Report = Callable[[str, int, int, str], None]


class _Silent:
    def advance(self, label: str = "") -> None:
        pass

    def close(self) -> None:
        pass


class _Bar:
    def __init__(self, bar):
        self._bar = bar

    def advance(self, label: str = "") -> None:
        if label:
            self._bar.set_postfix_str(label[:40], refresh=False)
        self._bar.update(1)

    def close(self) -> None:
        self._bar.close()


class _Reported:
    """Passes each step to the report callback, and to a terminal bar too when there is one."""

    def __init__(self, bar, report: Report, name: str, total: int):
        self._bar, self._report, self._name, self._total, self._done = bar, report, name, total, 0
        report(name, 0, total, "")

    def advance(self, label: str = "") -> None:
        self._done += 1
        self._bar.advance(label)
        self._report(self._name, self._done, self._total, label)

    def close(self) -> None:
        self._bar.close()


class Progress:
    """Hands out bars stacked one under another, so stages running side by side do not overwrite each other."""

    def __init__(self, enabled: bool | None = None, report: Report | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.report = report
        self._next_line = 0
        self._lock = threading.Lock()

    def stage(self, name: str, total: int, unit: str = "chapter"):
        bar = self._bar(name, total, unit)
        return _Reported(bar, self.report, name, total) if self.report else bar

    def _bar(self, name: str, total: int, unit: str):
        if not self.enabled:
            return _Silent()
        from tqdm import tqdm

        with self._lock:
            line = self._next_line
            self._next_line += 1
        return _Bar(tqdm(total=total, desc=f"{name:<8}", unit=unit, position=line, leave=True, file=sys.stderr,
                         dynamic_ncols=True, bar_format="{desc} {bar} {n_fmt}/{total_fmt} {unit}s {elapsed} {postfix}"))
