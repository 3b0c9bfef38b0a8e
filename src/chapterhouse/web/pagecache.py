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
SIZE = 256

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?([A-Za-z0-9_]+)', re.IGNORECASE)
_PREFIXES = tuple(f"{app}_" for app in WATCHED_APPS)

_pages: OrderedDict = OrderedDict()
_lock = threading.Lock()


def writes_public(sql: str) -> bool:
    """Whether ``sql`` writes to a table the public pages read (the first table an INSERT, UPDATE or DELETE
    names is its target; a TRUNCATE may list several)."""
    found = _WRITE.match(sql)
    if found:
        return found.group(1).lower().startswith(_PREFIXES)
    if sql.lstrip()[:8].upper() == "TRUNCATE":
        return any(f'"{prefix}' in sql for prefix in _PREFIXES)
    return False


def bump(connection=default_connection) -> None:
    """A new token: every page cached so far is stale."""
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {STAMP_TABLE} (id, token) VALUES (1, %s) "
                       "ON CONFLICT (id) DO UPDATE SET token = excluded.token", [secrets.token_hex(16)])


def current_stamp(connection=default_connection) -> str | None:
    """The token now, or None when there is none (a flushed database: nothing is cached until the next write)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {STAMP_TABLE} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def _stamp_table_exists(connection) -> bool:
    """Whether the stamp's table is there yet (not while ``migrate`` builds the database), asked once a connection."""
    if not getattr(connection, "_public_stamp_ready", False):
        connection._public_stamp_ready = STAMP_TABLE in connection.introspection.table_names()
    return connection._public_stamp_ready


def _watch(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and writes_public(sql) and _stamp_table_exists(context["connection"]):
        bump(context["connection"])
    return result


def install_watcher(sender=None, connection=None, **kwargs) -> None:
    """Put the watcher first on a connection's wrappers (``execute_wrapper`` blocks push and pop at the end)."""
    if _watch not in connection.execute_wrappers:
        connection.execute_wrappers.insert(0, _watch)


def forget(**kwargs) -> None:
    with _lock:
        _pages.clear()


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
        with _lock:
            kept = _pages.get(key)
            if kept is not None:
                _pages.move_to_end(key)
        if kept is not None:
            content, status, headers = kept
            return HttpResponse(content, status=status, headers=headers)
        response = view(request, *args, **kwargs)
        if (response.status_code == 200 and not response.streaming and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")):
            with _lock:
                _pages[key] = (response.content, response.status_code, dict(response.items()))
                while len(_pages) > SIZE:
                    _pages.popitem(last=False)
        return response

    return cached
