"""What several chapter views share: the roles that may read a chapter, files served safely, refusals shown."""

from __future__ import annotations

from django.http import FileResponse, Http404

from chapterhouse.accounts.roles import EDITOR, PRODUCTION, SECURITY_REVIEWER
from chapterhouse.chapters.access import OWNER

READERS = {OWNER, EDITOR, SECURITY_REVIEWER, PRODUCTION}
EDITORS = {EDITOR}
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def serve_file(field, download_name: str, content_type: str = WORD) -> FileResponse:
    if not field:
        raise Http404("No file.")
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    response = FileResponse(handle, as_attachment=True, filename=download_name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
