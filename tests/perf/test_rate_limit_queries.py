"""The rate limit counts a request with a query or two of its own table, never by counting a cache table.

Django's database cache ran ``SELECT COUNT(*)`` over its whole table on every ``add``/``set`` (to decide whether
to cull), and its ``incr`` is a read and a full ``set``: a proposal POST made 47 queries opening a window and 57
in it, 12 and 22 of them the cache's. The limit's own table (``web/models.RateCount``) is one conditional UPDATE
per counted request once the window's row exists: the same POSTs make 44 and 24.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from chapterhouse.outbox import periodic
from chapterhouse.web import ratelimit
from chapterhouse.web.models import RateCount
from chapterhouse.web.pagecache import STAMP_TABLE
from tests.proposals.test_propose_view import form_data

pytestmark = pytest.mark.django_db


def counted(function):
    """The request's queries, without the page caches' stamp writes (one after each write: web/pagecache.py)."""
    with CaptureQueriesContext(connection) as captured:
        result = function()
    return result, [q["sql"] for q in captured if STAMP_TABLE not in q["sql"]]


def test_a_proposal_post_counts_its_limits_in_a_few_queries(client, call):
    url = reverse("propose", kwargs={"slug": call.slug})
    client.get(url)
    first, first_sql = counted(lambda: client.post(url, form_data()))
    second, second_sql = counted(lambda: client.post(url, form_data(title="A second chapter on technology release")))
    assert first.status_code == second.status_code == 302
    for sql in (first_sql, second_sql):
        assert not [q for q in sql if "COUNT(*)" in q.upper()], sql
        assert not [q for q in sql if "chapterhouse_cache" in q], sql
    # the client's count and each of the two authors' addresses: an UPDATE each, and an INSERT opening a window
    assert sum("web_ratecount" in q for q in second_sql) == 3
    assert len(second_sql) <= len(first_sql) < 47  # 44 and 24 with the counter table


def test_the_limit_holds_at_its_count_and_counts_each_key_apart():
    assert [ratelimit.allow("test", "a", "3/h") for _ in range(5)] == [True] * 3 + [False] * 2
    assert ratelimit.allow("test", "b", "3/h")
    assert not ratelimit.allow("test", "c", "0/h")
    assert sorted(RateCount.objects.values_list("count", flat=True)) == [1, 3]


def test_a_request_that_finds_the_window_opened_meanwhile_is_counted_in_it(monkeypatch):
    assert ratelimit.allow("test", "a", "3/h")
    real = RateCount.objects.filter

    class FirstLooksEmpty:  # the window's row appears between this request's UPDATE and its INSERT
        calls = 0

        def __call__(self, *args, **kwargs):
            FirstLooksEmpty.calls += 1
            return real(pk=-1) if FirstLooksEmpty.calls == 1 else real(*args, **kwargs)

    monkeypatch.setattr(RateCount.objects, "filter", FirstLooksEmpty())
    assert ratelimit.allow("test", "a", "3/h")
    assert RateCount.objects.get().count == 2


def test_the_worker_sweeps_ended_windows():
    ratelimit.allow("test", "now", "3/h")
    RateCount.objects.create(key="test:old:1", expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert "chapterhouse.web.periodic.sweep_rate_counts" in periodic.discover()
    periodic.REGISTRY["chapterhouse.web.periodic.sweep_rate_counts"].run(timezone.now())
    assert list(RateCount.objects.values_list("key", flat=True)) == [RateCount.objects.get().key]
    assert RateCount.objects.get().key.startswith("test:now:")
