"""Who gets what: every chapter and review-session view for anonymous visitors, two authors, a reviewer,
security, production and an editor.

Author A owns the chapter under test (with a version, a feedback round, a permission document and a slot
upload, which the reviewer discusses); Author B has a chapter of their own. Another author's chapter, its files and its reports are a 404
(not 403, so their existence does not leak); editors' pages are a 403 for other signed-in people.
"""

import datetime as dt
import functools

import pytest
from django.core import signing
from django.urls import reverse
from django.utils.html import escape
from django.utils import timezone

from chapterhouse.chapters.calendar import feed_for
from chapterhouse.chapters import coauthors
from chapterhouse.chapters.models import ChapterAuthor, PermissionRecord
from chapterhouse.chapters.upload import store_attachment, store_version
from chapterhouse.progress.models import ReviewSession, Slot, SlotUpload
from tests.fixtures.files import pdf_file, word_file
from tests.matrix import LOGIN, WHO

pytestmark = pytest.mark.django_db


@functools.cache
def files() -> dict[str, bytes]:
    """Made once per run: the matrix builds the same world for each of its ~200 requests."""
    return {"draft": word_file("A short first draft of the chapter."), "b": word_file("Author B's private draft."),
            "annotated": word_file("Annotated: expand section 2."), "permission": pdf_file("Permission granted."),
            "slides": pdf_file("Slides")}

OWN = {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200, "editor": 200}
OWN_POST = {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 302, "editor": 302}
EDITORS_ONLY = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 200}
EDITORS_POST = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302}
SIGNED_IN = {**dict.fromkeys(WHO, 200), "anonymous": LOGIN}
# The reviewer is the discussant of Author A's slot: they see its session and read its files, nothing more.
DISCUSSED = {**OWN, "reviewer": 200}

MATRIX = {
    ("my_chapters", "get"): SIGNED_IN,
    ("chapter_board", "get"): EDITORS_ONLY,
    ("check_chapter", "get"): dict.fromkeys(WHO, 200),
    ("check_chapter", "post"): dict.fromkeys(WHO, 400),  # no file sent: the form says so, to anyone
    ("my_calendar", "get"): SIGNED_IN,
    ("my_calendar_regenerate", "post"): {**dict.fromkeys(WHO, 302), "anonymous": LOGIN},
    ("calendar_feed", "get"): dict.fromkeys(WHO, 200),  # the secret token is the key, whoever asks
    ("chapter", "get"): OWN,
    ("chapter_upload", "post"): OWN_POST,
    ("chapter_send", "post"): OWN_POST,
    ("chapter_diff", "get"): OWN,
    ("chapter_version", "get"): OWN,
    ("chapter_version_file", "get"): OWN,
    ("chapter_annotated", "get"): OWN,
    ("chapter_waive", "post"): EDITORS_POST,
    ("chapter_final", "post"): EDITORS_POST,
    ("chapter_feedback", "get"): EDITORS_ONLY,
    ("chapter_move", "post"): EDITORS_POST,
    ("chapter_extend", "post"): EDITORS_POST,
    ("chapter_authors", "get"): EDITORS_ONLY,
    ("chapter_records", "get"): EDITORS_ONLY,
    ("chapter_permission_document", "get"): EDITORS_ONLY,
    # The chapter's own author only (editors record documents on the records page); no file: told, nothing stored.
    ("chapter_permission_letter", "post"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 302},
    ("chapter_author_invite", "post"): OWN_POST,
    # The invitation's token is the key; anyone signed in with another address is told to log out first.
    ("chapter_join", "get"): {**dict.fromkeys(WHO, 403), "anonymous": 200},
    ("chapter_join", "post"): {**dict.fromkeys(WHO, 403), "anonymous": 302},  # choosing a password joins
    ("review_sessions", "get"): SIGNED_IN,
    ("review_session_new", "get"): EDITORS_ONLY,
    ("review_session_new", "post"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302},
    ("review_session", "get"): DISCUSSED,
    ("review_slot_new", "post"): EDITORS_POST,
    ("review_session_ics", "get"): DISCUSSED,
    ("review_slot_upload", "post"): OWN_POST,
    ("review_slot_feedback", "post"): EDITORS_POST,
    ("review_slot_edit", "get"): EDITORS_ONLY,
    ("review_slot_edit", "post"): EDITORS_POST,
    ("review_slot_remove", "post"): EDITORS_POST,
    ("review_slot_file", "get"): DISCUSSED,
}


@pytest.fixture
def world(chapter_a, chapter_b, people, call):
    from chapterhouse.chapters.rounds import write_feedback
    from chapterhouse.chapters.states import SUBMITTED
    from chapterhouse.workflow.transitions import transition

    version = store_version(chapter_a, files()["draft"], "draft.docx", people["author_a"])
    store_version(chapter_b, files()["b"], "b.docx", people["author_b"])
    transition(chapter_a, SUBMITTED, people["author_a"], {"owner"})
    write_feedback(chapter_a, version, people["editor"], letter="Please expand.", decision="revise",
                   revised_due=timezone.localdate() + dt.timedelta(days=60), annotated=("notes.docx", files()["annotated"]))
    permission = PermissionRecord(chapter=chapter_a, material="Figure 2", rights_holder="A Press", status="granted")
    store_attachment(permission.document, "permission.pdf", files()["permission"], "permissions")
    permission.save()
    start = timezone.now() + dt.timedelta(days=30)
    session = ReviewSession.objects.create(call=call, title="May workshop", starts_at=start,
                                           ends_at=start + dt.timedelta(hours=3), chatham_house=True)
    slot = Slot.objects.create(session=session, chapter=chapter_a, presenter_user=people["author_a"],
                               discussant_user=people["reviewer"])
    other_session = ReviewSession.objects.create(call=call, title="B's session", starts_at=start,
                                                 ends_at=start + dt.timedelta(hours=2))
    Slot.objects.create(session=other_session, chapter=chapter_b, presenter_user=people["author_b"])
    upload = SlotUpload(slot=slot, kind="slides", original_name="slides.pdf", sha256="0" * 64)
    store_attachment(upload.file, "slides.pdf", files()["slides"], "progress")
    upload.save()
    coauthor = ChapterAuthor.objects.create(chapter=chapter_a, name="Robin Vale", email="robin.vale@example.net", order=2)
    token = signing.dumps({"author": coauthor.pk, "email": coauthor.email}, salt=coauthors.SALT)
    return {"chapter": chapter_a, "version": version, "permission": permission, "session": session, "slot": slot,
            "upload": upload, "feed": feed_for(people["editor"]), "coauthor": coauthor, "token": token,
            "presenter": people["author_a"].pk}


def request_for(name, world, call):
    chapter = world["chapter"]
    kwargs = {
        "check_chapter": {"slug": call.slug},
        "calendar_feed": {"token": world["feed"].token},
        "chapter_version": {"pk": chapter.pk, "number": 1},
        "chapter_version_file": {"pk": chapter.pk, "number": 1},
        "chapter_waive": {"pk": chapter.pk, "number": 1},
        "chapter_final": {"pk": chapter.pk, "number": 1},
        "chapter_annotated": {"pk": chapter.pk, "number": 1},
        "chapter_permission_document": {"pk": chapter.pk, "record": world["permission"].pk},
        "chapter_permission_letter": {"pk": chapter.pk, "record": world["permission"].pk},
        "review_session": {"pk": world["session"].pk},
        "review_session_ics": {"pk": world["session"].pk},
        "review_slot_upload": {"pk": world["slot"].pk},
        "review_slot_new": {"pk": world["session"].pk},
        "review_slot_feedback": {"pk": world["slot"].pk},
        "review_slot_edit": {"pk": world["slot"].pk},
        "review_slot_remove": {"pk": world["slot"].pk},
        "review_slot_file": {"pk": world["upload"].pk},
        "chapter_author_invite": {"pk": chapter.pk, "author": world["coauthor"].pk},
        "chapter_join": {"token": world["token"]},
    }.get(name)
    if kwargs is None and name.startswith("chapter_") and name != "chapter_board" or name == "chapter":
        kwargs = {"pk": chapter.pk}
    data = {
        "chapter_move": {"to": "withdrawn", "reason": "Matrix test"},
        "chapter_extend": {"kind": "final_chapters_due", "reason": "Matrix test",
                           "due_on": f"{timezone.localdate() + dt.timedelta(days=300):%Y-%m-%d}"},
        "chapter_waive": {"finding": 0, "reason": "Matrix test"},
        "review_slot_feedback": {"feedback": "Good."},
        "review_session_new": {"title": "June reviews", "starts_at": "2030-06-01T10:00", "ends_at": "2030-06-01T12:00"},
        "review_slot_new": {"chapter": world["chapter"].pk, "order": 2, "presenter_user": world["presenter"]},
        "review_slot_edit": {"chapter": world["chapter"].pk, "order": 3, "presenter_user": world["presenter"]},
        "chapter_upload": {"note": "n"},  # no file: the form answers, nothing is stored
        "check_chapter": {},
        "chapter_join": {"new_password1": "robin-chooses-this-1", "new_password2": "robin-chooses-this-1"},
    }.get(name, {})
    return reverse(name, kwargs=kwargs or {}), data


EXPECTED_FORM_ANSWERS = {("chapter_upload", 400), ("chapter_send", 400), ("review_slot_upload", 302)}


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, call, people, world, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    url, data = request_for(view, world, call)
    response = getattr(client, method)(url, data)
    expected = MATRIX[(view, method)][who]
    if expected == LOGIN:
        assert response.status_code == 302 and response.url.startswith(reverse("login")), response
    elif expected == 302 and (view, response.status_code) in EXPECTED_FORM_ANSWERS:
        pass  # let in, and the form said what was missing (an upload without a file; a send in the wrong state)
    else:
        assert response.status_code == expected, f"{who} {method.upper()} {url}: {response.status_code}"


def test_an_author_never_sees_another_chapters_files_or_reports(client, people, world, chapter_b):
    client.force_login(people["author_b"])
    chapter = world["chapter"]
    for url in [reverse("chapter", args=[chapter.pk]), reverse("chapter_version", args=[chapter.pk, 1]),
                reverse("chapter_version_file", args=[chapter.pk, 1]), reverse("chapter_diff", args=[chapter.pk]),
                reverse("chapter_annotated", args=[chapter.pk, 1]), reverse("review_slot_file", args=[world["upload"].pk]),
                reverse("review_session", args=[world["session"].pk])]:
        assert client.get(url).status_code == 404, url
    page = client.get(reverse("my_chapters")).content.decode()
    assert escape(chapter_b.title) in page and escape(chapter.title) not in page
    sessions = client.get(reverse("review_sessions")).content.decode()
    assert "May workshop" not in sessions and "B&#x27;s session" in sessions


def test_later_stages_read_final_chapters_but_do_not_upload(client, people, world):
    from chapterhouse.chapters.states import FINAL, SUBMITTED
    from chapterhouse.workflow.transitions import transition

    chapter = world["chapter"]
    transition(chapter, SUBMITTED, people["editor"], {"editor"})
    transition(chapter, FINAL, people["editor"], {"editor"})
    client.force_login(people["security"])
    assert client.get(reverse("chapter_version", args=[chapter.pk, 1])).status_code == 200
    assert client.post(reverse("chapter_upload", args=[chapter.pk]), {}).status_code == 404


def test_a_regenerated_calendar_address_stops_the_old_one(client, people):
    from chapterhouse.chapters.calendar import regenerate

    old = feed_for(people["author_a"]).token
    regenerate(people["author_a"])
    assert client.get(reverse("calendar_feed", args=[old])).status_code == 404
    new = feed_for(people["author_a"]).token
    assert client.get(reverse("calendar_feed", args=[new])).status_code == 200
