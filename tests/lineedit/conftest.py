"""Chapters ready for copyediting (the clearance fixtures) and a copyedited file as a copyeditor sends it."""

import pytest

from tests.clearance.conftest import chapter_file, final_chapter, store_version, volume  # noqa: F401  (fixtures)
from tests.production.volume_factory import add_comment, add_tracked_changes


@pytest.fixture
def copyedited(tmp_path):
    path = tmp_path / "copyedit.docx"
    path.write_bytes(chapter_file())
    add_tracked_changes(path)
    add_comment(path, "AU: please confirm the number of aircraft.")
    return path.read_bytes()


def upload(client, chapter, data, name="copyedit.docx", note=""):
    import io

    from django.urls import reverse

    handle = io.BytesIO(data)
    handle.name = name
    return client.post(reverse("copyedit_upload", args=[chapter.pk]), {"file": handle, "note": note})
