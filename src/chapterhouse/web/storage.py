"""File storage that never leaves half a file behind, and cleanup for files whose transaction rolled back.

Django's FileSystemStorage writes straight into the final name, so a full disk or a killed process leaves a
partial file there (nine orphans were found after a disk filled). Here bytes go to a hidden temporary file in
the same folder, are flushed to disk, and only then appear under their name (a hard link, which like
O_EXCL refuses to overwrite); the temporary file is removed whatever happens.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager

from django.core.files.storage import FileSystemStorage

PARTIAL_PREFIX = ".partial-"


class AtomicFileSystemStorage(FileSystemStorage):
    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        os.makedirs(directory, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=directory, prefix=PARTIAL_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out:
                for chunk in content.chunks():
                    out.write(chunk if isinstance(chunk, bytes) else chunk.encode())
                out.flush()
                os.fsync(out.fileno())
            while True:
                try:
                    os.link(temporary, full_path)
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
        finally:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
        if self.file_permissions_mode is not None:
            os.chmod(full_path, self.file_permissions_mode)
        return os.path.relpath(full_path, self.location).replace(os.sep, "/")


@contextmanager
def files_kept_only_on_success(storage):
    """Yields a list; names appended to it are deleted from ``storage`` if the block raises (a rollback)."""
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            try:
                storage.delete(name)
            except OSError:
                pass  # `chapterhouse doctor` finds what could not be removed now
        raise
