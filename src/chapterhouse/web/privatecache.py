"""Pages behind log-in rendered once per person and served again until anything on the site changes.

A page a signed-in person fetches again with nothing written in between is the same page: the desk list an editor
returns to, the board, a chapter page after a download. The key is the person's whole session (its key and a hash
of its data, which hold who they are, the hash of their password and their CSRF secret), the CSRF cookie, the
view, scheme, host, path with query, the ``Accept`` header, this minute and today's date, and the site stamp: a
token a watcher on every database connection replaces in the same transaction as any write to a table some page
shows (``pagecache.py``: everything but sessions, rate counters, the worker's heartbeat and the cache). So a
change anyone makes, a changed role, a new password or a log-out all miss, and what a page says about time ("due
in 3 days", "late") is never more than a minute old.

A hit costs two queries (the session, the stamp) and no template. A response is kept only when it is a whole 200
HTML or JSON page, its view wrote nothing to the session, added no message and set no cookie, and either the
request brought its CSRF cookie or the view asked for no token (a page must not hand out a token for a secret
the browser never receives). Nothing is served or kept while a message waits to be shown. Each process keeps
``CHAPTERHOUSE_PRIVATE_PAGE_BYTES`` of copies (0 turns the cache off); views that read something beyond the
database and the clock opt out with ``@not_kept`` (``/healthz``); the admin is never kept.
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.signals import setting_changed
from django.utils import timezone

from chapterhouse.web.pagecache import SITE, PageStore, current_stamp

KEPT_TYPES = ("text/html", "application/json")
EXEMPT_MODULES = ("django.contrib.admin.",)  # Django's own views, which cannot carry @not_kept

pages = PageStore(size=4096, max_bytes=settings.CHAPTERHOUSE_PRIVATE_PAGE_BYTES)


def _reread_limit(**kwargs) -> None:
    pages.clear()
    pages.max_bytes = settings.CHAPTERHOUSE_PRIVATE_PAGE_BYTES


setting_changed.connect(_reread_limit, dispatch_uid="chapterhouse.web.privatecache")


def not_kept(view):
    """Mark a view whose page depends on more than the database, the session and the clock."""

    @wraps(view)
    def marked(*args, **kwargs):
        return view(*args, **kwargs)

    marked.kept_privately = False
    return marked


def _session_digest(session) -> str:
    items = sorted(session.items(), key=lambda item: item[0])
    return hashlib.blake2b(repr(items).encode(), digest_size=16).hexdigest()


def _key(request, view_func, stamp: str) -> tuple:
    now = timezone.now()
    return (request.session.session_key, _session_digest(request.session), request.META.get("CSRF_COOKIE"),
            view_func.__module__, view_func.__qualname__, request.scheme, request.get_host(), request.get_full_path(),
            request.META.get("HTTP_ACCEPT", ""), now.replace(second=0, microsecond=0).isoformat(),
            timezone.localdate().isoformat(), stamp)


def _may_use(request, view_func) -> bool:
    if pages.max_bytes == 0 or request.method != "GET" or SESSION_KEY not in request.session:
        return False
    if getattr(view_func, "kept_privately", True) is False or view_func.__module__.startswith(EXEMPT_MODULES):
        return False
    from django.contrib.messages import get_messages

    return not len(get_messages(request))  # len() reads the messages without marking them shown


def _may_keep(request, response, came_with_csrf_cookie: bool) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(KEPT_TYPES):
        return False
    if request.session.modified or getattr(getattr(request, "_messages", None), "added_new", False):
        return False
    if not request.user.is_authenticated:  # the session named someone the view did not accept
        return False
    return came_with_csrf_cookie or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")


class PrivatePageMiddleware:
    """Serves a signed-in person's GET from this process's copy while the site stamp is unchanged (after the
    session, CSRF, authentication and messages middleware, so their own responses still wrap what it returns)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_private_page_key", None)
        if key is not None and _may_keep(request, response, came_with_csrf_cookie=key[2] is not None):
            pages.keep(key, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _may_use(request, view_func):
            return None
        stamp = current_stamp(row=SITE)
        if stamp is None:
            return None
        key = _key(request, view_func, stamp)
        kept = pages.get(key)
        if kept is None:
            request._private_page_key = key
        return kept
