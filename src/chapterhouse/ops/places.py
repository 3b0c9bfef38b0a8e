"""Where a site keeps its data, worked out from the environment alone, before Django's settings load.

The settings read these, and so does ``chapterhouse restore``, which must know what the target folder and
database file held before loading the settings creates anything in them (a secret key, an empty SQLite file),
so that a refused restore can leave them as it found them. Plain Python; no Django.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent


def project_dir() -> Path:
    """In a source checkout the project root holds pyproject.toml; an installed copy falls back to the cwd."""
    checkout = PACKAGE_DIR.parent.parent
    return checkout if (checkout / "pyproject.toml").exists() else Path.cwd()


def data_dir() -> Path:
    """``$CHAPTERHOUSE_DATA``, else ``var/`` in the project folder."""
    return Path(os.environ.get("CHAPTERHOUSE_DATA") or project_dir() / "var").resolve()


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir() / 'chapterhouse.sqlite3'}"


def sqlite_file(url: str) -> Path | None:
    """The database file of a ``sqlite:///…`` URL, or None for another database."""
    prefix = "sqlite:///"
    return Path(url[len(prefix):]).resolve() if url.startswith(prefix) and url != prefix + ":memory:" else None
