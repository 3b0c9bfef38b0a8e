"""Pages behind log-in kept per person (``chapterhouse.web.privatecache``): served again with two queries while
nothing is written, never to anyone else, and stale the moment anything on the site changes."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.outbox.heartbeat import beat
from chapterhouse.proposals.models import Proposal
from chapterhouse.web import pagecache, privatecache
from chapterhouse.web.pagecache import SITE, current_stamp
from tests.perf import bulk

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client, call):
    editor = bulk.editor("cache-editor")
    bulk.proposals(call, 5, bulk.author("cache-author"))
    client.force_login(editor)
    pagecache.forget()
    return reverse("desk_list", args=[call.slug])


def fetch(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    return response, len(captured)


def test_a_second_request_is_the_same_page_in_two_queries(client, desk):
    client.get(desk)  # the browser's first visit: it has no CSRF cookie yet, so this page is not kept
    first, rendered = fetch(client, desk)
    again, served = fetch(client, desk)
    assert first.status_code == again.status_code == 200
    assert again.content == first.content
    assert served == 2 < rendered, (served, rendered)  # the session and the site stamp


def test_any_write_shows_at_once(client, call, desk):
    client.get(desk)
    bulk.proposals(call, 1, bulk.author("late-author"), start=900)
    response, queries = fetch(client, desk)
    assert queries > 2
    assert "Proposal 900 on security cooperation" in response.content.decode()
    Proposal.objects.filter(number=900).update(title="Renamed by someone else")
    assert "Renamed by someone else" in client.get(desk).content.decode()


def test_another_person_never_gets_the_copy(client, call, desk):
    client.get(desk)
    other = Client()
    other.force_login(bulk.author("curious-author"))
    response = other.get(desk)
    assert response.status_code == 403


def test_a_lost_role_is_refused_at_once(client, desk):
    assert client.get(desk).status_code == 200
    editor = client.get(desk).wsgi_request.user
    editor.groups.remove(*editor.groups.filter(name=EDITOR))
    assert client.get(desk).status_code == 403


def test_a_log_out_ends_the_copies(client, desk):
    client.get(desk)
    client.post(reverse("logout"))
    response = client.get(desk)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_waiting_message_is_shown_not_a_copy(client, desk, rf):
    before = client.get(desk).content.decode()
    request = rf.get(desk)
    request.session = client.session
    storage = FallbackStorage(request)
    storage.add(constants.SUCCESS, "Saved just now.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies.update(carrier.cookies)
    shown = client.get(desk).content.decode()
    assert "Saved just now." in shown and "Saved just now." not in before
    assert "Saved just now." not in client.get(desk).content.decode()  # shown once, as ever


def test_the_minute_and_the_date_are_part_of_the_key(client, desk, monkeypatch):
    client.get(desk)
    later = privatecache.timezone.now() + dt.timedelta(minutes=1)
    monkeypatch.setattr("chapterhouse.web.privatecache.timezone.now", lambda: later)
    assert fetch(client, desk)[1] > 2


def test_the_csrf_token_in_a_kept_form_works(call, desk):
    """A form kept for someone carries a token for the secret their browser holds, so posting from the copy works."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bulk.editor("csrf-editor"))
    url = reverse("desk_list", args=[call.slug])
    first = browser.get(url)  # no CSRF cookie yet: rendered, not kept (its token is for a secret just made)
    assert "csrftoken" in first.cookies
    browser.get(url)
    copy, queries = fetch(browser, url)
    assert queries == 2
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', copy.content.decode())
    assert token, "the desk list has a form"
    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302


def test_a_page_without_its_csrf_cookie_is_not_kept(call, desk):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(bulk.editor("cookieless-editor"))
    url = reverse("desk_list", args=[call.slug])
    browser.get(url)
    del browser.cookies["csrftoken"]
    assert fetch(browser, url)[1] > 2  # rendered again: the one before handed out a new secret
    del browser.cookies["csrftoken"]
    assert fetch(browser, url)[1] > 2


def test_sessions_heartbeats_and_rate_counts_keep_the_stamp(client, desk):
    client.get(desk)
    stamp = current_stamp(row=SITE)
    session = client.session
    session["seen"] = True
    session.save()
    beat("cache-test-worker", privatecache.timezone.now())
    assert current_stamp(row=SITE) == stamp


def test_a_rolled_back_write_leaves_the_stamp(desk):
    before = current_stamp(row=SITE)
    with pytest.raises(RuntimeError), transaction.atomic():
        Proposal.objects.update(title="Never committed")
        assert current_stamp(row=SITE) != before
        raise RuntimeError
    assert current_stamp(row=SITE) == before


def test_health_is_never_kept(client, desk):
    url = reverse("healthz")
    client.get(url)
    assert fetch(client, url)[1] > 2


def test_a_limit_of_nothing_turns_it_off(client, desk, settings):
    settings.CHAPTERHOUSE_PRIVATE_PAGE_BYTES = 0
    client.get(desk)
    assert fetch(client, desk)[1] > 2
    assert len(privatecache.pages) == 0


def test_the_store_drops_the_oldest_past_its_bytes():
    store = pagecache.PageStore(size=10, max_bytes=25)
    for n in range(4):
        store.keep(n, HttpResponse(b"x" * 10))
    assert len(store) == 2 and store.get(0) is None and store.get(3).content == b"x" * 10
    store.keep("too big", HttpResponse(b"x" * 26))
    assert store.get("too big") is None
