"""A full disk is an operational problem, not a bug: the person is told the site cannot store files now and
that nothing was kept, what they typed is given back, and the log says "storage full" in one line (no traceback).

Stored files are written by ``web/storage.py`` inside the transaction that records them, so a write that fails
rolls everything back: nothing is half-stored. The forms people type most into (the proposal form, a chapter
upload) catch it themselves and show the form again, filled in, with the message; :class:`StorageFullMiddleware`
answers for every other path (review-session slides, permission documents, annotated chapters, covers, …) with a
page listing what was typed. ``/healthz``
warns before the disk fills (``ops/health.py``, ``CHAPTERHOUSE_MIN_FREE_DISK_MB``).
"""

from __future__ import annotations

import errno
import logging

from django.shortcuts import render

logger = logging.getLogger("chapterhouse.operations")

FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}
DATABASE_FULL = ("database or disk is full", "no space left on device", "could not extend file")
MESSAGE = ("The site cannot store files at the moment: its storage is full. Nothing you sent was kept, and nothing "
           "was half-saved. What you typed is still here; please try again later. The site's administrators have "
           "been told.")
STATUS = 507  # Insufficient Storage
NOT_ECHOED = {"csrfmiddlewaretoken", "password", "new_password1", "new_password2", "submission_token", "website",
              "kind", "id"}


def storage_full(error: BaseException | None) -> bool:
    """Whether ``error`` (or what caused it) is a full disk or quota: ENOSPC/EDQUOT, or a database saying so."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, OSError) and error.errno in FULL_ERRNOS:
            return True
        if type(error).__module__.startswith(("django.db", "sqlite3", "psycopg")) and \
                any(text in str(error).lower() for text in DATABASE_FULL):
            return True
        error = error.__cause__ or error.__context__
    return False


def log_storage_full(request, error: BaseException) -> None:
    """One line for the operator, at error level because someone must free space; no traceback."""
    logger.error("storage full: could not store what %s %s sent (%s); nothing was kept",
                 request.method, request.path, error, extra={"operational": True, "status_code": STATUS})


def typed_fields(request) -> list[tuple[str, str]]:
    """What the person typed (never files, passwords or tokens), to give back on the page, each under its field's
    name made readable ("permission-new-rights_holder" → "Rights holder")."""
    return [(name.rsplit("-", 1)[-1].replace("_", " ").capitalize(), value)
            for name, values in request.POST.lists() if name not in NOT_ECHOED for value in values if value.strip()]


class StorageFullMiddleware:
    """Turns a full disk anywhere in a request into the 507 page instead of a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not storage_full(exception):
            return None
        log_storage_full(request, exception)
        return render(request, "507.html", {"message": MESSAGE, "typed": typed_fields(request)}, status=STATUS)


def refused_for_full_storage(request, error: BaseException, form) -> bool:
    """For a form view's ``except``: when ``error`` is a full disk, logs it, puts the message on ``form`` (shown
    again with what was typed) and returns True; otherwise False, and the caller re-raises."""
    if not storage_full(error):
        return False
    log_storage_full(request, error)
    form.add_error(None, MESSAGE)
    return True
