"""Runs pandoc (the binary pypandoc-binary ships) as a subprocess, with a time limit and a readable failure."""

from __future__ import annotations

import functools
import subprocess
from pathlib import Path

PANDOC_TIMEOUT_SECONDS = 300


class PandocFailed(RuntimeError):
    """Pandoc could not read or write a file; the message is pandoc's own, for the editor."""


@functools.cache
def pandoc_path() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


@functools.cache
def pandoc_version() -> str:
    return run_pandoc(["--version"]).decode().split("\n", 1)[0].strip()


def run_pandoc(args: list[str], input: bytes | None = None, cwd: Path | None = None) -> bytes:
    try:
        result = subprocess.run([pandoc_path(), *args], input=input, capture_output=True, cwd=cwd,
                                timeout=PANDOC_TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        raise PandocFailed(f"pandoc took more than {PANDOC_TIMEOUT_SECONDS} s and was stopped") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise PandocFailed(message[-1] if message else f"pandoc exited with status {result.returncode}")
    return result.stdout


@functools.cache
def _api_version() -> tuple[int, ...]:
    import json

    return tuple(json.loads(run_pandoc(["--from", "markdown", "--to", "json"], input=b""))["pandoc-api-version"])


def pandoc_api_version() -> list[int]:
    """The version of the JSON model this pandoc reads and writes (asked once per process)."""
    return list(_api_version())
