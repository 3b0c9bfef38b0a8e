"""What counts as a full disk (web/storagefull.py): ENOSPC or a quota, raised directly or as the cause of another
error, or a database saying its disk is full; anything else stays an internal error."""

import errno
import sqlite3

import pytest
from django.db import OperationalError

from chapterhouse.web.storagefull import storage_full


def caused_by(cause: BaseException) -> Exception:
    try:
        try:
            raise cause
        except BaseException as inner:
            raise RuntimeError("saving the upload failed") from inner
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize("error", [
    OSError(errno.ENOSPC, "No space left on device"),
    OSError(errno.EDQUOT, "Disk quota exceeded"),
    caused_by(OSError(errno.ENOSPC, "No space left on device")),
    OperationalError("database or disk is full"),
    caused_by(sqlite3.OperationalError("database or disk is full")),
])
def test_a_full_disk_is_recognised(error):
    assert storage_full(error)


@pytest.mark.parametrize("error", [
    OSError(errno.EACCES, "Permission denied"),
    OperationalError("database is locked"),
    ValueError("disk is full"),  # words alone, from code that is not the database, are not the disk
    caused_by(KeyError("x")),
])
def test_other_errors_are_not(error):
    assert not storage_full(error)
