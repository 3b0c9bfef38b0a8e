"""`chapterhouse backup` and `chapterhouse restore`: one .tar.gz holding a consistent snapshot of the database,
every stored file, the secret key and a manifest with the SHA-256 of each member.

The database is copied while the server keeps running: SQLite through its online backup API (a page-by-page
copy that restarts when a writer changes a page under it), PostgreSQL with ``pg_dump`` (one transaction
snapshot). The database goes first and the files second: stored files are never changed or removed once
written, so every file a snapshot row names is already there when the files are copied.

A SQLite archive also carries the data as Django's portable JSON (``dumpdata`` of the snapshot, with times to the
microsecond: :mod:`chapterhouse.ops.exactjson`) so that it can be restored into PostgreSQL
(``restore --to postgres://…``): a press starts on SQLite and outgrows it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_SNAPSHOT = "database/chapterhouse.sqlite3"
POSTGRES_DUMP = "database/postgres.dump"
PORTABLE_DATA = "database/data.json"
SECRET_KEY = "secret_key"
FILES = "files/"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What is wrong, said so that the person running the command can act on it."""


@dataclass(frozen=True)
class Summary:
    archive: Path
    vendor: str
    members: int
    stored_files: int
    size: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


# --- backup ---------------------------------------------------------------------------------------------------

def backup(out: Path) -> Summary:
    from django.conf import settings
    from django.db import connection

    out = Path(out).resolve()
    if out.exists():
        raise BackupError(f"{out} already exists; choose a new file name (a backup never overwrites another).")
    if not out.parent.is_dir():
        raise BackupError(f"{out.parent} is not a folder.")
    vendor = connection.vendor
    with tempfile.TemporaryDirectory(prefix="chapterhouse-backup-", dir=out.parent) as work:
        stage = Path(work)
        (stage / "database").mkdir()
        if vendor == "sqlite":
            snapshot = stage / SQLITE_SNAPSHOT
            sqlite_snapshot(Path(settings.DATABASES["default"]["NAME"]), snapshot)
            portable_dump(f"sqlite:///{snapshot}", stage / PORTABLE_DATA)
        elif vendor == "postgresql":
            pg_dump(settings.DATABASES["default"], stage / POSTGRES_DUMP)
        else:
            raise BackupError(f"backups of a {vendor} database are not supported (SQLite and PostgreSQL are).")
        stored = copy_stored_files(stage / FILES)
        (stage / SECRET_KEY).write_text(settings.SECRET_KEY)
        members = sorted(p.relative_to(stage).as_posix() for p in stage.rglob("*") if p.is_file())
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "database": vendor,
            "migrations": applied_migrations(),
            "stored_files": stored,
            "members": {name: {"sha256": sha256_of(stage / name), "size": (stage / name).stat().st_size}
                        for name in members},
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = out.with_name(out.name + ".part")
        with tarfile.open(partial, "w:gz") as archive:
            for name in [MANIFEST, *members]:
                archive.add(stage / name, arcname=name, recursive=False)
        partial.chmod(0o600)  # it holds the secret key and every author's data
        partial.replace(out)
    return Summary(out, vendor, len(members), stored, out.stat().st_size)


def sqlite_snapshot(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy while other connections keep writing."""
    with sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30) as live, sqlite3.connect(target) as copy:
        live.backup(copy, pages=256, sleep=0.005)
    copy.close()
    live.close()


def portable_dump(database_url: str, target: Path) -> None:
    """Django's own JSON of every model row, read from the snapshot by a child process pointed at it."""
    env = {**os.environ, "DATABASE_URL": database_url,
           "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "chapterhouse.settings")}
    done = subprocess.run([sys.executable, "-m", "django", "dumpdata", "--all", "--indent", "0",
                           "--format", "exactjson", "--output", str(target)], env=env, capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"could not write the portable copy of the data: {done.stderr.strip()[-2000:]}")


def postgres_env(database: dict) -> dict[str, str]:
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def pg_dump(database: dict, target: Path) -> None:
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed; install PostgreSQL's client tools (Debian: postgresql-client-15).")
    done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={target}",
                           database["NAME"]], env=postgres_env(database), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_dump failed: {done.stderr.strip()}")


def stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file in a Django storage (local folder or S3), by its storage name."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_names(storage, f"{folder}/{sub}" if folder else sub)


def copy_stored_files(target: Path) -> int:
    from django.core.files.storage import default_storage

    count = 0
    for name in stored_names(default_storage):
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)
        count += 1
    return count


def applied_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    if not MigrationRecorder(connection).has_table():
        return []
    return sorted(f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations())


# --- verify ---------------------------------------------------------------------------------------------------

def unpack_plain_files(archive: tarfile.TarFile, into: Path) -> None:
    """Only plain files under ``into``: a link, a device or a name reaching outside is refused, not unpacked.
    (By hand, because tarfile's ``filter="data"`` is missing from Debian 12's Python 3.11.2.)"""
    for member in archive:
        name = PurePosixPath(member.name)
        if member.isdir():
            continue
        if not member.isfile() or name.is_absolute() or ".." in name.parts:
            raise BackupError(f"{member.name}: not a plain file inside the archive; a chapterhouse backup holds "
                              "nothing else, so the archive is refused")
        target = into.joinpath(*name.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        with archive.extractfile(member) as source, target.open("wb") as copy:
            shutil.copyfileobj(source, copy, CHUNK)


def verify(archive_path: Path, into: Path) -> dict:
    """Unpacks into ``into`` and checks every member against the manifest; names each problem found."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(f"{archive_path}: no such file.")
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            unpack_plain_files(archive, into)
    except (tarfile.TarError, OSError, EOFError, ValueError, zlib.error) as error:
        raise BackupError(f"{archive_path} is not a readable chapterhouse backup (.tar.gz): {error}") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
        listed = manifest["members"]
    except (OSError, ValueError, KeyError, TypeError):
        raise BackupError(f"{archive_path}: {MANIFEST} is missing or unreadable; this is not a chapterhouse backup.") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive_path}: backup format {manifest.get('format')!r}; this chapterhouse reads format {FORMAT}.")
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    problems = [f"{name}: listed in the manifest but missing from the archive" for name in sorted(set(listed) - present)]
    problems += [f"{name}: in the archive but not in the manifest" for name in sorted(present - set(listed))]
    for name in sorted(set(listed) & present):
        if sha256_of(into / name) != listed[name]["sha256"]:
            problems.append(f"{name}: SHA-256 does not match the manifest (the archive is damaged)")
    if problems:
        raise BackupError(f"{archive_path} is damaged; nothing was restored:\n  " + "\n  ".join(problems))
    return manifest


# --- restore --------------------------------------------------------------------------------------------------

def restore(archive_path: Path) -> dict:
    """Restores into the configured (empty) database and data folder; refuses anything already holding data."""
    from django.core.files.storage import default_storage
    from django.db import connection

    refuse_unless_empty(connection, default_storage)
    try:
        return restore_into_empty(archive_path)
    except BaseException:
        if connection.vendor == "postgresql":
            drop_every_table(connection)
        raise  # a SQLite target is put back by the command (ops/restoretarget.py), with the data folder


def restore_into_empty(archive_path: Path) -> dict:
    from django.conf import settings
    from django.core.files.storage import default_storage
    from django.db import connection

    with tempfile.TemporaryDirectory(prefix="chapterhouse-restore-", dir=settings.DATA_DIR) as work:
        unpacked = Path(work)
        manifest = verify(archive_path, unpacked)
        source, target = manifest["database"], connection.vendor
        if source == "sqlite" and target == "sqlite":
            restore_sqlite_file(unpacked / SQLITE_SNAPSHOT, Path(settings.DATABASES["default"]["NAME"]))
        elif source == "postgresql" and target == "postgresql":
            pg_restore(settings.DATABASES["default"], unpacked / POSTGRES_DUMP)
        elif source == "sqlite" and target == "postgresql":
            load_portable(unpacked / PORTABLE_DATA)
        else:
            raise BackupError(f"a {source} backup cannot be restored into {target}; restore it into {source}.")
        restored = put_back_stored_files(unpacked / FILES.rstrip("/"), default_storage)
        key_note = put_back_secret_key((unpacked / SECRET_KEY).read_text(), Path(settings.DATA_DIR))
    return {"database": f"{source} → {target}", "stored_files": restored, "secret_key": key_note,
            "created_at": manifest["created_at"]}


def drop_every_table(connection) -> None:
    """Empties again a PostgreSQL database that a failed restore had begun to fill; call only after
    :func:`refuse_unless_empty` found it with no tables."""
    from django.db import connections

    connections.close_all()
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(table)} CASCADE")


def refuse_unless_empty(connection, storage) -> None:
    tables = connection.introspection.table_names()
    if tables:
        shown = ", ".join(sorted(tables)[:5]) + (", …" if len(tables) > 5 else "")
        raise BackupError(f"the database {connection.settings_dict['NAME']} is not empty ({len(tables)} tables: "
                          f"{shown}); restore needs an empty database, so nothing existing is overwritten.")
    first = next(stored_names(storage), None)
    if first:
        raise BackupError(f"the file store already holds files (e.g. {first}); restore needs an empty one.")


def restore_sqlite_file(snapshot: Path, target: Path) -> None:
    from django.db import connections

    connections.close_all()
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".restoring")
    shutil.copyfile(snapshot, partial)
    try:
        with sqlite3.connect(partial) as check:
            verdict = check.execute("PRAGMA integrity_check").fetchone()[0]
        check.close()
    except sqlite3.DatabaseError as error:
        verdict = str(error)
    if verdict != "ok":
        partial.unlink()
        raise BackupError(f"the SQLite snapshot in the archive fails SQLite's integrity check ({verdict}).")
    partial.replace(target)


def pg_restore(database: dict, dump: Path) -> None:
    from django.db import connections

    connections.close_all()
    if not shutil.which("pg_restore"):
        raise BackupError("pg_restore is not installed; install PostgreSQL's client tools (Debian: postgresql-client-15).")
    done = subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
                           f"--dbname={database['NAME']}", str(dump)],
                          env=postgres_env(database), capture_output=True, text=True)
    if done.returncode:
        raise BackupError(f"pg_restore failed: {done.stderr.strip()}")


def load_portable(data: Path) -> None:
    """Creates the schema with this version's migrations, empties what migrate itself filled in (content types,
    permissions), loads every row with its own primary key, and moves the id sequences past the loaded rows."""
    from django.apps import apps
    from django.core.management import call_command
    from django.core.management.color import no_style
    from django.db import connection, transaction

    call_command("migrate", interactive=False, verbosity=0)
    call_command("createcachetable", verbosity=0)
    with transaction.atomic():
        tables = [m._meta.db_table for m in apps.get_models(include_auto_created=True) if m._meta.managed]
        with connection.cursor() as cursor:
            for statement in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
                cursor.execute(statement)
        try:
            call_command("loaddata", str(data), verbosity=0)
        except Exception as error:  # DeserializationError, IntegrityError, …: said in one line, not a traceback
            raise BackupError(f"the archive's rows do not load into this version's schema: "
                              f"{str(error).strip().splitlines()[-1][:300]}") from None
        models = list(apps.get_models(include_auto_created=True))
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)


def put_back_stored_files(folder: Path, storage) -> int:
    from django.core.files import File

    if not folder.is_dir():
        return 0
    saved_names: list[str] = []
    try:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            name = PurePosixPath(path.relative_to(folder).as_posix())
            with path.open("rb") as stream:
                saved = storage.save(str(name), File(stream))
            saved_names.append(saved)
            if saved != str(name):
                raise BackupError(f"{name}: the file store renamed it to {saved}; is another process writing to it?")
    except BaseException:
        for saved in saved_names:  # the store was empty before (refuse_unless_empty): leave it so
            storage.delete(saved)
        raise
    return len(saved_names)


def put_back_secret_key(key: str, data_dir: Path) -> str:
    """Sessions, password-reset links and signed values made before the backup keep working with the same key."""
    if os.environ.get("SECRET_KEY"):
        if os.environ["SECRET_KEY"] == key:
            return "the SECRET_KEY in the environment is the one in the backup"
        kept = data_dir / "secret_key.restored"
        kept.write_text(key)
        kept.chmod(0o600)
        return (f"the SECRET_KEY in the environment differs from the backup's; the backup's is in {kept}: "
                "put it in the environment, or sessions and password-reset links from before stop working")
    key_file = data_dir / "secret_key"
    key_file.write_text(key)
    key_file.chmod(0o600)
    return f"restored into {key_file}"


def describe(summary: Summary) -> Iterator[str]:
    size = f"{summary.size / 1e6:.1f} MB" if summary.size >= 1e6 else f"{summary.size / 1e3:.0f} kB"
    yield (f"Wrote {summary.archive} ({size}): {summary.vendor} snapshot, {summary.stored_files} stored files, "
           f"secret key, manifest of {summary.members} SHA-256 checksums.")
