"""Public pages rendered once per process and served again until anything they show changes.

The key is the page (view, scheme, host, path with query), today's date (call pages place the timeline against
it) and the public stamp: a random token in one row (``PublicStamp``) that a watcher on every database connection
replaces whenever a statement writes to a table of the apps these pages read (the call and its file, chapters,
production: builds, covers, the publication record; launch: publications, DOIs and their registration, errata,
offprints). The watcher sees SQL, not models, so ``QuerySet.update()``, bulk writes, raw SQL and fixtures all
count; the token is written in the same transaction as the change, so a rolled-back change leaves both as they
were. Reading the stamp is one query per request, in place of the pages' own eight to twenty.

Only anonymous GETs with no pending message are served from or stored in the cache, and only a 200 response that
set no cookie and asked for no CSRF token; the pages carry no CSP nonce (the policy is 'self' only). Each process
keeps its own copies (bounded, least recently used dropped first); a changed setting (tests) empties them.

A second row, the site stamp, is replaced by a write to any table but the few that hold no page's content
(sessions, rate counters, the worker's heartbeat, the cache): pages behind log-in are kept under it
(``privatecache.py``).
"""

from __future__ import annotations

import re
import secrets
import threading
from collections import OrderedDict
from functools import wraps

from django.core.signals import setting_changed
from django.db import connection as default_connection
from django.db.backends.signals import connection_created
from django.http import HttpResponse
from django.utils import timezone

WATCHED_APPS = ("call", "chapters", "production", "publication", "launch")
STAMP_TABLE = "web_publicstamp"
PUBLIC, SITE = 1, 2  # the stamp rows: what public pages show; anything any page shows
# Written often and shown on no page kept by the caches (/healthz reads the heartbeat and is never kept).
UNSHOWN_TABLES = frozenset({"django_session", "chapterhouse_cache", "web_ratecount", "web_publicstamp",
                            "outbox_workerheartbeat"})
SIZE = 256

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([A-Za-z0-9_]+)', re.IGNORECASE)
_PREFIXES = tuple(f"{app}_" for app in WATCHED_APPS)

class PageStore:
    """Responses kept by key in this process, least recently used dropped first past ``size`` entries or
    ``max_bytes`` of content."""

    def __init__(self, size: int, max_bytes: int | None = None):
        self.size, self.max_bytes = size, max_bytes
        self._pages: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key) -> HttpResponse | None:
        with self._lock:
            kept = self._pages.get(key)
            if kept is not None:
                self._pages.move_to_end(key)
        if kept is None:
            return None
        content, status, headers = kept
        return HttpResponse(content, status=status, headers=headers)

    def keep(self, key, response) -> None:
        content = response.content
        if self.max_bytes is not None and len(content) > self.max_bytes:
            return
        with self._lock:
            if key in self._pages:
                self._bytes -= len(self._pages.pop(key)[0])
            self._pages[key] = (content, response.status_code, dict(response.items()))
            self._bytes += len(content)
            while len(self._pages) > self.size or (self.max_bytes is not None and self._bytes > self.max_bytes):
                self._bytes -= len(self._pages.popitem(last=False)[1][0])

    def clear(self) -> None:
        with self._lock:
            self._pages.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._pages)


_pages = PageStore(SIZE)


def stale_stamps(sql: str) -> tuple[int, ...]:
    """The stamp rows a statement makes stale: the first table an INSERT, UPDATE or DELETE names is its target;
    a TRUNCATE may list several."""
    found = _WRITE.match(sql)
    if found:
        table = found.group(1).lower()
        if table.startswith(_PREFIXES):
            return (PUBLIC, SITE)
        return () if table in UNSHOWN_TABLES else (SITE,)
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        return (PUBLIC, SITE) if any(f'"{prefix}' in sql for prefix in _PREFIXES) else (SITE,)
    return ()


def writes_public(sql: str) -> bool:
    """Whether ``sql`` writes to a table the public pages read."""
    return PUBLIC in stale_stamps(sql)


def bump(connection=default_connection, rows: tuple[int, ...] = (PUBLIC, SITE)) -> None:
    """New tokens in ``rows``: every page cached under them so far is stale."""
    values = ", ".join("(%s, %s)" for _ in rows)
    params = [value for row in rows for value in (row, secrets.token_hex(16))]
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {STAMP_TABLE} (id, token) VALUES {values} "
                       "ON CONFLICT (id) DO UPDATE SET token = excluded.token", params)


def current_stamp(connection=default_connection, row: int = PUBLIC) -> str | None:
    """The token now, or None when there is none (a flushed database: nothing is cached until the next write)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {STAMP_TABLE} WHERE id = %s", [row])
        found = cursor.fetchone()
    return found[0] if found else None


def _stamp_table_exists(connection) -> bool:
    """Whether the stamp's table is there yet (not while ``migrate`` builds the database), asked once a connection."""
    if not getattr(connection, "_public_stamp_ready", False):
        connection._public_stamp_ready = STAMP_TABLE in connection.introspection.table_names()
    return connection._public_stamp_ready


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str):
        rows = stale_stamps(sql)
        if rows and _stamp_table_exists(context["connection"]):
            bump(context["connection"], rows)
    return result


def install_watcher(sender=None, connection=None, **kwargs) -> None:
    """Put the watcher first on a connection's wrappers (``execute_wrapper`` blocks push and pop at the end)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def forget(**kwargs) -> None:
    """Drop every kept page, public and private (a changed setting may change any page)."""
    from chapterhouse.web import privatecache

    _pages.clear()
    privatecache.pages.clear()


connection_created.connect(install_watcher, dispatch_uid="chapterhouse.web.pagecache")
setting_changed.connect(forget, dispatch_uid="chapterhouse.web.pagecache")


def _cacheable_request(request) -> bool:
    if request.method != "GET" or request.user.is_authenticated:
        return False
    from django.contrib.messages import get_messages

    return not len(get_messages(request))  # len() reads the messages without marking them shown


def public_page(view):
    """Serve ``view``'s anonymous responses from this process's copy while the public stamp is unchanged."""

    @wraps(view)
    def cached(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        stamp = current_stamp()
        if stamp is None:
            return view(request, *args, **kwargs)
        key = (view.__module__, view.__qualname__, request.scheme, request.get_host(), request.get_full_path(),
               timezone.localdate().isoformat(), stamp)
        kept = _pages.get(key)
        if kept is not None:
            return kept
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
            _pages.keep(key, response)
        return response

    return cached
