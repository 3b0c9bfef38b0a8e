"""Issue 7 §8: the small things a visitor trips over."""

import datetime as dt
import re
import subprocess
import sys
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.urls import reverse
from icalendar import Calendar

from chapterhouse.call.calendar import call_calendar
from chapterhouse.screening.theme_fit import CLEAR_MARGIN, ThemeFit, ThemeScore
from tests.proposals.test_propose_view import form_data



def contrast(foreground: str, background: str) -> float:
    def luminance(hex_colour):
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted([luminance(foreground), luminance(background)], reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def site_css() -> str:
    from pathlib import Path

    import chapterhouse

    return (Path(chapterhouse.__file__).parent / "web" / "static" / "chapterhouse" / "site.css").read_text()


def test_the_withdrawn_badge_has_aa_contrast():
    rule = re.search(r"\.status-withdrawn \{ background: (#[0-9a-f]{6}); color: (#[0-9a-f]{6})", site_css())
    assert contrast(rule.group(2), rule.group(1)) >= 4.5


@pytest.mark.django_db
def test_the_favicon_is_served(client):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200 and b"<svg" in b"".join(response.streaming_content)


@pytest.mark.django_db
def test_funding_shows_with_grouping(client, people, make_proposal):
    proposal = make_proposal(people["author_a"], funding_requested=True, funding_amount=Decimal("4500.00"),
                             funding_justification="Archive travel.")
    client.force_login(people["editor"])
    page = client.get(reverse("desk_proposal", args=[proposal.reference])).content.decode()
    assert "$4,500 — Archive travel." in page and "4500.00" not in page


def test_a_month_level_milestone_is_the_whole_month_titled_with_the_month():
    milestone = SimpleNamespace(kind="progress_reviews", label="Authors present in-progress reviews",
                                date=dt.date(2027, 3, 3), precision="month", note="")
    definition = SimpleNamespace(title="Volume", slug="v", milestones=[milestone])
    [event] = Calendar.from_ical(call_calendar(definition)).walk("VEVENT")
    assert event.decoded("dtstart") == dt.date(2027, 3, 1) and event.decoded("dtend") == dt.date(2027, 4, 1)
    assert str(event.get("summary")) == "Authors present in-progress reviews (March 2027)"


def fit(chosen, *scores):
    return ThemeFit(tuple(ThemeScore(slug, slug.title(), score) for slug, score in scores), chosen)


def test_theme_fit_advice_names_the_best_theme_when_the_choice_is_not_best():
    far = fit("law", ("industry", 0.40), ("process", 0.30), ("law", 0.10))
    assert far.summary().startswith("“Industry” scores highest (0.40); the chosen “Law” scores 0.10, 3rd of 3")
    assert "check the theme" in far.summary()
    near = fit("law", ("industry", 0.40), ("law", 0.40 - CLEAR_MARGIN / 2))
    assert "within" in near.summary() and "plausible" in near.summary() and "Fits" not in near.summary()
    best = fit("law", ("law", 0.5), ("industry", 0.2))
    assert best.summary() == "The chosen theme “Law” scores highest (0.50; next is “Industry” (0.20))."


@pytest.mark.django_db
def test_the_rate_limit_page_says_when_to_try_again(client, call, settings):
    settings.CHAPTERHOUSE_SUBMISSION_RATE = "0/h"
    response = client.post(reverse("propose", kwargs={"slug": call.slug}), form_data())
    page = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert re.search(r"You can submit again from \d\d:\d\d", page) and "minute" in page


def test_the_server_warms_scikit_learn_before_serving():
    code = ("import sys; from chapterhouse.screening.theme_fit import warm_up; warm_up(); "
            "print('sklearn' in sys.modules)")
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120).stdout.strip() == "True"
    from chapterhouse.site import commands

    assert "warm_up()" in open(commands.__file__).read()
