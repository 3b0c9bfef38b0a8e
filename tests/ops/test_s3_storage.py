"""Stored files in an S3-compatible object store (django-storages' S3 backend) when CHAPTERHOUSE_STORAGE=s3://…,
against moto's S3 server on loopback: uploads land there and nowhere on local disk, come back through the
permission-checked download, and travel through backup and restore."""

from __future__ import annotations

import hashlib

import pytest
from django.urls import reverse

from chapterhouse.ops.storage import StorageURLError, default_storage_setting
from chapterhouse.proposals.attachments import inspect_attachment
from tests.fixtures.files import word_file
from tests.ops.objectstore import CREDENTIALS, objects, s3_client, s3_server
from tests.ops.sites import Site


def test_no_setting_keeps_files_in_the_data_folder():
    assert default_storage_setting(None) == {"BACKEND": "chapterhouse.web.storage.AtomicFileSystemStorage"}


def test_an_s3_url_names_the_bucket_prefix_and_endpoint():
    setting = default_storage_setting("s3://press-files/chapterhouse?endpoint_url=http://127.0.0.1:9000&region=eu-west-1")
    assert setting["BACKEND"] == "storages.backends.s3.S3Storage"
    assert setting["OPTIONS"] == {"bucket_name": "press-files", "location": "chapterhouse", "default_acl": None,
                                  "file_overwrite": False, "querystring_auth": True,
                                  "endpoint_url": "http://127.0.0.1:9000", "region_name": "eu-west-1"}


@pytest.mark.parametrize("url,message", [
    ("ftp://files", "expected s3://BUCKET"),
    ("s3://", "expected s3://BUCKET"),
    ("s3://bucket?secret=x", "unknown option 'secret'"),
])
def test_a_wrong_storage_url_says_what_is_expected(url, message):
    with pytest.raises(StorageURLError, match=message):
        default_storage_setting(url)


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory):
    with s3_server(tmp_path_factory.mktemp("moto")) as url:
        yield url


@pytest.fixture
def s3_settings(settings, endpoint, monkeypatch):
    for name, value in CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    s3_client(endpoint).create_bucket(Bucket="uploads")
    settings.STORAGES = {**settings.STORAGES,
                         "default": default_storage_setting(f"s3://uploads/files?endpoint_url={endpoint}")}
    return settings


@pytest.mark.django_db
def test_an_attachment_is_stored_in_the_bucket_and_downloaded_through_chapterhouse(client, people, make_proposal,
                                                                                    s3_settings, endpoint):
    outline = word_file("An outline kept in the object store.")
    proposal = make_proposal(
        people["author_a"], attachment_name="outline.docx", attachment_bytes=outline,
        inspected_attachment=inspect_attachment("outline.docx", outline, ["docx"], 10**7))
    stored = objects(endpoint, "uploads")
    [key] = [k for k in stored if k.startswith("files/")]
    assert stored[key] == outline and key == f"files/{proposal.attachment.file.name}"
    assert not [p for p in s3_settings.MEDIA_ROOT.rglob("*") if p.is_file()]  # nothing on local disk
    client.force_login(people["author_a"])
    response = client.get(reverse("proposal_attachment", args=[proposal.reference]))
    assert response.status_code == 200 and b"".join(response.streaming_content if response.streaming else [response.content]) == outline
    client.force_login(people["author_b"])
    assert client.get(reverse("proposal_attachment", args=[proposal.reference])).status_code == 404


def test_backup_takes_the_objects_and_restore_puts_them_in_an_empty_bucket(endpoint, tmp_path):
    buckets = s3_client(endpoint)
    buckets.create_bucket(Bucket="press")
    buckets.create_bucket(Bucket="press-restored")
    storage = {**CREDENTIALS, "CHAPTERHOUSE_STORAGE": f"s3://press/files?endpoint_url={endpoint}"}
    site = Site(tmp_path / "site", extra=storage)
    site.run("setup")
    site.run("call", "load", "calls/dscu-fms-2024.toml", "--open-on", "2026-01-01")
    site.add_proposals(first=1, count=2)
    assert site.files() == {} and len(objects(endpoint, "press")) == 2  # nothing on local disk
    done = site.run("backup", str(tmp_path / "s3.tar.gz"))
    assert "2 stored files" in done.stdout
    restored = Site(tmp_path / "restored",
                    extra={**storage, "CHAPTERHOUSE_STORAGE": f"s3://press-restored/files?endpoint_url={endpoint}"})
    assert "2 stored files" in restored.run("restore", str(tmp_path / "s3.tar.gz")).stdout

    def digests(bucket):
        return {key: hashlib.sha256(data).hexdigest() for key, data in objects(endpoint, bucket).items()}

    assert digests("press-restored") == digests("press")
    assert restored.rows() == site.rows()
