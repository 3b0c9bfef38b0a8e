"""Progress bars on the terminal: one per stage, advancing chapter by chapter (tqdm, on standard error)."""

from __future__ import annotations

import sys
import threading


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


class Progress:
    """Hands out bars stacked one under another, so stages running side by side do not overwrite each other."""

    def __init__(self, enabled: bool | None = None):
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self._next_line = 0
        self._lock = threading.Lock()

    def stage(self, name: str, total: int, unit: str = "chapter"):
        if not self.enabled:
            return _Silent()
        from tqdm import tqdm

        with self._lock:
            line = self._next_line
            self._next_line += 1
        return _Bar(tqdm(total=total, desc=f"{name:<8}", unit=unit, position=line, leave=True, file=sys.stderr,
                         dynamic_ncols=True, bar_format="{desc} {bar} {n_fmt}/{total_fmt} {unit}s {elapsed} {postfix}"))
