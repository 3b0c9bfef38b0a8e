"""An attachment kept while its form is shown again with errors, so nobody has to choose the file twice.

Browsers cannot refill a file input, so a feedback form that failed on its date would lose the annotated
chapter. A file that passed the marking check (a refused one is never written) is stored under ``held/`` and the
form carries a signed token naming it, bound to the person who uploaded it; the next submission takes it.
``chapterhouse doctor`` removes held files that nothing took, once they are an hour old.
"""

from __future__ import annotations

import secrets

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from chapterhouse.web.doctor import CHECKED_FOLDERS

FOLDER = "held"
CHECKED_FOLDERS[FOLDER] = "attachments kept for a form shown again"
_SALT = "chapterhouse.chapters.held"
MAX_AGE_SECONDS = 24 * 3600


def hold(user, name: str, data: bytes) -> str:
    """Stores ``data`` and returns the token the form carries to get it back."""
    stored = default_storage.save(f"{FOLDER}/{secrets.token_hex(16)}.bin", ContentFile(data))
    return signing.dumps({"user": user.pk, "path": stored, "name": name}, salt=_SALT)


def describe(user, token: str) -> str:
    """The file name a valid token holds, for the form to show; empty when the token is not this person's."""
    held = _open(user, token)
    return held["name"] if held else ""


def read(user, token: str) -> tuple[str, bytes] | None:
    """The held file's name and bytes; None for a missing, altered or foreign token."""
    held = _open(user, token)
    if held is None:
        return None
    with default_storage.open(held["path"], "rb") as handle:
        return held["name"], handle.read()


def release(user, token: str) -> None:
    """Removes the held file once what it was kept for is stored."""
    held = _open(user, token)
    if held is not None:
        default_storage.delete(held["path"])


def _open(user, token: str) -> dict | None:
    if not token:
        return None
    try:
        held = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    if held.get("user") != user.pk or not str(held.get("path", "")).startswith(f"{FOLDER}/"):
        return None
    return held if default_storage.exists(held["path"]) else None
