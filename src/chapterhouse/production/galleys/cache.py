"""A content-addressed store beside the outputs: every converted or compiled thing is kept under a hash of
everything it was made from, so a proof round redoes only what changed. Plain Python; no Django."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

def _code_fingerprint() -> str:
    """A hash of this package's code and templates: a new chapterhouse never reuses an older one's results."""
    hasher = hashlib.sha256()
    package = Path(__file__).parent
    for path in sorted([*package.glob("*.py"), *package.glob("templates/*")]):
        hasher.update(path.name.encode() + b"\0" + path.read_bytes())
    return hasher.hexdigest()[:16]


CACHE_FORMAT = f"galleys-{_code_fingerprint()}"


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256(CACHE_FORMAT.encode())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()[:40]


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class BuildCache:
    """``root/kind/key.suffix`` files, written atomically; ``prune`` drops what the last build did not use."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self.root.mkdir(parents=True, exist_ok=True)
        self._used: set[Path] = set()

    def path(self, kind: str, key: str, suffix: str) -> Path:
        folder = self.root / kind
        folder.mkdir(exist_ok=True)
        path = folder / f"{key}{suffix}"
        self._used.add(path)
        return path

    def folder(self, kind: str, key: str) -> Path:
        path = self.root / kind / key
        self._used.add(path)
        return path

    def read_json(self, kind: str, key: str):
        path = self.path(kind, key, ".json")
        return json.loads(path.read_bytes()) if path.exists() else None

    def write_json(self, kind: str, key: str, value) -> Path:
        return self.write_bytes(kind, key, ".json", json.dumps(value, ensure_ascii=False).encode())

    def write_bytes(self, kind: str, key: str, suffix: str, data: bytes) -> Path:
        path = self.path(kind, key, suffix)
        write_atomically(path, data)
        return path

    def prune(self, kinds: tuple[str, ...]) -> int:
        """Deletes entries of ``kinds`` this build did not touch; returns how many."""
        removed = 0
        for kind in kinds:
            folder = self.root / kind
            if not folder.is_dir():
                continue
            for entry in folder.iterdir():
                if entry in self._used:
                    continue
                if entry.is_dir():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
                removed += 1
        return removed


def write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
