"""In-progress review sessions: uploads for a slot are screened for markings like every upload; editors
record feedback per slot."""

import datetime as dt

import pytest
from django.urls import reverse

from chapterhouse.progress.models import ReviewSession, Slot
from tests.chapters.files import stored_files, stored_rows
from tests.chapters.test_uploads import _upload
from tests.fixtures.files import pdf_file, word_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def slot(chapter_a, call, people):
    start = dt.datetime(2030, 5, 14, 13, 0, tzinfo=dt.timezone.utc)
    session = ReviewSession.objects.create(call=call, title="May reviews", starts_at=start,
                                           ends_at=start + dt.timedelta(hours=3), chatham_house=True)
    return Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"])


def test_slides_are_kept_and_marked_drafts_refused_with_nothing_stored(client, slot, people):
    client.force_login(people["author_a"])
    url = reverse("review_slot_upload", args=[slot.pk])
    response = client.post(url, {"kind": "slides", "file": _upload("slides.pdf", pdf_file("Case study slides"))})
    assert response.status_code == 302 and slot.uploads.count() == 1
    files, rows = stored_files(), stored_rows()
    response = client.post(url, {"kind": "draft", "file": _upload("draft.docx", word_file("Intro.", "SECRET//NOFORN"))})
    page = response.content.decode()
    assert response.status_code == 422 and "Not stored" in page and "SECRET" in page
    assert (stored_files(), stored_rows()) == (files, rows)


def test_editors_record_feedback_and_the_author_reads_it(client, slot, people):
    client.force_login(people["editor"])
    client.post(reverse("review_slot_feedback", args=[slot.pk]), {"feedback": "Strong case; add the 2023 data."})
    client.force_login(people["author_a"])
    page = client.get(reverse("review_session", args=[slot.session_id])).content.decode()
    assert "add the 2023 data" in page and "Chatham House rule applies" in page


def test_editors_plan_a_session_and_its_programme(client, chapter_a, chapter_b, people):
    client.force_login(people["editor"])
    response = client.post(reverse("review_session_new"), {"title": "May reviews", "starts_at": "2030-05-14T13:00",
                                                           "ends_at": "2030-05-14T12:00"})
    assert response.status_code == 400 and "must end after it starts" in response.content.decode()
    response = client.post(reverse("review_session_new"), {
        "title": "May reviews", "starts_at": "2030-05-14T13:00", "ends_at": "2030-05-14T16:00",
        "event_name": "FMS Symposium", "chatham_house": "on", "drafts_due": "2030-05-01"})
    session = ReviewSession.objects.get()
    assert response.url == session.get_absolute_url() and session.chatham_house and session.event_name == "FMS Symposium"
    client.post(reverse("review_slot_new", args=[session.pk]), {"chapter": chapter_b.pk, "order": 1,
                                                                "presenter_user": people["author_b"].pk,
                                                                "discussant_user": people["reviewer"].pk})
    assert [s.chapter for s in session.slots.all()] == [chapter_b]
    client.force_login(people["author_b"])
    assert "May reviews" in client.get(reverse("review_sessions")).content.decode()
    client.force_login(people["author_a"])
    assert client.get(session.get_absolute_url()).status_code == 404


def test_editors_change_and_remove_a_presentation_but_never_lose_what_it_holds(client, slot, people):
    from chapterhouse.workflow.models import AuditEntry

    client.force_login(people["editor"])
    page = client.get(slot.session.get_absolute_url()).content.decode()
    assert "Change this presentation" in page and "Remove it from the programme" in page
    reviewer = people["reviewer"].pk
    response = client.post(reverse("review_slot_edit", args=[slot.pk]), {"chapter": slot.chapter_id, "order": 2,
                                                                       "presenter_user": "", "discussant_user": reviewer})
    assert response.status_code == 400 and "This field is required" in response.content.decode()
    response = client.post(reverse("review_slot_edit", args=[slot.pk]), {
        "chapter": slot.chapter_id, "order": 2, "presenter_user": people["author_a"].pk, "discussant_user": reviewer})
    assert response.status_code == 302
    slot.refresh_from_db()
    assert (slot.order, slot.discussant_user) == (2, people["reviewer"])

    client.post(reverse("review_slot_feedback", args=[slot.pk]), {"feedback": "Good start."})
    response = client.post(reverse("review_slot_remove", args=[slot.pk]), follow=True)
    assert "stays on the programme" in response.content.decode() and Slot.objects.filter(pk=slot.pk).exists()
    client.post(reverse("review_slot_feedback", args=[slot.pk]), {"feedback": ""})
    response = client.post(reverse("review_slot_remove", args=[slot.pk]), follow=True)
    assert "Removed" in response.content.decode() and not Slot.objects.filter(pk=slot.pk).exists()
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert any(a.startswith("Changed the presentation of") for a in actions)
    assert any(a.startswith("Removed") for a in actions)
