"""The demo fills every page of the chapter stage: a chapter in each state, versions, reports, a round, a session."""

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import CHAPTER_WORKFLOW
from chapterhouse.progress.models import ReviewSession
from chapterhouse.site.demo.chapters import seed_chapters

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_runs_once(call, people, make_user, django_capture_on_commit_callbacks):
    make_user("author1", "author")
    make_user("author2", "author")
    with django_capture_on_commit_callbacks(execute=True):
        seed_chapters(call)
    assert {c.status for c in Chapter.objects.all()} == set(CHAPTER_WORKFLOW.states)
    submitted = Chapter.objects.get(status="submitted")
    assert [v.passed for v in submitted.versions.all()] == [False, True]
    final = Chapter.objects.get(status="final")
    assert final.final_version.number == 2 and final.rounds.count() == 2
    assert ReviewSession.objects.get().slots.count() == 2
    seed_chapters(call)
    assert Chapter.objects.count() == len(CHAPTER_WORKFLOW.states) and ReviewSession.objects.count() == 1
