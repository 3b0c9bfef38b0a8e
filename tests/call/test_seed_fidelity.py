"""The shipped call file against the published call it transcribes (calls/dscu-fms-2024.source.md)."""

import datetime as dt
import re

import pytest

from chapterhouse.call.schema import load_call
from tests.conftest import CALL_SOURCE, DEFAULT_CALL

SEED = CALL_SOURCE
MONTHS = {m: i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}


def plain(text: str) -> str:
    """Markdown links and emphasis dropped, whitespace folded: the words are what must match."""
    text = re.sub(r"\[([^\]]*)\]\(#\)", r"\1", text)
    return " ".join(text.replace("*", "").split())


@pytest.fixture(scope="module")
def seed():
    markdown = SEED.read_text(encoding="utf-8")
    themes = {}
    for heading, body in re.findall(r"^### (?:\*\*)?Theme \d+: ([^*\n]+?)(?:\*\*)?\n(.*?)(?=^### |^## )", markdown, re.M | re.S):
        themes[heading.strip()] = [plain(q[2:]) for q in body.splitlines() if q.startswith("- ")]
    timeline = markdown.split("## Timeline and Submissions", 1)[1].split("## References", 1)[0]
    dates = re.findall(r"^- (\d{1,2} )?([A-Z][a-z]+)(?: (\d{4}))?:", timeline, re.M)
    return markdown, themes, dates


def test_every_theme_and_every_question_is_transcribed_word_for_word(seed):
    _, themes, _ = seed
    call = load_call(DEFAULT_CALL)
    assert list(themes) == [t.name for t in call.themes]
    for theme in call.themes:
        assert [plain(q) for q in theme.questions] == themes[theme.name], theme.name
    assert sum(len(q) for q in themes.values()) == 28


def test_every_milestone_date_matches_the_call(seed):
    _, _, dates = seed
    call = load_call(DEFAULT_CALL)
    assert len(dates) == len(call.milestones) == 11
    year = None
    for (day, month, stated_year), milestone in zip(dates, call.milestones):
        # "1 March" has no year: the transcription infers 2025, the year of the milestones around it.
        year = int(stated_year) if stated_year else year
        expected = dt.date(year, MONTHS[month], int(day) if day else 1)
        assert milestone.date == expected, milestone.kind
        assert milestone.precision == ("day" if day else "month")


def test_theme_introductions_scope_and_purpose_use_the_calls_words(seed):
    markdown, _, _ = seed
    call = load_call(DEFAULT_CALL)
    flat = plain(markdown)
    for theme in call.themes:
        for paragraph in re.split(r"\n\s*\n", theme.introduction):
            assert plain(paragraph.removeprefix("> ")) in flat, paragraph[:60]
    for text in (call.purpose, call.opportunities, call.scope.exclusion_statement, *re.split(r"\n\s*\n", call.scope.focus)):
        assert plain(text) in flat, text[:60]


def test_the_rules_and_editors_are_the_calls(seed):
    markdown, _, _ = seed
    call = load_call(DEFAULT_CALL)
    assert "4,000–8,000 words (including notes), double-spaced, 12-point font, Microsoft Word" in markdown
    assert call.manuscript.statement.startswith("4,000–8,000 words (including notes), double-spaced, 12-point font, Microsoft Word")
    assert [(e.name) for e in call.editors] == ["Nathan Toronto", "Hadd Jones"]
    for topic in ("direct commercial sales", "excess defense articles", "third-party transfers",
                  "presidential drawdown authority", "Title 10 authorities"):
        assert topic in markdown
        assert any(topic.lower() in t.lower() for e in call.scope.excluded for t in [e.topic, *e.terms])
