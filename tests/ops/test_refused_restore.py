"""Issue 18 §4: a refused `chapterhouse restore` leaves the target as it found it.

Restoring a damaged archive was refused (good) but left an empty SQLite file and a new secret key in the target
folder. Here the archives are made by hand, so each refusal is reached fast: one that is not an archive at all,
one whose member does not match its manifest, and one whose manifest is right but whose database snapshot is
not a database (refused only after the database file had been replaced).
"""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path

from tests.ops.sites import Site, drop_postgres_database, postgres_database


def archive_of(path: Path, members: dict[str, bytes], manifest_members: dict[str, bytes] | None = None) -> Path:
    """A chapterhouse-shaped backup: ``members`` and a manifest listing ``manifest_members`` (default: the same)."""
    listed = manifest_members if manifest_members is not None else members
    manifest = {"format": 1, "created_at": "2026-12-01T10:00:00+00:00", "database": "sqlite", "migrations": [],
                "stored_files": 0, "members": {name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
                                               for name, data in listed.items()}}
    with tarfile.open(path, "w:gz") as archive:
        for name, data in {"manifest.json": json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


def state(folder: Path) -> dict[str, bytes | None]:
    """Every path under ``folder`` with its bytes (None for a folder); {} when the folder does not exist."""
    if not folder.exists():
        return {}
    return {p.relative_to(folder).as_posix(): (p.read_bytes() if p.is_file() else None) for p in folder.rglob("*")}


MEMBERS = {"database/chapterhouse.sqlite3": b"SQLite format 3\x00" + b"\x00" * 84 + b"not really a database" * 50,
           "secret_key": b"k" * 60, "database/data.json": b"[]"}


def test_a_damaged_archive_leaves_a_folder_that_did_not_exist_absent(tmp_path):
    site = Site(tmp_path / "site")
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"\x1f\x8b" + b"not gzip at all" * 100)
    refused = site.attempt("restore", str(bad))
    assert refused.returncode == 1 and "is not a readable chapterhouse backup" in refused.stderr, refused.stderr
    assert not site.data.exists(), sorted(state(site.data))


def test_a_member_that_fails_its_checksum_leaves_an_existing_folder_as_it_was(tmp_path):
    site = Site(tmp_path / "site")
    site.data.mkdir(parents=True)
    (site.data / "secret_key").write_text("the-press-own-key-" * 4)
    (site.data / "README.txt").write_text("Restore the March backup here.")
    before = state(site.data)
    tampered = archive_of(tmp_path / "tampered.tar.gz", {**MEMBERS, "secret_key": b"changed"}, MEMBERS)
    refused = site.attempt("restore", str(tampered))
    assert refused.returncode == 1 and "secret_key: SHA-256 does not match the manifest" in refused.stderr
    assert state(site.data) == before


def test_a_snapshot_that_is_not_a_database_is_refused_after_the_swap_and_undone(tmp_path):
    site = Site(tmp_path / "site")
    site.data.mkdir(parents=True)
    (site.data / "README.txt").write_text("Restore the March backup here.")
    before = state(site.data)
    refused = site.attempt("restore", str(archive_of(tmp_path / "broken.tar.gz", MEMBERS)))
    assert refused.returncode == 1, refused.stderr
    assert "the SQLite snapshot in the archive" in refused.stderr and "Traceback" not in refused.stderr
    assert state(site.data) == before


def test_a_postgresql_target_is_left_without_the_tables_a_failed_load_made(tmp_path):
    """SQLite → PostgreSQL: the schema is migrated before the rows load; rows that do not load leave no tables."""
    import psycopg

    url = postgres_database("refused_restore")
    try:
        site = Site(tmp_path / "site", url)
        broken = {**MEMBERS, "database/data.json": b'[{"model": "proposals.proposal", "pk": 1, "fields": {"x": 1}}]'}
        refused = site.attempt("restore", str(archive_of(tmp_path / "rows.tar.gz", broken)))
        assert refused.returncode == 1 and "Traceback" not in refused.stderr, refused.stderr
        assert "rows do not load" in refused.stderr and "left as it was found" in refused.stderr
        with psycopg.connect(url) as connection:
            tables = connection.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'").fetchall()
        assert tables == []
        assert not site.data.exists(), sorted(state(site.data))
    finally:
        drop_postgres_database(url)
