"""What each person sees of a review session where two authors present (issue 18 §3): the programme is shared,
each presenter's files and the editors' feedback on them are not. The reviewer discusses slot a and the security
reviewer chairs slot b (issue 19 §4): each sees the session and reads the files of their slot, never feedback.

SEES is the authorisation matrix of one page's content: for every role, the status of the session page and
which of the two slots' private parts (uploads, upload form, editors' feedback) appear in it.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from chapterhouse.chapters.upload import store_attachment
from chapterhouse.progress.models import ReviewSession, Slot, SlotUpload
from tests.fixtures.files import pdf_file
from tests.matrix import LOGIN, WHO, assert_outcome, call_as

pytestmark = pytest.mark.django_db

FEEDBACK = {"a": "Strong case; bring the 2023 figures forward.", "b": "Offsets need a clearer definition."}
SLIDES = {"a": "a-slides.pdf", "b": "b-slides.pdf"}

NOTHING = {"page": 404, "a": False, "b": False}
SEES = {
    "anonymous": {**NOTHING, "page": LOGIN},
    "author_a": {"page": 200, "a": True, "b": False},
    "author_b": {"page": 200, "a": False, "b": True},
    "reviewer": {"page": 200, "a": "files", "b": False},  # discussant of slot a
    "security": {"page": 200, "a": False, "b": "files"},  # chair of slot b
    "production": NOTHING,
    "editor": {"page": 200, "a": True, "b": True},
}
# Each slot's file, by who may download it (the session's other presenter may not).
FILE = {"a": {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200, "editor": 200, "reviewer": 200},
        "b": {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_b": 200, "editor": 200, "security": 200}}
PARTS = {"a": {"presenter_user": "author_a", "discussant_user": "reviewer"},
         "b": {"presenter_user": "author_b", "chair_user": "security"}}


@pytest.fixture
def shared_session(call, chapter_a, chapter_b, people):
    start = timezone.now() + dt.timedelta(days=30)
    session = ReviewSession.objects.create(call=call, title="May workshop", starts_at=start,
                                           ends_at=start + dt.timedelta(hours=3))
    slots, uploads = {}, {}
    for order, (key, chapter) in enumerate((("a", chapter_a), ("b", chapter_b)), start=1):
        slots[key] = Slot.objects.create(session=session, chapter=chapter, order=order,
                                         **{part: people[who] for part, who in PARTS[key].items()},
                                         feedback=FEEDBACK[key], feedback_by=people["editor"], feedback_at=start)
        row = SlotUpload(slot=slots[key], kind="slides", original_name=SLIDES[key], sha256="0" * 64)
        store_attachment(row.file, SLIDES[key], pdf_file(f"Slides {key}"), "progress")
        row.save()
        uploads[key] = row
    return {"session": session, "slots": slots, "uploads": uploads}


@pytest.mark.parametrize("who", WHO)
def test_each_presenter_sees_the_programme_but_only_their_own_files_and_feedback(client, people, shared_session, who):
    response = call_as(client, people, who, "get", reverse("review_session", args=[shared_session["session"].pk]))
    expected = SEES[who]
    assert_outcome(response, expected["page"], f"{who} GET the session")
    if response.status_code != 200:
        return
    page = response.content.decode()
    assert "Author_A" in page and "Author_B" in page, "the programme names every presenter"
    for key in "ab":
        shown, files = expected[key] is True, bool(expected[key])  # "files": reads the files, nothing else
        slot, upload = shared_session["slots"][key], shared_session["uploads"][key]
        assert (FEEDBACK[key] in page) is shown, f"{who}: editors' feedback on slot {key}"
        assert (SLIDES[key] in page) is files, f"{who}: slot {key}'s upload listed"
        assert (reverse("review_slot_file", args=[upload.pk]) in page) is files, f"{who}: slot {key}'s file link"
        assert (reverse("review_slot_upload", args=[slot.pk]) in page) is shown, f"{who}: slot {key}'s upload form"


@pytest.mark.parametrize("key", "ab")
@pytest.mark.parametrize("who", WHO)
def test_a_slots_file_downloads_only_for_its_authors_and_the_editors(client, people, shared_session, who, key):
    url = reverse("review_slot_file", args=[shared_session["uploads"][key].pk])
    assert_outcome(call_as(client, people, who, "get", url), FILE[key][who], f"{who} GET slot {key}'s file")


def test_the_calendar_file_carries_the_programme_and_no_feedback(client, people, shared_session):
    client.force_login(people["author_b"])
    ics = client.get(reverse("review_session_ics", args=[shared_session["session"].pk])).content.decode()
    assert "Author_A" in ics and "Author_B" in ics
    assert all(text[:20] not in ics for text in FEEDBACK.values())
