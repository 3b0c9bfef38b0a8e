"""``chapterhouse backup OUT.tar.gz`` and ``chapterhouse restore IN.tar.gz [--to DATABASE_URL]``."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def register(subparsers) -> None:
    backup = subparsers.add_parser(
        "backup", help="write a consistent snapshot of the database, every stored file and the secret key "
                       "to one .tar.gz, with SHA-256 checksums (safe while the server runs)")
    backup.add_argument("out", type=Path, help="the archive to write, e.g. backups/chapterhouse-2026-11-30.tar.gz")
    backup.set_defaults(handler=run_backup)

    restore = subparsers.add_parser(
        "restore", help="restore a backup into an empty database and data folder, after checking every checksum")
    restore.add_argument("archive", type=Path)
    restore.add_argument("--to", metavar="DATABASE_URL",
                         help="restore into this database instead of the configured one, e.g. to move from "
                              "SQLite to postgres://user@host/chapterhouse (it must be empty)")
    restore.set_defaults(handler=run_restore)


def run_backup(args) -> int:
    from chapterhouse.web.cli import setup_django

    setup_django()
    from chapterhouse.ops.backup import BackupError, backup, describe

    try:
        summary = backup(args.out)
    except BackupError as error:
        print(f"chapterhouse backup: {error}", file=sys.stderr)
        return 1
    for line in describe(summary):
        print(line)
    return 0


def run_restore(args) -> int:
    if args.to:
        os.environ["DATABASE_URL"] = args.to  # read by the settings, which load next
    from chapterhouse.ops.backup import BackupError  # plain Python: loads no settings
    from chapterhouse.ops.places import data_dir, database_url, sqlite_file
    from chapterhouse.ops.restoretarget import TargetState

    target = TargetState.take(data_dir(), sqlite_file(database_url()))  # before the settings create anything
    try:
        result = restore_after_setup(args.archive)
    except BaseException as error:
        close_connections()
        target.put_back()
        if not isinstance(error, BackupError):
            raise
        print(f"chapterhouse restore: {error}\nThe target was left as it was found.", file=sys.stderr)
        return 1
    print(f"Restored the backup made {result['created_at']} ({result['database']}), "
          f"{result['stored_files']} stored files; secret key {result['secret_key']}.")
    print("Next: `chapterhouse setup` applies any newer migrations; then start the server and the worker.")
    return 0


def restore_after_setup(archive: Path) -> dict:
    from chapterhouse.web.cli import setup_django

    setup_django()
    from chapterhouse.ops.backup import restore

    return restore(archive)


def close_connections() -> None:
    """So that a SQLite file made by this process can be removed (nothing to close if Django never loaded)."""
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()
