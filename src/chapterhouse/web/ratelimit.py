"""A small fixed-window rate limit over Django's cache, to slow down form spam.

Counting is approximate under heavy concurrency (the database cache has no atomic increment); for keeping a
spammer to a handful of submissions an hour that is enough.
"""

from __future__ import annotations

import time

from django.core.cache import cache

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()[:1]]


def allow(scope: str, key: str, rate: str) -> bool:
    """True while ``key`` has made fewer than the rate's count of calls in the current window."""
    limit, seconds = parse_rate(rate)
    window = int(time.time() // seconds)
    cache_key = f"ratelimit:{scope}:{key}:{window}"
    if cache.add(cache_key, 1, timeout=seconds + 5):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=seconds + 5)
        count = 1
    return count <= limit


def seconds_until_reset(rate: str) -> int:
    """Seconds until the current window of ``rate`` ends and a blocked sender may try again."""
    _, seconds = parse_rate(rate)
    return max(1, int(seconds - time.time() % seconds))


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, which waitress takes from the connection or, behind a trusted proxy
    (``chapterhouse serve --trusted-proxy``), from that proxy's X-Forwarded-For; never from a header a client
    could forge. The log-in lock-out (django-axes) reads it too."""
    return request.META.get("REMOTE_ADDR") or None


def client_address(request) -> str:
    return client_ip(request) or "unknown"
