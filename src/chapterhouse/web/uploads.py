"""Keeps uploads in memory, never in a temporary file, and stops storing bytes past the size limit.

An attachment that turns out to carry classification markings must never touch the disk, so the default
handler (which spills files over 2.5 MB to /tmp) is replaced. A file over the limit is drained and dropped,
and the form reports its real size instead of failing the whole request.
"""

from __future__ import annotations

import io

from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile, UploadedFile
from django.core.files.uploadhandler import FileUploadHandler


class OversizeUpload(UploadedFile):
    """Stands in for a file that was too large to keep: its name and size, no content."""

    def __init__(self, name: str, size: int, content_type: str | None):
        super().__init__(file=io.BytesIO(b""), name=name, content_type=content_type, size=size)


class CappedMemoryUploadHandler(FileUploadHandler):
    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.limit = settings.CHAPTERHOUSE_MAX_UPLOAD_MB * 1024 * 1024
        self.buffer = io.BytesIO()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received <= self.limit:
            self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        if self.received > self.limit:
            self.buffer = io.BytesIO()
            return OversizeUpload(self.file_name, self.received, self.content_type)
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
