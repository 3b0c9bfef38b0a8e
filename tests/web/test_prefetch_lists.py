"""``web.prefetch.prefetch_lists``: the rows ``prefetch_related`` would give, in its order, with no query after."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chapterhouse.chapters.models import Chapter, ChapterAuthor
from chapterhouse.web.prefetch import Prefetched, prefetch_lists
from tests.perf import bulk

pytestmark = pytest.mark.django_db

RELATIONS = ("authors", "extensions", "rounds", "permissions", "versions")


def test_the_same_rows_in_the_same_order_as_prefetch_related(call):
    bulk.chapters(call, 4, bulk.author(), bulk.editor())
    first = Chapter.objects.order_by("pk").first()
    ChapterAuthor.objects.create(chapter=first, name="Second Author", email="second@example.org", order=2)
    expected = {c.pk: {name: [r.pk for r in getattr(c, name).all()] for name in RELATIONS}
                for c in Chapter.objects.prefetch_related(*RELATIONS)}
    chapters = list(Chapter.objects.all())
    with CaptureQueriesContext(connection) as captured:
        prefetch_lists(chapters, *RELATIONS)
    assert len(captured) == len(RELATIONS)
    with CaptureQueriesContext(connection) as captured:
        got = {c.pk: {name: [r.pk for r in getattr(c, name).all()] for name in RELATIONS} for c in chapters}
        backs = [author.chapter for c in chapters for author in c.authors.all()]
        counted = [(c.authors.count(), c.rounds.exists()) for c in chapters]
    assert got == expected and len(captured) == 0
    mine = next(c for c in chapters if c.pk == first.pk)
    assert "Second Author" in [a.name for a in mine.authors.all()]
    assert all(back.pk in got for back in backs)  # each author's chapter set from the rows in hand
    assert counted[0][0] == len(got[chapters[0].pk]["authors"])
    assert isinstance(chapters[0].authors.all(), Prefetched)


def test_no_rows_no_queries():
    with CaptureQueriesContext(connection) as captured:
        prefetch_lists([], "authors")
    assert len(captured) == 0
