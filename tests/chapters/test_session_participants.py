"""Review sessions with people, not names (issue 19 §4): participants are accounts, each is mailed the session's
details and calendar file when added or when their slot changes and reminded before the draft deadline; old
free-text names stay readable. Calendar files carry a real DTSTAMP and a SEQUENCE that grows (issue 19 §6)."""

import datetime as dt
import importlib

import pytest
import time_machine
from django.apps import apps
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from chapterhouse.call.calendar import call_calendar
from chapterhouse.chapters.calendar import user_calendar
from chapterhouse.outbox.models import Message
from chapterhouse.progress.models import DraftReminderSent, ReviewSession, Slot
from chapterhouse.progress.reminders import send_draft_reminders

pytestmark = pytest.mark.django_db

START = dt.datetime(2030, 5, 14, 13, 0, tzinfo=dt.timezone.utc)


@pytest.fixture
def session(call):
    return ReviewSession.objects.create(call=call, title="May reviews", starts_at=START, place="Room 4",
                                        ends_at=START + dt.timedelta(hours=3), drafts_due=dt.date(2030, 5, 1))


def _slot_data(chapter, people, **parts):
    data = {"chapter": chapter.pk, "order": 1, "presenter_user": people["author_a"].pk}
    data.update({field: people[who].pk for field, who in parts.items()})
    return data


def _details(address):
    return Message.objects.filter(to=address, kind="review-session-details").order_by("pk")


def _events(ics: bytes) -> dict:
    return {str(e["UID"]): e for e in Calendar.from_ical(ics).walk("VEVENT")}


def test_the_editor_picks_accounts_and_each_participant_is_mailed_the_details_and_calendar(
        client, session, chapter_a, people):
    client.force_login(people["editor"])
    response = client.post(reverse("review_slot_new", args=[session.pk]),
                           _slot_data(chapter_a, people, discussant_user="reviewer", chair_user="editor"))
    assert response.status_code == 302
    slot = Slot.objects.get()
    assert (slot.presenter_user, slot.discussant_user, slot.chair_user) == (
        people["author_a"], people["reviewer"], people["editor"])
    for who, part in (("author_a", "presenter"), ("reviewer", "discussant"), ("editor", "chair")):
        [message] = _details(people[who].email)
        assert f"you are the {part}" in message.subject and "May reviews" in message.subject
        assert "Room 4" in message.body and "discussant Reviewer" in message.body
        assert reverse("review_session_ics", args=[session.pk]) in message.body
    assert Message.objects.filter(kind="review-session-details").count() == 3  # nobody else
    session.refresh_from_db()
    assert session.sequence == 1


def test_a_presenter_must_be_an_author_of_the_chapter_and_readers_editors_or_reviewers(client, session, chapter_a,
                                                                                      chapter_b, people):
    client.force_login(people["editor"])
    response = client.post(reverse("review_slot_new", args=[session.pk]),
                           {**_slot_data(chapter_a, people), "presenter_user": people["author_b"].pk})
    assert response.status_code == 400 and "is not an author of" in response.content.decode()
    response = client.post(reverse("review_slot_new", args=[session.pk]),
                           _slot_data(chapter_a, people, discussant_user="author_b"))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    response = client.post(reverse("review_slot_new", args=[session.pk]),
                           _slot_data(chapter_a, people, chair_user="security"))
    assert response.status_code == 400
    assert not Slot.objects.exists() and not Message.objects.filter(kind="review-session-details").exists()


def test_a_changed_slot_tells_those_kept_it_changed_and_those_added_they_take_part(client, session, chapter_a,
                                                                                   people, make_user):
    second = make_user("second_reviewer", "reviewer")
    slot = Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"],
                               discussant_user=people["reviewer"])
    client.force_login(people["editor"])
    response = client.post(reverse("review_slot_edit", args=[slot.pk]),
                           {**_slot_data(chapter_a, people, discussant_user="reviewer"),
                            "chair_user": second.pk, "starts_at": "2030-05-14T14:30"})
    assert response.status_code == 302
    assert _details(people["author_a"].email).get().subject.startswith("Changed: ")
    assert _details(people["reviewer"].email).get().subject.startswith("Changed: ")
    added = _details(second.email).get()
    assert "you are the chair" in added.subject and not added.subject.startswith("Changed")
    assert "this presentation at 14:30" in added.body
    response = client.post(reverse("review_slot_edit", args=[slot.pk]), _slot_data(chapter_a, people))
    dropped = Message.objects.filter(kind="review-session-dropped")
    assert sorted(dropped.values_list("to", flat=True)) == sorted([people["reviewer"].email, second.email])
    client.post(reverse("review_slot_remove", args=[slot.pk]))
    assert dropped.filter(to=people["author_a"].email).exists() and not Slot.objects.exists()


def test_no_mail_to_an_account_without_a_stored_address(client, session, chapter_a, people):
    people["reviewer"].email = ""
    people["reviewer"].save()
    client.force_login(people["editor"])
    client.post(reverse("review_slot_new", args=[session.pk]), _slot_data(chapter_a, people, discussant_user="reviewer"))
    details = Message.objects.filter(kind="review-session-details")
    assert list(details.values_list("to", flat=True)) == [people["author_a"].email]


def test_the_draft_reminder_goes_once_per_participant_and_deadline(session, chapter_a, people):
    Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"],
                        discussant_user=people["reviewer"], chair="A free-text chair")
    assert send_draft_reminders(dt.date(2030, 4, 20)) == []  # too early: more than a week before
    sent = send_draft_reminders(dt.date(2030, 4, 25))
    assert sorted(r.user.username for r in sent) == ["author_a", "reviewer"]
    assert send_draft_reminders(dt.date(2030, 4, 26)) == []  # once per participant and deadline
    reminder = Message.objects.get(to=people["author_a"].email, kind="review-session-draft-reminder")
    assert "upload the draft" in reminder.body and "1 May 2030" in reminder.subject
    discussant = Message.objects.get(to=people["reviewer"].email, kind="review-session-draft-reminder")
    assert "which you discuss" in discussant.body
    session.drafts_due = dt.date(2030, 5, 3)  # a moved deadline re-arms it
    session.save()
    assert len(send_draft_reminders(dt.date(2030, 4, 28))) == 2
    assert send_draft_reminders(dt.date(2030, 5, 4)) == []  # never after the drafts were due
    assert DraftReminderSent.objects.count() == 4


def test_the_worker_runs_the_draft_reminder_job(session, chapter_a, people, django_capture_on_commit_callbacks):
    from chapterhouse.outbox.periodic import discover

    Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"])
    job = discover()["chapterhouse.progress.periodic.draft_reminders"]
    with time_machine.travel(dt.datetime(2030, 4, 27, 9, 0, tzinfo=dt.timezone.utc), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert job.run(timezone.now()) == "1 draft reminder(s) sent"
            assert job.run(timezone.now()) == "0 draft reminder(s) sent"


def test_free_text_names_of_older_slots_stay_readable_and_matching_authors_are_linked(client, session, chapter_a,
                                                                                     people):
    legacy = Slot.objects.create(session=session, chapter=chapter_a, presenter="Author_A", discussant="Dr Old Name")
    stranger = Slot.objects.create(session=session, chapter=chapter_a, order=2, presenter="Someone Unknown")
    chapter_a.authors.filter(user=people["author_a"]).update(name="Author_A")
    migration = importlib.import_module(
        "chapterhouse.progress.migrations.0002_slot_participants_are_accounts_and_session_sequence")
    migration.link_presenters(apps, None)
    legacy.refresh_from_db()
    stranger.refresh_from_db()
    assert legacy.presenter_user == people["author_a"] and stranger.presenter_user is None
    client.force_login(people["editor"])
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Dr Old Name" in page and "Someone Unknown" in page


def test_session_calendar_has_a_real_stamp_and_a_sequence_that_grows_when_the_slot_changes(
        client, session, chapter_a, people):
    slot = Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"])
    client.force_login(people["editor"])
    url = reverse("review_session_ics", args=[session.pk])
    before = _events(client.get(url).content)[f"review-session-{session.pk}@chapterhouse"]
    stamp = before.decoded("DTSTAMP")
    assert abs((timezone.now() - stamp).total_seconds()) < 60, "DTSTAMP is when the file was made"
    client.post(reverse("review_slot_edit", args=[slot.pk]), {**_slot_data(chapter_a, people), "order": 2})
    after = _events(client.get(url).content)
    assert after[f"review-session-{session.pk}@chapterhouse"]["SEQUENCE"] > before["SEQUENCE"]
    assert after[f"review-session-{session.pk}-drafts@chapterhouse"]["SEQUENCE"] > before["SEQUENCE"]


def test_call_timeline_and_private_feed_sequences_grow_when_the_call_is_loaded_again(call, chapter_a, people):
    earlier = _events(call_calendar(call.definition, loaded_at=call.loaded_at))
    feed_before = _events(user_calendar(people["author_a"]))
    later = _events(call_calendar(call.definition, loaded_at=call.loaded_at + dt.timedelta(hours=1)))
    assert earlier and all(later[uid]["SEQUENCE"] > event["SEQUENCE"] for uid, event in earlier.items())
    assert all(abs((timezone.now() - e.decoded("DTSTAMP")).total_seconds()) < 60 for e in earlier.values())
    with time_machine.travel(timezone.now() + dt.timedelta(hours=2)):
        call.save()  # loaded again: the dates may have moved
        feed_after = _events(user_calendar(people["author_a"]))
    assert feed_before and all(feed_after[uid]["SEQUENCE"] > e["SEQUENCE"] for uid, e in feed_before.items())



def test_the_to_do_pages_list_the_draft_to_upload_and_the_draft_to_read(session, chapter_a, people):
    from chapterhouse.accounts.todo import items_for

    Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"],
                        discussant_user=people["reviewer"], chair_user=people["editor"])
    today = timezone.localdate()

    def sessions_items(who, role):
        return [item for item in items_for(people[who], role, today) if item.stage == "Review sessions"]

    [upload] = sessions_items("author_a", "author")
    assert upload.text.startswith("Upload your draft") and upload.due == session.drafts_due
    [read] = sessions_items("reviewer", "reviewer")
    assert "which you discuss" in read.text and read.url == session.get_absolute_url()
    assert any("which you chair" in item.text for item in sessions_items("editor", "editor"))
    assert sessions_items("author_b", "author") == []


def test_a_draft_upload_tells_the_discussant_and_chair_and_feedback_tells_the_authors(client, session, chapter_a,
                                                                                      people):
    from tests.chapters.test_uploads import _upload
    from tests.fixtures.files import word_file

    slot = Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"],
                               discussant_user=people["reviewer"], chair_user=people["editor"])
    client.force_login(people["author_a"])
    client.post(reverse("review_slot_upload", args=[slot.pk]),
                {"kind": "draft", "file": _upload("draft.docx", word_file("A first draft."))})
    uploaded = Message.objects.filter(kind="review-session-upload")
    assert sorted(uploaded.values_list("to", flat=True)) == sorted([people["reviewer"].email, people["editor"].email])
    assert "which you discuss" in uploaded.get(to=people["reviewer"].email).body
    client.force_login(people["editor"])
    client.post(reverse("review_slot_feedback", args=[slot.pk]), {"feedback": "Bring the 2023 figures forward."})
    [feedback] = Message.objects.filter(kind="review-session-feedback")
    assert feedback.to == people["author_a"].email and "2023 figures" not in feedback.body  # read on the page
