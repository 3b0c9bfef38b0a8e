"""The public call page, its calendar file, and loading calls into the database."""

import datetime as dt
import html
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from icalendar import Calendar

from chapterhouse.call.loading import install_call, install_call_file
from chapterhouse.call.models import Call, Milestone, Theme
from chapterhouse.call.schema import CallFileError, load_call
from chapterhouse.call.timeline import place
from tests.conftest import DEFAULT_CALL

pytestmark = pytest.mark.django_db


def test_the_call_page_shows_the_whole_call(client, call):
    raw = client.get(reverse("call_page", args=[call.slug])).content.decode()
    page = " ".join(html.unescape(re.sub(r"<[^>]+>", "", raw)).split())
    definition = load_call(DEFAULT_CALL)
    assert "U.S. Foreign Military Sales" in page and "Opportunities for Responding to Ever-Growing Demand" in page
    for theme in definition.themes:
        assert theme.name in page
        for question in theme.questions:
            assert question in page
    for excluded in definition.scope.excluded:
        assert excluded.topic in page
    for text in ("4,000–8,000 words, notes included", "Double-spaced", "12 pt", "Microsoft Word (.docx)",
                 "Chicago, shortened notes and bibliography", "Unclassified, no CUI", "Nathan Toronto", "Hadd Jones",
                 "FMS Center of Excellence", "Write “security cooperation case” rather than “FMS case”"):
        assert text in page, text
    assert 'class="tl-today"' in raw and "Today is " in page
    assert reverse("propose", args=[call.slug]) in raw and "Proposals are open until" in page


def test_a_closed_call_says_when_it_closed_and_has_no_form_link(client, db):
    call = install_call_file(DEFAULT_CALL)  # the call's real 2024 dates
    page = client.get(reverse("call_page", args=[call.slug])).content.decode()
    assert "This call closed on 15 March 2024." in page
    assert reverse("propose", args=[call.slug]) not in page


def test_the_timeline_places_today_and_the_next_milestone():
    definition = load_call(DEFAULT_CALL)
    picture = place(definition.milestones, dt.date(2024, 6, 1))
    assert picture.next_milestone.kind == "final_chapters_due"
    assert [m.state for m in picture.milestones[:4]] == ["past"] * 4
    xs = [m.x for m in picture.milestones]
    assert xs == sorted(xs) and picture.milestones[0].x < picture.today_x < picture.milestones[4].x
    assert picture.milestones[3].when == "May 2024" and picture.milestones[0].when == "15 January 2024"
    assert place(definition.milestones, dt.date(2030, 1, 1)).today_x is None


def test_the_calendar_file_holds_every_milestone(client, call):
    response = client.get(reverse("call_calendar", args=[call.slug]))
    assert response["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(response.content).walk("VEVENT")
    assert len(events) == 11
    assert str(events[0]["SUMMARY"]) == "Call for proposals opens"
    assert events[0].decoded("DTSTART") == call.opens_on


def test_loading_with_open_on_moves_every_milestone_and_keeps_the_file(db):
    call = install_call_file(DEFAULT_CALL, open_on=dt.date(2027, 2, 1))
    assert call.opens_on == dt.date(2027, 2, 1)
    assert call.shift_days == (dt.date(2027, 2, 1) - dt.date(2024, 1, 15)).days
    assert "date = 2024-01-15" in call.source  # the faithful dates stay in the stored file
    launch = Milestone.objects.get(call=call, kind="launch")
    assert launch.date == dt.date(2025, 5, 15) + dt.timedelta(days=call.shift_days)


def test_loading_twice_updates_in_place(db):
    install_call_file(DEFAULT_CALL)
    install_call_file(DEFAULT_CALL, shift_days=10)
    assert Call.objects.count() == 1 and Theme.objects.count() == 4 and Milestone.objects.count() == 11


def test_a_theme_with_proposals_cannot_be_removed_by_reloading(call, people, make_proposal):
    make_proposal(people["author_a"], theme="process")
    text = DEFAULT_CALL.read_text()
    start = text.index('[[themes]]\nname = "Process"')
    end = text.index("[[themes]]", start + 5)
    with pytest.raises(CallFileError, match="cannot remove theme"):
        install_call(text[:start] + text[end:], "edited.toml")


def test_setup_site_is_idempotent(db, capsys):
    call_command("setup_site", demo=True)
    call_command("setup_site", demo=True)
    from django.contrib.auth import get_user_model

    from chapterhouse.proposals.models import Proposal

    # The default call, the demo's call in its chapter stage and its past, launched volume, each once.
    assert sorted(Call.objects.values_list("slug", flat=True)) == ["dscu-fms-2024", "dscu-sc-cases-2025",
                                                                   "dscu-sc-workforce-2023"]
    assert get_user_model().objects.filter(username__in=["editor", "reviewer", "security", "production", "author1", "author2"]).count() == 6
    # On the open call two sample proposals under review and one declined on the desk; the accepted proposal of
    # each of the five chapters on the call in its chapter stage.
    assert Proposal.objects.filter(call__slug="dscu-fms-2024").count() == 2 + 1
    assert Proposal.objects.filter(call__slug="dscu-sc-cases-2025").count() == 5
    assert Proposal.objects.filter(call__slug="dscu-sc-workforce-2023").count() == 3
    out = capsys.readouterr().out
    assert "Demo accounts (password for all: chapterhouse-demo)" in out and "already loaded" in out
