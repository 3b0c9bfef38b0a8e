"""A co-author who has not joined the chapter cannot open its page, so the chapter's mail to them carries an
invitation to join instead of the page's link; joined authors get the page's link as before."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.chapters.test_deadlines import extend, milestone

pytestmark = pytest.mark.django_db


def test_a_co_author_without_an_account_gets_a_join_link_not_the_chapter_page(
        client, chapter_a, people, django_capture_on_commit_callbacks):
    chapter_a.authors.create(name="Robin Vale", email="robin.vale@example.net", order=2)
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        extend(client, chapter_a, milestone(chapter_a, "final_chapters_due") + dt.timedelta(days=21))
    by_address = {tuple(m.to): m.body for m in mail.outbox}
    assert set(by_address) == {("author_a@example.org",), ("robin.vale@example.net",)}
    page_link = reverse("chapter", args=[chapter_a.pk])
    assert page_link in by_address[("author_a@example.org",)] and "/chapters/join/" not in by_address[("author_a@example.org",)]
    outside = by_address[("robin.vale@example.net",)]
    assert f"{page_link}\n" not in outside and "You have not joined this chapter" in outside
    join = re.search(r"http://\S+(/chapters/join/\S+/)", outside).group(1)
    client.logout()
    page = client.get(join).content.decode()
    assert "Join the chapter" in page and 'name="new_password1"' in page  # the invitation works
