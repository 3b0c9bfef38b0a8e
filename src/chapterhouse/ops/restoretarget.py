"""What a refused restore must leave as it found it: the data folder and the SQLite database file.

``chapterhouse restore`` takes a ``TargetState`` before the settings load (loading them creates the data folder,
a secret key and its static folder; the first query creates an empty SQLite file) and puts it back when the
restore is refused or fails: every file and folder that appeared in the data folder is removed, as are a new
database file and its journals outside it, and the files a restore overwrites (the database and its journals,
the secret key) get their old bytes back. Nothing else outside the data folder is touched. Plain Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

SQLITE_COMPANIONS = ("-wal", "-shm", "-journal", ".restoring")
SECRET_KEY_FILES = ("secret_key", "secret_key.restored")


def _paths_under(folder: Path) -> set[Path]:
    return {folder, *folder.rglob("*")} if folder.exists() else set()


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        path.rmdir()  # its new contents went first (deepest paths are removed first)
    else:
        path.unlink(missing_ok=True)


@dataclass
class TargetState:
    data_dir: Path
    database_files: tuple[Path, ...]  # a SQLite database and its journals; () for another database
    present: set[Path] = field(default_factory=set)
    saved: dict[Path, bytes] = field(default_factory=dict)

    @classmethod
    def take(cls, data_dir: Path, database_file: Path | None) -> TargetState:
        files = (database_file, *(database_file.with_name(database_file.name + s) for s in SQLITE_COMPANIONS)) \
            if database_file else ()
        state = cls(data_dir, files, _paths_under(data_dir) | {p for p in files if p.exists()})
        for path in (*files, *(data_dir / name for name in SECRET_KEY_FILES)):
            if path.is_file():
                state.saved[path] = path.read_bytes()
        return state

    def put_back(self) -> None:
        appeared = (_paths_under(self.data_dir) | {p for p in self.database_files if p.exists()}) - self.present
        for path in sorted(appeared, key=lambda p: len(p.parts), reverse=True):
            _remove(path)
        for path, data in self.saved.items():
            path.write_bytes(data)
