"""The parsed call is kept per process, but a reloaded file or a moved timeline shows on the very next request."""

import datetime as dt

import pytest
from django.urls import reverse

from chapterhouse.call import models as call_models
from chapterhouse.call.loading import install_call
from tests.conftest import DEFAULT_CALL

pytestmark = pytest.mark.django_db


@pytest.fixture
def parses(monkeypatch):
    """Counts the real parses behind ``Call.definition``, starting from an empty per-process cache."""
    count = []
    real = call_models.parse_call

    def counting(text, source="<call>"):
        count.append(source)
        return real(text, source)

    monkeypatch.setattr(call_models, "parse_call", counting)
    call_models.parsed_definition.cache_clear()
    yield count
    call_models.parsed_definition.cache_clear()


def fresh_definition(call):
    return call_models.Call.objects.get(pk=call.pk).definition


def test_an_unchanged_call_is_parsed_once_for_any_number_of_rows_and_requests(call, client, parses):
    for _ in range(3):
        assert fresh_definition(call).slug == call.slug
        assert client.get(reverse("call_page", args=[call.slug])).status_code == 200
    assert len(parses) == 1


def test_a_changed_call_file_is_seen_at_once(call, client, parses):
    fresh_definition(call)
    edited = DEFAULT_CALL.read_text().replace(
        'title = "U.S. Foreign Military Sales"', 'title = "U.S. Foreign Military Sales (second printing)"', 1)
    assert edited != call.source
    install_call(edited, call.source_path, shift_days=call.shift_days)
    assert "(second printing)" in fresh_definition(call).title
    page = client.get(reverse("call_page", args=[call.slug])).content.decode()
    assert "(second printing)" in page
    assert len(parses) == 2


def test_a_moved_timeline_is_seen_at_once(call, client, parses):
    before = fresh_definition(call).opens_on
    install_call(call.source, call.source_path, shift_days=call.shift_days + 30)
    assert fresh_definition(call).opens_on == before + dt.timedelta(days=30)
    moved = client.get(reverse("call_calendar", args=[call.slug])).content.decode()
    assert (before + dt.timedelta(days=30)).strftime("%Y%m%d") in moved
    assert len(parses) == 2
