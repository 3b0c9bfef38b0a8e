"""`chapterhouse backup` and `chapterhouse restore`, on real sites: proposals with Word attachments, the mail they
queued and their audit rows, backed up while another process keeps submitting, restored into fresh databases
(SQLite, PostgreSQL, and SQLite → PostgreSQL with --to), and compared row by row and file by file."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import tarfile

import pytest

from tests.ops.sites import Site, drop_postgres_database, postgres_database

OPEN_ON = (dt.date.today() - dt.timedelta(days=7)).isoformat()


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    site = Site(tmp_path_factory.mktemp("source"))
    site.run("setup", "--demo")
    site.add_proposals(first=1, count=3)
    return site


@pytest.fixture(scope="module")
def quiet_backup(source, tmp_path_factory):
    archive = tmp_path_factory.mktemp("archives") / "quiet.tar.gz"
    done = source.run("backup", str(archive))
    assert "stored files" in done.stdout
    return archive


def restored_site(folder, archive, database_url=None, *, to=None) -> Site:
    site = Site(folder, database_url)
    done = site.run("restore", str(archive), *(["--to", to] if to else []))
    assert "Restored the backup made" in done.stdout, done.stdout
    return site


def assert_same_rows_and_files(original: Site, restored: Site) -> None:
    rows, back = original.rows(), restored.rows()
    assert back.keys() == rows.keys()
    differing = [key for key in rows if rows[key] != back[key]]
    assert differing == [], {key: {field: (rows[key].get(field), back[key].get(field)) for field in rows[key]
                                   if rows[key].get(field) != back[key].get(field)} for key in differing}
    assert restored.files() == original.files() and len(original.files()) >= 3


def assert_consistent_snapshot(restored: Site, before: dict, after: dict) -> None:
    """A backup taken while proposals kept arriving holds everything from before it began, nothing that was
    never written, each row as it was written, and for each attachment row its file with the right checksum."""
    back = restored.rows()
    assert before.keys() <= back.keys() <= after.keys()
    changed = [key for key in back if back[key] != after[key]]
    # The one row every submission updates: the call's last proposal number, as it stood at the snapshot.
    assert [key.split(":")[0] for key in changed] in ([], ["proposals.referencecounter"])
    numbers = [row["number"] for key, row in back.items() if key.startswith("proposals.proposal:")]
    counters = [row["last"] for key, row in back.items() if key.startswith("proposals.referencecounter:")]
    assert counters == [max(numbers)] and sorted(numbers) == list(range(1, max(numbers) + 1))
    files = restored.files()
    attachments = [row for key, row in back.items() if key.startswith("proposals.attachment:")]
    assert attachments and all(files.get(row["file"]) == row["sha256"] for row in attachments)
    proposals = {key.split(":")[1] for key in back if key.startswith("proposals.proposal:")}
    audited = {str(row["object_id"]) for key, row in back.items() if key.startswith("workflow.auditentry:")}
    assert proposals <= audited  # each proposal's creation was audited in the same transaction


def test_a_backup_restores_every_row_and_file_into_a_fresh_sqlite_site(source, quiet_backup, tmp_path):
    counts = {model: source.count(model) for model in ("proposals.attachment", "outbox.message", "workflow.auditentry")}
    assert all(counts.values()), counts  # the source really has attachments, mail and audit rows
    assert_same_rows_and_files(source, restored_site(tmp_path, quiet_backup))
    assert (tmp_path / "data" / "secret_key").read_text() == (source.data / "secret_key").read_text()


def test_sqlite_moves_to_postgresql_through_backup_and_restore(source, quiet_backup, tmp_path):
    target = postgres_database("restore_to")
    try:
        restored = restored_site(tmp_path, quiet_backup, target, to=target)
        assert_same_rows_and_files(source, restored)
        restored.add_proposals(first=100, count=1)  # id sequences moved past the loaded rows: new rows fit
        assert restored.count("proposals.proposal") == source.count("proposals.proposal") + 1
    finally:
        drop_postgres_database(target)


def test_backup_while_proposals_keep_arriving_sqlite(tmp_path):
    site = Site(tmp_path / "site")
    site.run("setup")
    site.run("call", "load", "calls/dscu-fms-2024.toml", "--open-on", OPEN_ON)
    site.add_proposals(first=1, count=2)
    before = site.rows()
    writer = site.start_writing(first=10, count=400)
    try:
        site.run("backup", str(tmp_path / "during.tar.gz"))
    finally:
        site.stop_writing(writer)
    after = site.rows()
    assert len(after) > len(before)  # proposals really were arriving
    assert_consistent_snapshot(restored_site(tmp_path / "restored", tmp_path / "during.tar.gz"), before, after)


def test_postgresql_backup_while_proposals_keep_arriving_and_a_quiet_one_restores_exactly(tmp_path):
    source_url, target_url, second_url = (postgres_database(n) for n in ("pg_source", "pg_during", "pg_quiet"))
    try:
        site = Site(tmp_path / "site", source_url)
        site.run("setup")
        site.run("call", "load", "calls/dscu-fms-2024.toml", "--open-on", OPEN_ON)
        site.add_proposals(first=1, count=2)
        before = site.rows()
        writer = site.start_writing(first=10, count=400)
        try:
            site.run("backup", str(tmp_path / "during.tar.gz"))
        finally:
            site.stop_writing(writer)
        after = site.rows()
        assert len(after) > len(before)
        assert_consistent_snapshot(restored_site(tmp_path / "during", tmp_path / "during.tar.gz", target_url),
                                   before, after)
        site.run("backup", str(tmp_path / "quiet.tar.gz"))
        assert_same_rows_and_files(site, restored_site(tmp_path / "quiet", tmp_path / "quiet.tar.gz", second_url))
    finally:
        for url in (source_url, target_url, second_url):
            drop_postgres_database(url)


def rewrite(archive, out, change):
    """A copy of the archive with one member's bytes changed by ``change`` (the manifest left as it was)."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(out, "w:gz") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            member.size = len(data)
            target.addfile(member, io.BytesIO(data))


def test_a_member_changed_after_the_backup_is_refused_by_name(quiet_backup, tmp_path):
    bad = tmp_path / "tampered.tar.gz"
    first_file = next(name for name in json.loads(tarfile.open(quiet_backup).extractfile("manifest.json").read())
                      ["members"] if name.startswith("files/"))
    rewrite(quiet_backup, bad, lambda name, data: data + b"x" if name == first_file else data)
    refused = Site(tmp_path).attempt("restore", str(bad))
    assert refused.returncode == 1
    assert f"{first_file}: SHA-256 does not match the manifest (the archive is damaged)" in refused.stderr
    assert not (tmp_path / "data" / "chapterhouse.sqlite3").exists() or \
        "django_migrations" not in (tmp_path / "data" / "chapterhouse.sqlite3").read_bytes().decode("latin-1")


def test_a_truncated_archive_and_a_missing_member_are_refused(quiet_backup, tmp_path):
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(quiet_backup.read_bytes()[: quiet_backup.stat().st_size // 2])
    refused = Site(tmp_path / "a").attempt("restore", str(truncated))
    assert refused.returncode == 1 and "is not a readable chapterhouse backup (.tar.gz)" in refused.stderr
    missing = tmp_path / "missing.tar.gz"
    with tarfile.open(quiet_backup, "r:gz") as source, tarfile.open(missing, "w:gz") as target:
        for member in source.getmembers():
            if member.name != "secret_key":
                target.addfile(member, source.extractfile(member))
    refused = Site(tmp_path / "b").attempt("restore", str(missing))
    assert "secret_key: listed in the manifest but missing from the archive" in refused.stderr
    assert gzip.decompress(missing.read_bytes())  # the archive itself is readable: the manifest caught it


def test_restoring_into_a_database_that_holds_data_is_refused(source, quiet_backup):
    refused = source.attempt("restore", str(quiet_backup))
    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "restore needs an empty database" in refused.stderr


def test_a_backup_never_overwrites_a_file(source, quiet_backup):
    refused = source.attempt("backup", str(quiet_backup))
    assert refused.returncode == 1 and "already exists" in refused.stderr


def test_an_archive_with_a_name_reaching_outside_is_refused_and_nothing_is_written_there(quiet_backup, tmp_path):
    hostile = tmp_path / "hostile.tar.gz"
    with tarfile.open(quiet_backup, "r:gz") as source, tarfile.open(hostile, "w:gz") as target:
        for member in source.getmembers():
            target.addfile(member, source.extractfile(member))
        evil = tarfile.TarInfo("../../escaped.txt")
        evil.size = 4
        target.addfile(evil, io.BytesIO(b"evil"))
    refused = Site(tmp_path / "site").attempt("restore", str(hostile))
    assert refused.returncode == 1 and "../../escaped.txt: not a plain file inside the archive" in refused.stderr
    assert not list(tmp_path.rglob("escaped.txt"))
