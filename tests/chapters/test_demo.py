"""The demo fills every page of the chapter stage: its call in the chapter stage, run to the milestone its clock has
reached, has a chapter in each state, versions, reports, a round, a session held on the call's date."""

import pytest
from django.utils import timezone

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import CHAPTER_WORKFLOW
from chapterhouse.progress.models import ReviewSession
from chapterhouse.site.demo.chapters import CHAPTER_CALL_FILE
from chapterhouse.site.demo.story import demo_call, reached, run_story

pytestmark = pytest.mark.django_db


def test_the_demo_has_every_state_and_runs_once(people, make_user, django_capture_on_commit_callbacks):
    make_user("author1", "author")
    make_user("author2", "author")
    call = demo_call(CHAPTER_CALL_FILE)
    assert reached(call) == "final_chapters_due"
    with django_capture_on_commit_callbacks(execute=True):
        run_story(call)
    assert {c.status for c in Chapter.objects.all()} == set(CHAPTER_WORKFLOW.states)
    submitted = Chapter.objects.get(status="submitted")
    assert [v.passed for v in submitted.versions.all()] == [False, True]
    final = Chapter.objects.get(status="final")
    assert final.final_version.number == 2 and final.rounds.count() == 2
    # The in-progress reviews held on the call's date, with feedback; a workshop ahead on the editors' date.
    held, ahead = ReviewSession.objects.order_by("starts_at")
    assert held.slots.count() == ahead.slots.count() == 2
    assert held.starts_at.date() == call.definition.milestone("progress_reviews").date
    assert ahead.starts_at.date() == call.definition.milestone("editor_feedback").date > timezone.localdate()
    assert held.slots.exclude(feedback="").exists() and not ahead.slots.exclude(feedback="").exists()
    run_story(call)
    assert Chapter.objects.count() == len(CHAPTER_WORKFLOW.states) and ReviewSession.objects.count() == 2
