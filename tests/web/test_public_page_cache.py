"""The public pages' per-process copies (``chapterhouse.web.pagecache``): served again with one query, and
stale the moment anything they show changes, whichever way the change is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter
from chapterhouse.launch.models import ChapterDOI, DepositedDOI, DOIDeposit, Erratum, Publication
from chapterhouse.launch.states import WITHDRAWN
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.publication.models import PublicationRecord
from chapterhouse.web import pagecache
from tests.perf import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(call):
    writer, publisher = bulk.author(), bulk.editor()
    bulk.chapters(call, 3, writer, publisher)
    pagecache.forget()
    return bulk.launched(call)


def pages(call) -> dict[str, str]:
    return {"call": reverse("call_page", args=[call.slug]), "catalogue": reverse("catalogue"),
            "volume": reverse("volume_page", args=[call.slug]), "chapter": reverse("chapter_page", args=[call.slug, 1]),
            "api": reverse("api_catalogue"), "api volume": reverse("api_volume", args=[call.slug]),
            "contributors": reverse("api_contributors", args=[call.slug])}


def fetch(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_second_anonymous_request_is_one_query_and_the_same_page(client, book):
    for name, url in pages(book.call).items():
        first, rendered = fetch(client, url)
        again, served = fetch(client, url)
        assert first.status_code == again.status_code == 200, name
        assert again.content == first.content, name
        assert again["Content-Type"] == first["Content-Type"], name
        assert served == 1 < rendered, (name, served, rendered)  # the stamp only


def test_the_api_keeps_its_cross_origin_header_when_served_again(client, book):
    url = reverse("api_volume", args=[book.call.slug])
    client.get(url)
    assert client.get(url)["Access-Control-Allow-Origin"] == "*"


def changes_at_once(client, url: str, change, expect: str = "", status: int = 200) -> None:
    before = client.get(url)
    assert client.get(url).content == before.content  # served from the copy
    change()
    after = client.get(url)
    assert after.status_code == status
    assert after.content != before.content
    if expect:
        assert expect in after.content.decode()


def test_a_publication_change_by_queryset_update(client, book):
    changes_at_once(client, reverse("volume_page", args=[book.call.slug]),
                    lambda: Publication.objects.filter(pk=book.pk).update(description="A new catalogue text."),
                    "A new catalogue text.")


def test_a_new_published_build(client, book, django_user_model):
    build = GalleyBuild.objects.create(call=book.call, number=7, status="built", pages=321)
    changes_at_once(client, reverse("api_volume", args=[book.call.slug]),
                    lambda: Publication.objects.filter(pk=book.pk).update(build=build), '"pages": 321')


def test_the_publication_record_saved(client, book):
    changes_at_once(client, reverse("api_volume", args=[book.call.slug]),
                    lambda: PublicationRecord.objects.create(call=book.call, isbn_print="978-0-306-40615-7"),
                    "9780306406157")


def test_a_chapter_retitled(client, book):
    chapter = Chapter.objects.filter(call=book.call).order_by("order", "pk").first()
    changes_at_once(client, reverse("api_volume", args=[book.call.slug]),
                    lambda: Chapter.objects.filter(pk=chapter.pk).update(title="A retitled chapter"),
                    "A retitled chapter")


def test_the_call_file_s_timeline_moved(client, book):
    changes_at_once(client, reverse("call_page", args=[book.call.slug]),
                    lambda: Call.objects.filter(pk=book.call.pk).update(shift_days=book.call.shift_days + 40))


def test_a_doi_registered(client, book):
    url = reverse("api_volume", args=[book.call.slug])
    doi = client.get(url).json()["doi_pending"]

    def register():
        deposit = DOIDeposit.objects.create(publication=book, batch_id="b-1", endpoint="test", xml="<x/>")
        DepositedDOI.objects.create(deposit=deposit, doi=doi, what="the volume", outcome="registered")

    changes_at_once(client, url, register, f'"doi": "{doi}"')


def test_a_withdrawal_and_a_correction(client, book):
    chapter = Chapter.objects.filter(call=book.call).order_by("order", "pk").first()
    ChapterDOI.objects.create(publication=book, number=1, chapter=chapter, title=chapter.title)
    pagecache.forget()
    build = GalleyBuild.objects.create(call=book.call, number=8, status="built")
    url = reverse("volume_page", args=[book.call.slug])
    changes_at_once(client, url, lambda: Erratum.objects.create(publication=book, kind="correction",
                                                                notice="Page 12 corrected.", build_after=build),
                    "Page 12 corrected.")
    changes_at_once(client, url, lambda: Publication.objects.filter(pk=book.pk).update(status=WITHDRAWN),
                    status=410)


def test_a_rolled_back_change_leaves_the_stamp(book):
    before = pagecache.current_stamp()
    with pytest.raises(RuntimeError), transaction.atomic():
        Publication.objects.filter(pk=book.pk).update(description="Never committed.")
        assert pagecache.current_stamp() != before
        raise RuntimeError
    assert pagecache.current_stamp() == before


def test_writes_elsewhere_keep_the_copies(client, book, call):
    url = reverse("volume_page", args=[call.slug])
    client.get(url)
    stamp = pagecache.current_stamp()
    bulk.proposals(call, 3, bulk.author("another-author"), start=500)
    assert pagecache.current_stamp() == stamp
    assert fetch(client, url)[1] == 1


def test_a_logged_in_editor_gets_the_page_rendered(client, book):
    url = reverse("volume_page", args=[book.call.slug])
    client.get(url)
    client.force_login(bulk.editor("cache-editor"))
    response, queries = fetch(client, url)
    assert queries > 1 and response.status_code == 200
    assert "Log out" in response.content.decode()


@pytest.mark.parametrize("sql, writes", [
    ('UPDATE "launch_publication" SET "description" = %s', True),
    ('INSERT INTO "chapters_chapter" ("title") VALUES (%s)', True),
    ('DELETE FROM "call_milestone" WHERE "id" = 1', True),
    ('UPDATE "proposals_proposal" SET "status" = %s WHERE "call_id" IN (SELECT "id" FROM "call_call")', False),
    ('SELECT * FROM "launch_publication"', False),
    ('INSERT INTO web_publicstamp (id, token) VALUES (1, %s)', False),
    ('TRUNCATE "auth_user", "production_cover"', True),
])
def test_which_statements_make_the_copies_stale(sql, writes):
    assert pagecache.writes_public(sql) is writes


def test_the_date_is_part_of_the_key(client, book, monkeypatch):
    url = reverse("call_page", args=[book.call.slug])
    client.get(url)
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    monkeypatch.setattr("chapterhouse.web.pagecache.timezone.localdate", lambda: tomorrow)
    assert fetch(client, url)[1] > 1


def test_a_database_without_the_stamp_s_table_takes_writes(book, monkeypatch):
    """While ``migrate`` builds a database, writes to watched tables come before the stamp's table exists."""
    monkeypatch.setattr(connection, "_public_stamp_ready", False, raising=False)
    monkeypatch.setattr(connection.introspection, "table_names", lambda *a, **k: [])
    before = pagecache.current_stamp()
    Publication.objects.filter(pk=book.pk).update(description="Written before the stamp's table.")
    assert pagecache.current_stamp() == before
