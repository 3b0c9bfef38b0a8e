"""Refuses a request body larger than the one attachment allows, before any of it is read.

The attachment handler caps one file, but without a cap on the whole body one anonymous POST with dozens of
file parts filled the server's memory. Waitress applies the same cap (``max_request_body_size``) for bodies
without a Content-Length; this middleware answers the common case with a page that says what happened.
"""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.http import HttpResponse

# Room for the form's text fields (at most DATA_UPLOAD_MAX_MEMORY_SIZE) and multipart framing.
MARGIN_BYTES = 3 * 1024 * 1024


def max_request_bytes() -> int:
    return settings.CHAPTERHOUSE_MAX_UPLOAD_MB * 1024 * 1024 + MARGIN_BYTES


def too_large_response(request) -> HttpResponse:
    """The 413 page: rendered without the session, user or anything the request sent."""
    page = render_to_string("413.html", {"max_upload_mb": settings.CHAPTERHOUSE_MAX_UPLOAD_MB})
    response = HttpResponse(page, status=413)
    response["Connection"] = "close"  # the unread body is not worth draining
    return response


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > max_request_bytes():
            return too_large_response(request)
        return self.get_response(request)
