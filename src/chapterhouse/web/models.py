"""The rate limit's counters (``ratelimit.py``): one row per key and fixed window, swept once the window ends."""

from django.db import models


class RateCount(models.Model):
    """How many requests one key (a client or a target address, within a scope) made in one window.

    Its own table rather than Django's database cache: the cache counts its whole table (``SELECT COUNT(*)``)
    on every write and has no atomic increment; here a counted request is one conditional UPDATE."""

    key = models.CharField(max_length=255, unique=True)  # scope:key:window number
    count = models.PositiveIntegerField(default=1)
    expires_at = models.DateTimeField(db_index=True)  # the window's end; the worker deletes rows past it

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"


class PublicStamp(models.Model):
    """Two rows: random tokens replaced in the same transaction as a write, so a rolled-back write leaves them,
    and the pages cached under them, as they were. Row 1 changes with every write to a table the public pages show
    (``pagecache.py``); row 2 with every write to any table a page shows (``privatecache.py``)."""

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
