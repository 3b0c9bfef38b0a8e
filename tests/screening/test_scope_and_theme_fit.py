"""Scope screening flags text that centres on what the call excludes; theme fit advises on the theme."""

import pytest

from chapterhouse.call.schema import load_call
from chapterhouse.screening.scope import screen_scope, split_sentences
from chapterhouse.screening.theme_fit import rank_themes, theme_document
from tests.conftest import DEFAULT_CALL


@pytest.fixture(scope="module")
def call():
    return load_call(DEFAULT_CALL)


@pytest.fixture(scope="module")
def excluded(call):
    return [(e.topic, e.terms) for e in call.scope.excluded]


def test_a_proposal_about_direct_commercial_sales_is_flagged_with_its_passages(excluded):
    abstract = ("Direct commercial sales have grown faster than government-to-government sales. This chapter "
                "studies DCS licensing for fighter aircraft. It compares DCS timelines with those of other channels.")
    [flag] = screen_scope("Why partners prefer direct commercial sales", abstract, excluded)
    assert flag.topic == "Direct commercial sales"
    assert flag.in_title and flag.sentences == 3
    assert flag.passages[0] == "Why partners prefer direct commercial sales"
    assert "This chapter studies DCS licensing for fighter aircraft." in flag.passages


@pytest.mark.parametrize("topic,text", [
    ("Transfer of excess defense articles", "Excess defense articles reach partners cheaply. EDA transfers avoid new production. "
                                            "The chapter asks who gains from excess defense articles."),
    ("Presidential drawdown authority", "Presidential drawdown authority sped aid to Ukraine. Drawdowns emptied stocks. "
                                        "This chapter follows each drawdown since 2022."),
    ("Third-party transfers", "Third-party transfers need U.S. consent. The chapter studies retransfer requests. "
                              "Third party transfers strain alliances."),
])
def test_each_excluded_topic_can_be_flagged(excluded, topic, text):
    assert [f.topic for f in screen_scope("A chapter", text, excluded)] == [topic]


def test_a_passing_mention_is_not_flagged(excluded):
    abstract = ("This chapter studies how security cooperation cases build partner capacity under Title 22. "
                "It draws on five cases from the Indo-Pacific. Unlike Title 10 programs, these cases are paid for by partners. "
                "It ends with lessons for case managers. Interviews with implementing agencies inform the analysis. "
                "The argument is that regional planning speeds delivery.")
    assert screen_scope("Regional approaches to security cooperation cases", abstract, excluded) == []


def test_acronyms_match_only_in_capitals(excluded):
    assert screen_scope("Notes", "The eda of pda results. More text here. And here.", excluded) == []


def test_sentences_split_on_ends_and_lines():
    assert split_sentences("One. Two? “Three.” Four\nFive") == ["One.", "Two?", "“Three.”", "Four", "Five"]


@pytest.mark.parametrize("text,best", [
    ("Offsets, coproduction and surge capacity in the defense industrial base after the Ukraine crisis", "industry"),
    ("Workforce professionalization and the Defense Security Cooperation Service: lessons from the Defense Attaché Service", "partnership"),
    ("Streamlining Tiered Review and Congressional Notification; contract award metrics for FMS acquisition", "process"),
    ("Civilian harm mitigation and the Conventional Arms Transfer Policy: strategic tradeoffs and atrocities", "law-and-policy"),
])
def test_theme_fit_ranks_the_closest_theme_first(call, text, best):
    themes = [(t.slug, t.name, theme_document(t.name, t.introduction, t.questions)) for t in call.themes]
    fit = rank_themes(themes, text, chosen="process")
    assert fit.best.slug == best
    assert [s.score for s in fit.ranking] == sorted((s.score for s in fit.ranking), reverse=True)
    assert fit.suggests_other_theme is (best != "process")
