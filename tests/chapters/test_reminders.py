"""Reminders with a frozen clock: once per chapter, deadline and offset; a missed day caught up; the calendar
feed parsed back with icalendar."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from chapterhouse.chapters.deadlines import deadlines
from chapterhouse.chapters.models import DeadlineExtension, ReminderSent
from chapterhouse.chapters.reminders import send_due_reminders

pytestmark = pytest.mark.django_db


def _final_due(chapter) -> dt.date:
    return next(d.due_on for d in deadlines(chapter) if d.kind == "final_chapters_due")


def _run_worker_on(day: dt.date, capture) -> list[ReminderSent]:
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.timezone.utc), tick=False):
        with capture(execute=True):
            return send_due_reminders(timezone.localdate())


def test_each_reminder_goes_once_on_its_day(chapter_a, django_capture_on_commit_callbacks):
    due = _final_due(chapter_a)
    sent = _run_worker_on(due - dt.timedelta(days=14), django_capture_on_commit_callbacks)
    assert [(r.deadline, r.offset_days) for r in sent] == [("final_chapters_due", -14)]
    [message] = mail.outbox
    assert message.to == ["author_a@example.org"] and "in 14 days" in message.subject
    # The worker runs every hour, and on the following days: nothing more until the next offset.
    for day in (due - dt.timedelta(days=14), due - dt.timedelta(days=13), due - dt.timedelta(days=4)):
        assert _run_worker_on(day, django_capture_on_commit_callbacks) == []
    assert [r.offset_days for r in _run_worker_on(due - dt.timedelta(days=3), django_capture_on_commit_callbacks)] == [-3]
    assert [r.offset_days for r in _run_worker_on(due + dt.timedelta(days=1), django_capture_on_commit_callbacks)] == [1]
    assert "Overdue by 1 day" in mail.outbox[-1].subject
    assert len(mail.outbox) == 3 and ReminderSent.objects.count() == 3


def test_a_missed_day_is_caught_up_once(chapter_a, django_capture_on_commit_callbacks):
    due = _final_due(chapter_a)
    # The worker was down on due-3 and comes back two days later: the -3 reminder still goes, once.
    sent = _run_worker_on(due - dt.timedelta(days=1), django_capture_on_commit_callbacks)
    assert [(r.offset_days, r.sent_on) for r in sent] == [(-3, due - dt.timedelta(days=1))]
    assert _run_worker_on(due, django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 1


def test_a_reminder_missed_beyond_the_window_or_superseded_is_not_sent_late(chapter_a, django_capture_on_commit_callbacks):
    due = _final_due(chapter_a)
    # Down from before due-14 until due-2: only the latest reminder (-3) goes, not a stale "in 14 days".
    assert [r.offset_days for r in _run_worker_on(due - dt.timedelta(days=2), django_capture_on_commit_callbacks)] == [-3]
    # Down from due+1 until due+12: +7 was five days ago, beyond the 3-day catch-up window.
    assert _run_worker_on(due + dt.timedelta(days=12), django_capture_on_commit_callbacks) == []
    assert len(mail.outbox) == 1


def test_an_extension_rearms_the_reminders_and_finished_work_stops_them(chapter_a, people, django_capture_on_commit_callbacks):
    due = _final_due(chapter_a)
    _run_worker_on(due - dt.timedelta(days=3), django_capture_on_commit_callbacks)
    DeadlineExtension.objects.create(chapter=chapter_a, kind="final_chapters_due", due_on=due + dt.timedelta(days=30),
                                     reason="Illness", granted_by=people["editor"])
    assert _run_worker_on(due + dt.timedelta(days=1), django_capture_on_commit_callbacks) == []  # not overdue any more
    sent = _run_worker_on(due + dt.timedelta(days=16), django_capture_on_commit_callbacks)
    assert [(r.due_on, r.offset_days) for r in sent] == [(due + dt.timedelta(days=30), -14)]
    from chapterhouse.chapters.states import SUBMITTED
    from chapterhouse.chapters.upload import store_version
    from chapterhouse.workflow.transitions import transition
    from tests.fixtures.files import word_file

    store_version(chapter_a, word_file("Draft."), "d.docx", people["author_a"])
    transition(chapter_a, SUBMITTED, people["author_a"], {"owner"})
    assert not any(r.deadline == "final_chapters_due"
                   for r in _run_worker_on(due + dt.timedelta(days=27), django_capture_on_commit_callbacks))


def test_the_editors_are_reminded_of_their_feedback(chapter_a, people, django_capture_on_commit_callbacks):
    from chapterhouse.chapters.states import SUBMITTED
    from chapterhouse.workflow.transitions import transition

    transition(chapter_a, SUBMITTED, people["author_a"], {"owner"})
    feedback_due = next(d.due_on for d in deadlines(chapter_a) if d.kind == "editor_feedback")
    sent = _run_worker_on(feedback_due - dt.timedelta(days=3), django_capture_on_commit_callbacks)
    assert [(r.deadline, r.recipients) for r in sent] == [("editor_feedback", "editor@example.org")]
    assert mail.outbox[-1].to == ["editor@example.org"] and "Dear editors" in mail.outbox[-1].body


def test_the_calendar_feed_parses_back_with_deadlines_and_sessions(client, chapter_a, chapter_b, people, call):
    from chapterhouse.chapters.calendar import feed_for
    from chapterhouse.progress.models import ReviewSession, Slot

    start = dt.datetime(2030, 5, 14, 13, 0, tzinfo=dt.timezone.utc)
    session = ReviewSession.objects.create(call=call, title="In-progress reviews", starts_at=start,
                                           ends_at=start + dt.timedelta(hours=3), event_name="FMS Symposium",
                                           place="DSCU, Dayton", chatham_house=True, drafts_due=dt.date(2030, 5, 1))
    Slot.objects.create(session=session, chapter=chapter_a, presenter="Author_A", discussant="Dr Discussant")
    response = client.get(reverse("calendar_feed", args=[feed_for(people["author_a"]).token]))
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    due = _final_due(chapter_a)
    assert events[f"Final chapter due: {chapter_a.title}"].decoded("DTSTART") == due
    assert chapter_b.title not in " ".join(events)  # only the person's own chapters
    symposium = events["In-progress reviews (FMS Symposium)"]
    assert symposium.decoded("DTSTART") == start and "Chatham House" in str(symposium["DESCRIPTION"])
    assert str(symposium["LOCATION"]) == "DSCU, Dayton"
    assert events["Drafts due for In-progress reviews"].decoded("DTSTART") == dt.date(2030, 5, 1)
    # Author B's feed has neither A's chapter nor A's session.
    other = Calendar.from_ical(client.get(reverse("calendar_feed", args=[feed_for(people["author_b"]).token])).content)
    summaries = [str(e["SUMMARY"]) for e in other.walk("VEVENT")]
    assert summaries and all(chapter_a.title not in s and "In-progress" not in s for s in summaries)


def test_a_session_exports_to_ics(client, chapter_a, people, call):
    from chapterhouse.progress.models import ReviewSession, Slot

    start = dt.datetime(2030, 5, 14, 13, 0, tzinfo=dt.timezone.utc)
    session = ReviewSession.objects.create(call=call, title="Workshop", starts_at=start,
                                           ends_at=start + dt.timedelta(hours=2), video_link="https://meet.example.org/x")
    Slot.objects.create(session=session, chapter=chapter_a, presenter="Author_A", chair="Chair Person")
    client.force_login(people["author_a"])
    calendar = Calendar.from_ical(client.get(reverse("review_session_ics", args=[session.pk])).content)
    [event] = calendar.walk("VEVENT")
    assert "presenter Author_A" in str(event["DESCRIPTION"]) and "chair Chair Person" in str(event["DESCRIPTION"])
    assert "https://meet.example.org/x" in str(event["LOCATION"])


def test_the_worker_runs_the_reminder_job(chapter_a, django_capture_on_commit_callbacks):
    from chapterhouse.outbox.periodic import discover

    job = discover()["chapterhouse.chapters.periodic.chapter_reminders"]
    day = _final_due(chapter_a) - dt.timedelta(days=14)
    with time_machine.travel(dt.datetime.combine(day, dt.time(9, 0), tzinfo=dt.timezone.utc), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert job.run(timezone.now()) == "1 reminder(s) sent"
            assert job.run(timezone.now()) == "0 reminder(s) sent"
    assert len(mail.outbox) == 1
