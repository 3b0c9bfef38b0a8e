"""Finds files in the data folder that no database row refers to, and partial files of interrupted writes.

A file is an orphan when it sits in a folder where the project keeps uploads and no FileField of any model
names it. Recent files are left alone (a submission may be between writing its file and committing).
Stages add their upload folder with one line: ``CHECKED_FOLDERS["chapters"] = "chapter manuscripts"``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.db import models

from chapterhouse.web.storage import PARTIAL_PREFIX

CHECKED_FOLDERS = {"proposals": "proposal attachments"}


@dataclass(frozen=True)
class Orphan:
    path: Path
    size: int
    why: str


def referenced_names() -> set[str]:
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.FileField):
                names |= set(model._default_manager.exclude(**{field.name: ""}).values_list(field.name, flat=True))
    return names


def find_orphans(root: Path, min_age_seconds: float = 3600) -> list[Orphan]:
    referenced = referenced_names()
    cutoff = time.time() - min_age_seconds
    found = []
    for folder in CHECKED_FOLDERS:
        base = root / folder
        if not base.is_dir():
            continue
        for dirpath, _, filenames in os.walk(base):
            for filename in filenames:
                path = Path(dirpath) / filename
                stat = path.stat()
                if stat.st_mtime > cutoff:
                    continue
                name = path.relative_to(root).as_posix()
                if filename.startswith(PARTIAL_PREFIX):
                    found.append(Orphan(path, stat.st_size, "partial file of an interrupted write"))
                elif name not in referenced:
                    found.append(Orphan(path, stat.st_size, f"no stored record refers to it ({CHECKED_FOLDERS[folder]})"))
    return sorted(found, key=lambda orphan: str(orphan.path))
