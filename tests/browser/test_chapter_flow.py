"""The chapter stage clicked through: an author uploads a real chapter (pandoc from Markdown with footnotes and
a bibliography, double-spaced), reads the report, sends it; a file with CUI in a footnote is refused with
nothing stored; the editor asks for a revision, the author uploads it with a response letter, the editor sees
the word-level diff and accepts it as final."""

import datetime as dt

import pytest

from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.start import start_chapter
from tests.chapters.files import stored_files, stored_rows
from chapterhouse.chapters.sample import chapter_markdown, edit, to_docx
from tests.browser.accounts import log_in

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def upload(page, name, data, note=""):
    page.set_input_files("#id_file", {"name": name, "mimeType": DOCX, "buffer": data})
    if note:
        page.fill("#id_note", note)
    page.click("button:has-text('Upload and check')")


def test_an_author_revises_and_the_editor_accepts_the_final_chapter(page, call, make_user, make_proposal):
    author = make_user("jordan", "author", email="jordan.ellis@example.edu", password="author-password-1")
    editor = make_user("desk-editor", "editor", password="editor-password-1")
    chapter = start_chapter(make_proposal(author), editor)
    markdown = chapter_markdown()
    first, revised = to_docx(markdown), to_docx(edit(markdown))
    with_cui = to_docx(chapter_markdown(note_extra={3: " (CUI) The program office memorandum adds the release dates."}))

    log_in(page, "jordan", "author-password-1")
    page.goto("/chapters/")
    page.click(f"text={chapter.title}")
    assert page.locator("h1").inner_text() == chapter.title
    upload(page, "ellis-chapter.docx", first)

    # The report page: verdict, words against the range, findings.
    page.wait_for_selector("text=Check report")
    assert "Passed the call's rules" in page.inner_text(".verdict")
    caption = page.inner_text(".word-bar figcaption")
    assert "the call asks for 4,000–8,000" in caption and "Within the range" in caption
    page.click(f"text={chapter.title} >> nth=0")

    # A file with CUI in a footnote: refused, with the checker's message and where; nothing stored.
    files, rows = stored_files(), stored_rows()
    upload(page, "with-cui.docx", with_cui, note="Second try")
    alert = page.inner_text("#refused")
    assert "Not stored" in alert and "CUI" in alert and "footnote 3" in alert
    assert page.input_value("#id_note") == "Second try"  # what the author typed is kept
    assert (stored_files(), stored_rows()) == (files, rows)

    page.click("button:has-text('Send to the editors')")
    page.wait_for_selector("text=is with the editors")
    assert page.inner_text(".chapter-status") == "With the editors"

    # The editor asks for a revision.
    log_in(page, "desk-editor", "editor-password-1")
    page.goto("/chapters/board/")
    page.click(f".board-column >> text={chapter.title}")
    page.click("text=Write feedback and decide")
    # The form offers the call's date for revised chapters; a date before today is refused on the field,
    # and the annotated copy chosen with it is kept for the corrected try.
    assert page.input_value("#id_revised_due") > f"{dt.date.today():%Y-%m-%d}"
    page.fill("#id_letter", "Open with the case, then tighten the second section.")
    page.set_input_files("#id_annotated", {"name": "notes.docx", "mimeType": DOCX, "buffer": first})
    page.check("input[name=decision][value=revise]")
    page.fill("#id_revised_due", f"{dt.date.today() - dt.timedelta(days=2):%Y-%m-%d}")
    page.click("button:has-text('Send the feedback')")
    page.wait_for_selector("text=must be due after today")
    assert "notes.docx" in page.inner_text("#held-annotated")
    assert page.input_value("#id_letter") == "Open with the case, then tighten the second section."
    page.fill("#id_revised_due", f"{dt.date.today() + dt.timedelta(days=60):%Y-%m-%d}")
    page.click("button:has-text('Send the feedback')")
    page.wait_for_selector("text=Feedback sent")
    assert "notes.docx" in page.inner_text("section[aria-labelledby=rounds-h]")
    assert page.inner_text(".chapter-status") == "Being revised"

    # The author reads the letter, uploads the revision and answers.
    log_in(page, "jordan", "author-password-1")
    page.goto(f"/chapters/{chapter.pk}/")
    assert "tighten the second section" in page.inner_text("section[aria-labelledby=rounds-h]")
    upload(page, "ellis-chapter-revised.docx", revised)
    page.wait_for_selector("text=Check report")
    page.click(f"text={chapter.title} >> nth=0")
    page.fill("#id_letter", "I now open with the case and tightened section two.")
    page.click("button:has-text('Send to the editors')")
    page.wait_for_selector("text=is with the editors")

    # The editor sees the diff, then accepts the revision as final.
    log_in(page, "desk-editor", "editor-password-1")
    page.goto(f"/chapters/{chapter.pk}/")
    page.click("text=Compare versions 1 and 2")
    page.wait_for_url("**/diff/**")  # count() does not wait: let the diff page arrive first
    page.wait_for_selector("ins:has-text('Revised opening')")
    assert page.locator("ins", has_text="Revised opening").count() == 1
    assert page.locator("h2", has_text="Footnote 2").count() == 1
    assert page.locator("ins", has_text="This paragraph is new in the revision").count() == 1
    page.goto(f"/chapters/{chapter.pk}/feedback/")
    page.fill("#id_letter", "Thank you: accepted as the final version.")
    page.check("input[name=decision][value=accept]")
    page.click("button:has-text('Send the feedback')")
    page.wait_for_selector("text=Feedback sent")
    assert page.inner_text(".chapter-status") == "Accepted as final"
    chapter = Chapter.objects.get(pk=chapter.pk)
    assert chapter.final_version.number == 2 and chapter.versions.count() == 2


def test_every_other_chapter_page_of_the_demo_reads_well(page, call, make_user, django_capture_on_commit_callbacks):
    """The demo's pages an editor and an author open, each audited by axe at 1280 and 390 px by the fixture."""
    from chapterhouse.progress.models import ReviewSession
    from chapterhouse.site.demo.chapters import CHAPTER_CALL_FILE
    from chapterhouse.site.demo.story import demo_call, run_story

    make_user("author1", "author", password="author-password-1")
    make_user("author2", "author")
    make_user("editor", "editor", password="editor-password-1")
    make_user("security", "security_reviewer")
    make_user("production", "production")
    with django_capture_on_commit_callbacks(execute=True):
        run_story(demo_call(CHAPTER_CALL_FILE))  # the demo's call in its chapter stage, to where its clock is
    revising = Chapter.objects.get(status="revising")

    page.goto(f"/calls/{call.slug}/")
    page.click("text=Check your chapter against these rules")
    page.set_input_files("#id_file", {"name": "mine.docx", "mimeType": DOCX, "buffer": to_docx(chapter_markdown(words=3000))})
    page.click("button:has-text('Check the chapter')")
    page.wait_for_selector("text=Check report")
    assert "words short" in page.inner_text(".word-bar figcaption")

    log_in(page, "editor", "editor-password-1")
    page.click("nav >> text=Chapters")
    page.wait_for_url("**/chapters/board/**")
    assert page.locator(".board-column").count() == 5
    for url in (f"/chapters/{revising.pk}/records/", f"/chapters/{revising.pk}/authors/", "/reviews/", "/reviews/new/",
                f"/reviews/{ReviewSession.objects.first().pk}/", "/chapters/calendar/"):
        page.goto(url)
        assert page.locator("h1").count() == 1
    log_in(page, "author1", "author-password-1")
    page.click("nav >> text=My chapters")
    page.click(f"text={revising.title}")
    assert "Upload the revised chapter" in page.inner_text("#upload-h")


def test_a_co_author_is_invited_joins_chooses_a_password_and_finds_the_chapter(page, call, make_user, make_proposal):
    """The contact author invites the co-author the proposal named; the co-author follows the mailed link, joins,
    chooses a password, logs in and finds the chapter."""
    import re

    from django.core import mail

    from chapterhouse.chapters.models import ChapterAuthor

    author = make_user("jordan", "author", email="jordan.ellis@example.edu", password="author-password-1")
    editor = make_user("desk-editor", "editor", password="editor-password-1")
    chapter = start_chapter(make_proposal(author), editor)
    coauthor = ChapterAuthor.objects.create(chapter=chapter, name="Robin Vale", email="robin.vale@example.net", order=2)

    log_in(page, "jordan", "author-password-1")
    page.goto(f"/chapters/{chapter.pk}/")
    page.click("button:has-text('Invite Robin Vale to join')")
    page.wait_for_selector("text=Invitation sent to Robin Vale")
    [sent] = [m for m in mail.outbox if "Join your chapter" in m.subject]
    link = re.search(r"http://\S+(/chapters/join/\S+/)", sent.body).group(1)
    page.click("button:has-text('Log out')")

    page.goto(link)
    assert chapter.title in page.inner_text("h1")
    page.fill("#id_new_password1", "robin-chooses-this-1")
    page.fill("#id_new_password2", "robin-chooses-this-1")
    page.click("button:has-text('Join the chapter')")  # joined and logged in once the password is set
    page.wait_for_selector("text=you have joined")
    page.click("button:has-text('Log out')")
    log_in(page, "robin.vale@example.net", "robin-chooses-this-1")
    page.goto("/chapters/")
    page.click(f"text={chapter.title}")
    assert page.locator("h1").inner_text() == chapter.title
    coauthor.refresh_from_db()
    assert coauthor.user.email == "robin.vale@example.net"
