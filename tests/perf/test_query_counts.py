"""Each main page makes as many queries with 1,000 proposals (or 40 chapters) as with 10 (or 2): no query per row.

Rows are bulk-inserted (tests/perf/bulk.py); each page is asked for once to warm up, counted, the site grows, and
the page is counted again. A page that grows has an N+1 to fix with select_related/prefetch_related.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.web import pagecache
from tests.perf import bulk

pytestmark = pytest.mark.django_db

FEW, MANY = 10, 1000
FEW_CHAPTERS, MANY_CHAPTERS = 2, 40


def queries(client, url: str) -> tuple[int, list[str]]:
    client.get(url)  # the first request fills what a process keeps (the call definition, content types)
    pagecache.forget()  # counted: the page rendered, not the copy the first request left (test_public_page_cache)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(captured), [q["sql"] for q in captured]


def shapes(sql: list[str]) -> Counter:
    """Queries with their numbers and IN-lists blanked, counted: what repeats once per row shows up here."""
    return Counter(re.sub(r"\(\d+(, \d+)*\)|\d+", "#", q)[:300] for q in sql)


def assert_flat(client, urls, grow) -> None:
    before = {url: queries(client, url) for url in urls}
    grow()
    for url in urls:
        (small, small_sql), (large, large_sql) = before[url], queries(client, url)
        grown = shapes(large_sql) - shapes(small_sql)
        assert large == small, f"{url}: {small} queries before, {large} after; repeated:\n" + "\n".join(
            f"{count}× {shape}" for shape, count in grown.most_common(5))


@pytest.fixture
def editor(client, call):
    user = bulk.editor()
    client.force_login(user)
    return user


def test_the_desk_list_and_a_desk_proposal(client, call, editor):
    contact = bulk.author()
    first = bulk.proposals(call, FEW, contact)[0]
    urls = [reverse("desk_list", args=[call.slug]), reverse("desk_list", args=[call.slug]) + "?q=reform&sort=title",
            reverse("desk_proposal", args=[first.reference])]
    assert_flat(client, urls, lambda: bulk.proposals(call, MANY - FEW, contact, start=FEW + 1))


def test_the_selection_page(client, call, editor):
    contact = bulk.author()
    panel = bulk.reviewers(3)
    few = bulk.proposals(call, FEW, contact)
    bulk.assignments([(p, r) for p in few for r in panel[:2]], editor, reviewed=FEW)

    def grow():
        more = bulk.proposals(call, MANY - FEW, contact, start=FEW + 1)
        bulk.assignments([(p, r) for p in more for r in panel[:2]], editor, reviewed=MANY)

    assert_flat(client, [reverse("selection_page", args=[call.slug])], grow)


def test_the_selection_page_shows_a_page_of_proposals_at_a_time(client, call, editor):
    """Not the whole call: 1,000 proposals in review are ten pages of 100, the last reachable from the first."""
    contact = bulk.author()
    made, panel = bulk.proposals(call, MANY, contact), bulk.reviewers(2)
    bulk.assignments([(p, r) for p in made for r in panel], editor, reviewed=MANY)
    url = reverse("selection_page", args=[call.slug])
    first = client.get(url).content.decode()
    assert first.count('name="kind"') == 100 and "Page 1 of 10" in first and "1–100 of 1000" in first
    assert "page=2" in first
    last = client.get(url + "?page=10").content.decode()
    assert last.count('name="kind"') == 100 and made[-1].reference in last and made[0].reference not in last


def test_the_reviewer_s_home(client, call, editor):
    contact = bulk.author()
    reviewer = bulk.reviewers(1)[0]
    few = bulk.proposals(call, FEW, contact)
    bulk.assignments([(p, reviewer) for p in few[:2]], editor, reviewed=1)
    client.force_login(reviewer)

    def grow():
        more = bulk.proposals(call, MANY - FEW, contact, start=FEW + 1)
        bulk.assignments([(p, reviewer) for p in more[:38]], editor, reviewed=10)

    assert_flat(client, [reverse("reviewer_home")], grow)


def test_the_board_and_the_author_s_chapter_pages(client, call, editor):
    writer = bulk.author()
    first = bulk.chapters(call, FEW_CHAPTERS, writer, editor)[0]

    def grow():
        bulk.chapters(call, MANY_CHAPTERS - FEW_CHAPTERS, writer, editor, start=FEW_CHAPTERS + 1)

    assert_flat(client, [reverse("chapter_board")], grow)
    client.force_login(writer)
    assert_flat(client, [reverse("my_chapters"), reverse("chapter", args=[first.pk])],
                lambda: bulk.chapters(call, MANY_CHAPTERS, writer, editor, start=MANY_CHAPTERS + 1))


def test_the_catalogue_its_chapter_pages_and_the_api(client, call):
    writer, publisher = bulk.author(), bulk.editor()
    bulk.chapters(call, FEW_CHAPTERS, writer, publisher)
    bulk.launched(call)
    urls = [reverse("catalogue"), reverse("volume_page", args=[call.slug]),
            reverse("chapter_page", args=[call.slug, 1]), reverse("api_catalogue"),
            reverse("api_volume", args=[call.slug]), reverse("api_contributors", args=[call.slug])]
    assert_flat(client, urls, lambda: bulk.chapters(call, MANY_CHAPTERS - FEW_CHAPTERS, writer, publisher,
                                                    start=FEW_CHAPTERS + 1))


def test_the_public_book_pages_read_the_published_chapters_once(client, call):
    """The volume's record takes the chapters the page already read (volume page 12 → 8 queries, chapter page
    10 → 6, when each read them a second time for the record)."""
    writer, publisher = bulk.author(), bulk.editor()
    bulk.chapters(call, FEW_CHAPTERS, writer, publisher)
    bulk.launched(call)
    for url in (reverse("volume_page", args=[call.slug]), reverse("chapter_page", args=[call.slug, 1]),
                reverse("chapter_citation", args=[call.slug, 1, "ris"])):
        _, sql = queries(client, url)
        reads = [q for q in sql if q.startswith('SELECT "chapters_chapter"."id"')]
        assert len(reads) == 1, (url, reads)
