"""Chapters started the way production starts them: from an accepted proposal."""

import pytest


@pytest.fixture
def make_chapter(make_proposal, people):
    from chapterhouse.chapters.start import start_chapter

    def make(contact, title="Streamlining technology release in security cooperation cases", **extra):
        proposal = make_proposal(contact, title=title, **extra)
        return start_chapter(proposal, people["editor"])

    return make


@pytest.fixture
def chapter_a(make_chapter, people):
    return make_chapter(people["author_a"])


@pytest.fixture
def chapter_b(make_chapter, people):
    return make_chapter(people["author_b"], title="Author B's chapter on offsets in arms transfers")

