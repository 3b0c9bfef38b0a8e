"""Issue 17 §3: the default call's eleven milestones replayed on a fresh site with a moving clock, every step
clicked by the person who does it, mail read from the outbox.

The call is loaded with its proposal window opening tomorrow; time-machine moves the process clock (and so the
live server's, which runs in a thread of this process) to each milestone in turn, ticking. The volume is kept
small (three themes of one chapter each) so the galleys build quickly; every page is audited by axe-core at 1280
px as it loads by the ``page`` fixture, and each kind of page once more at 390 px (the replay visits most kinds many
times: see ``phone_check_each_kind_once``).
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.browser.accounts import PASSWORD, log_in, log_out
from tests.browser.timeline_driver import Clock, link_in, mail_to, phone_check_each_kind_once, upload_docx
from tests.fixtures.files import word_file

pytestmark = [pytest.mark.browser, pytest.mark.longest, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture
def page(monkeypatch, page):
    """The browser tests' ``page``, its closing 390 px re-check run once per kind of page (monkeypatch is set up
    first, so it is undone only after that re-check ran)."""
    from tests.browser import conftest as browser_pages

    monkeypatch.setattr(browser_pages, "_phone_check", phone_check_each_kind_once(browser_pages._phone_check))
    return page

TOPICS = {  # theme label on the form → (slug, topics of the proposals sent to it)
    "Process": ("process", ["the Tiered Review of technology release", "letters of request and their pricing",
                            "case closure and its backlog"]),
    "Industry": ("industry", ["offsets demanded by partner nations", "coproduction lines abroad",
                              "surge capacity for munitions"]),
    "Law and Policy": ("law-and-policy", ["congressional notification of arms sales",
                                          "end-use monitoring under the Arms Export Control Act",
                                          "human rights vetting of partner units"]),
    "Partnership": ("partnership", ["partner absorptive capacity", "institution building with small partners",
                                    "training teams that stay"]),
}
BODY = ("It traces how the Foreign Military Sales process handled this in three recent cases and what implementing "
        "agencies, program offices and partner nations learned from them. Drawing on interviews with case managers, "
        "security cooperation officers and industry, it shows where deliberate decision-making protects outcomes "
        "and where it only adds delay, compares the practice with earlier acquisition and contracting reforms, and "
        "proposes measures that the partner and the United States could both track. The chapter ends with lessons "
        "for planning multi-year cases and for the security cooperation workforce that manages them, and it names "
        "the questions a second study should answer.")
CHOSEN = {"process": 0, "industry": 0, "law-and-policy": 0}  # the first proposal of each of these themes wins


def abstract(topic: str) -> str:
    return f"This chapter examines {topic} in U.S. Foreign Military Sales. {BODY}"


def step_the_call_opens(page, clock, call):
    """Proposals open: the call page offers the form (the day before, it did not)."""
    page.goto(f"/calls/{call.slug}/")
    assert page.locator("text=Submit a proposal").count() == 0
    clock.to_milestone("proposals_open")
    page.reload()
    assert page.locator("text=Submit a proposal").count() > 0


def submit(page, call, title, theme_label, topic, name, email, attachment=None, marked_abstract=""):
    page.goto(f"/calls/{call.slug}/")
    page.click("text=Submit a proposal >> nth=0")
    page.fill("#id_title", title)
    page.check(f"label:has-text('{theme_label}') input[type=radio]")
    page.fill("#id_abstract", abstract(topic) + marked_abstract)
    page.fill("#id_keywords", f"{topic}, foreign military sales")
    page.fill("#id_authors-0-name", name)
    page.fill("#id_authors-0-email", email)
    page.fill("#id_authors-0-affiliation", f"{name.split()[-1]} Institute")
    page.fill("#id_authors-0-bio", f"{name} writes on security cooperation.")
    page.check("input[name=funding_requested][value=no]")
    if attachment:
        upload_docx(page, "#id_attachment", "outline.docx", attachment)
    page.check("#id_attest_unclassified")
    page.click("button:has-text('Submit proposal')")


def step_proposals_arrive(page, clock, call):
    """Twelve proposals through the public form over the window, one a day; two refused by screening; each
    contact of a proposal the editors will accept sets a password from the receipt in the outbox."""
    from chapterhouse.proposals.models import Proposal

    opened = clock.date_of("proposals_open")
    authors = {}
    number = 0
    for label, (slug, topics) in TOPICS.items():
        for index, topic in enumerate(topics):
            number += 1
            clock.to(opened + dt.timedelta(days=number))
            name, email = f"Author{number} Writer", f"author{number}@example.edu"
            title = f"Rethinking {topic}"
            submit(page, call, title, label, topic, name, email)
            page.wait_for_selector("[data-testid=reference]")
            reference = page.inner_text("[data-testid=reference]")
            receipt = mail_to(email, reference)
            if CHOSEN.get(slug) == index or (slug == "process" and index == 1):
                page.goto(link_in(receipt.body, r"/accounts/password/set/\S+"))
                page.fill("#id_new_password1", PASSWORD)
                page.fill("#id_new_password2", PASSWORD)
                page.click("button:has-text('Save password')")
                authors[slug if index == CHOSEN.get(slug) else "runner-up"] = (email, reference, title)
    # Two refused by screening: nothing stored, the reason named, what was typed kept.
    clock.to(opened + dt.timedelta(days=number + 1))
    submit(page, call, "Marked attachment", "Process", "case closure", "Refused One", "refused1@example.edu",
           attachment=word_file("Background", "SECRET//NOFORN", "Analysis"))
    summary = page.inner_text("#form-errors")
    assert "nothing of it was saved" in summary and "SECRET//NOFORN" in summary
    assert page.input_value("#id_title") == "Marked attachment"
    submit(page, call, "Marked abstract", "Industry", "offsets", "Refused Two", "refused2@example.edu",
           marked_abstract=" TOP SECRET//NOFORN")
    assert "nothing of it was saved" in page.inner_text("#form-errors")
    assert Proposal.objects.filter(call=call).count() == 12
    return authors


def step_the_call_closes(page, clock, call):
    clock.to_milestone("proposals_close", days=1)
    page.goto(f"/calls/{call.slug}/")
    assert page.locator("text=Submit a proposal").count() == 0


REVIEWERS = [("Rae Vance", "rae.vance@example.net"), ("Sam Okafor", "sam.okafor@example.org")]


def step_reviewers_invited_assigned_and_reviewing_blind(page, clock, call, authors):
    """The editors send four proposals to review and decline the rest on the desk; two reviewers are invited,
    accept from the mail, state their expertise; the assignment runs and each reviews without seeing who wrote."""
    from chapterhouse.proposals.models import Proposal

    clock.to_milestone("proposals_close", days=2)
    reviewed = [authors[key][1] for key in ("process", "runner-up", "industry", "law-and-policy")]
    log_in(page, "editor")
    page.click("nav >> text=Editors' desk")
    for reference in reviewed:
        page.check(f"#pick-{reference}")
    page.click("button:has-text('Start review…')")
    page.click("button:has-text('Start review: 4 proposals')")
    assert "4 proposals now “Under review”" in page.inner_text(".messages")
    for proposal in Proposal.objects.filter(call=call, status="submitted"):
        page.check(f"#pick-{proposal.reference}")
    page.click("button:has-text('Decline without review…')")
    page.fill("#bulk-reason", "Outside what the volume can hold this time.")
    page.click("button:has-text('Decline without review: 8 proposals')")
    assert "8 proposals now “Declined”" in page.inner_text(".messages")

    page.click(".stage-links >> text=Reviewers")
    for name, email in REVIEWERS:
        page.fill("#id_name", name)
        page.fill("#id_email", email)
        page.fill("#id_affiliation", "Example Policy Institute")
        page.click("button:has-text('Send invitation')")
        page.wait_for_selector(f"text=Invitation sent to {email}")
    log_out(page)

    for name, email in REVIEWERS:
        invitation = mail_to(email, "Invitation to review")
        page.goto(link_in(invitation.body, r"/accounts/password/set/\S+"))
        page.fill("#id_new_password1", PASSWORD)
        page.fill("#id_new_password2", PASSWORD)
        page.click("button:has-text('Save password')")
        log_in(page, email)
        page.goto(link_in(invitation.body, r"/review/invitation/"))
        page.click("button:has-text('Accept the invitation')")
        page.click("nav >> text=My reviews")
        page.click("text=state your expertise, conflicts and load")
        page.fill("#id_keywords", "foreign military sales, technology release, offsets, arms export law")
        page.fill("#id_statement", f"{name} has managed cases and written on security cooperation.")
        page.fill("#id_max_load", "4")
        page.click("button:has-text('Save')")
        page.wait_for_selector("text=Your expertise and load are saved")
        log_out(page)

    log_in(page, "editor")
    page.click("nav >> text=Editors' desk")
    page.click(".stage-links >> text=Reviewer assignment")
    page.click("button:has-text('Run the assignment')")
    page.wait_for_selector("[data-testid=run-result]")
    assert "8 reviews" in page.inner_text("[data-testid=run-result]")
    page.click("button:has-text('Apply')")
    page.wait_for_selector("text=new assignments made")
    log_out(page)

    clock.to_milestone("proposals_close", days=6)
    for name, email in REVIEWERS:
        assert "/review/" in mail_to(email, "").body
        log_in(page, email)
        page.click("nav >> text=My reviews")
        for reference in reviewed:
            page.click(f"text={reference}")
            page.wait_for_selector("[data-testid=abstract]")
            content = page.content()
            assert "Writer" not in content and "example.edu" not in content  # double-blind
            good = reference != authors["runner-up"][1]
            for key in ("fit", "contribution", "feasibility"):
                page.check(f"input[name=score_{key}][value='{5 if good else 2}']")
            page.check(f"input[name=recommendation][value={'accept' if good else 'decline'}]")
            page.fill("#id_comments_to_author", "A clear plan; say more about the measures." if good
                      else "Too broad for one chapter.")
            page.click("button:has-text('Send review to the editors')")
            page.wait_for_selector("text=your review of")
            page.click("nav >> text=My reviews")
        log_out(page)


def step_selection_under_the_quotas(page, clock, call, authors):
    """The editor runs the selection under the themes' quotas, commits it and schedules every letter."""
    from chapterhouse.selection.models import Decision

    log_in(page, "editor")
    page.click("nav >> text=Editors' desk")
    page.click(".stage-links >> text=Selection and letters")
    page.click("button:has-text('Run the selection')")
    page.wait_for_selector("[data-testid=run-1]")
    run = page.inner_text("[data-testid=run-1]")
    assert "quota 1–1" in run
    page.click("button:has-text('Commit run 1')")
    page.wait_for_selector("text=draft decisions")
    for key in ("process", "industry", "law-and-policy"):
        assert Decision.objects.get(proposal__reference=authors[key][1]).kind == "accept"
    page.click("button:has-text('Schedule every draft letter for the notification date')")
    log_out(page)


def step_letters_sent_by_the_worker(page, clock, call, authors):
    """Nothing is sent before the notification date; on it, the worker sends every letter."""
    from chapterhouse.outbox.periodic import run_due
    from chapterhouse.outbox.models import Message

    email, reference, title = authors["process"]
    run_due()
    assert not Message.objects.filter(to=email, subject__startswith=f"{reference}: ").exists()
    clock.to_milestone("authors_notified", hour=9)
    run_due()
    letter = mail_to(email, f"{reference}: ")
    assert "accepted" in letter.subject and "delighted to accept" in letter.body
    assert "accepted" not in mail_to(authors["runner-up"][0], f"{authors['runner-up'][1]}: ").subject
    log_in(page, email)
    page.click("nav >> text=My proposals")
    page.click(f"text={reference}")
    page.click("text=Read the decision letter")
    assert "delighted to accept" in page.inner_text("[data-testid=decision-letter]")
    log_out(page)


def chapter_of(authors, key):
    from chapterhouse.chapters.models import Chapter

    return Chapter.objects.get(proposal__reference=authors[key][1])


def open_my_chapter(page, email, title):
    log_in(page, email)
    page.click("nav >> text=My chapters")
    page.click(f"text={title}")


def step_in_progress_review_session(page, clock, call, authors):
    """An editor plans the in-progress reviews; the process chapter's author presents and uploads a draft."""
    email, _, title = authors["process"]
    chapter = chapter_of(authors, "process")
    day = clock.to_milestone("progress_reviews", days=-20)
    held = clock.date_of("progress_reviews") + dt.timedelta(days=10)
    log_in(page, "editor")
    page.click("nav >> text=Chapters")
    page.click("text=Review sessions")
    page.click("text=Plan a session")
    page.fill("#id_title", "In-progress reviews")
    page.fill("#id_starts_at", f"{held:%Y-%m-%d}T13:00")
    page.fill("#id_ends_at", f"{held:%Y-%m-%d}T16:00")
    page.fill("#id_drafts_due", f"{held - dt.timedelta(days=5):%Y-%m-%d}")
    page.click("button:has-text('Plan the session')")
    page.wait_for_selector("text=Add a presentation")
    page.select_option("#id_chapter", str(chapter.pk))
    page.select_option("#id_presenter_user", str(chapter.authors.first().user_id))
    page.click("button:has-text('Add to the programme')")
    page.wait_for_selector(f"h3:has-text('{title}')")
    log_out(page)
    assert day < held

    clock.to(held - dt.timedelta(days=7))
    log_in(page, email)
    page.click("nav >> text=My chapters")
    page.click("text=In-progress review sessions")
    page.click("text=In-progress reviews")
    page.select_option("select[name=kind]", "draft")
    upload_docx(page, "input[type=file]", "draft.docx", word_file("A first draft for the in-progress reviews."))
    page.click("button:has-text('Upload')")
    page.wait_for_selector("text=Draft: draft.docx")
    log_out(page)


def upload_chapter(page, name, data, letter=""):
    upload_docx(page, "#id_file", name, data)
    page.click("button:has-text('Upload and check')")
    page.wait_for_selector("text=Check report")
    assert "Passed the call's rules" in page.inner_text(".verdict")
    caption = page.inner_text(".word-bar figcaption")
    assert "the call asks for 4,000–8,000" in caption and "Within the range" in caption
    page.click("nav >> text=My chapters")


def step_final_chapters_uploaded_and_checked(page, clock, call, authors, files):
    clock.to_milestone("final_chapters_due", days=-3)
    for key in ("process", "industry", "law-and-policy"):
        email, _, title = authors[key]
        open_my_chapter(page, email, title)
        upload_chapter(page, f"{key}.docx", files[key][0])
        page.click(f"text={title}")
        page.click("button:has-text('Send to the editors')")
        page.wait_for_selector("text=is with the editors")
        log_out(page)


def step_editors_send_feedback(page, clock, call, authors):
    clock.to_milestone("editor_feedback")
    log_in(page, "editor")
    for key in ("process", "industry", "law-and-policy"):
        email, _, title = authors[key]
        page.click("nav >> text=Chapters")
        page.click(f".board-column >> text={title}")
        page.click("text=Write feedback and decide")
        assert page.input_value("#id_revised_due") == f"{clock.date_of('revised_chapters_due'):%Y-%m-%d}"
        page.fill("#id_letter", "Open with the case, then tighten the second section.")
        page.check("input[name=decision][value=revise]")
        page.click("button:has-text('Send the feedback')")
        page.wait_for_selector("text=Feedback sent")
        assert page.inner_text(".chapter-status") == "Being revised"
    log_out(page)


def step_revised_chapters_arrive(page, clock, call, authors, files):
    clock.to_milestone("revised_chapters_due", days=-2)
    for key in ("process", "industry", "law-and-policy"):
        email, _, title = authors[key]
        open_my_chapter(page, email, title)
        assert "tighten the second section" in page.inner_text("section[aria-labelledby=rounds-h]")
        upload_chapter(page, f"{key}-revised.docx", files[key][1])
        page.click(f"text={title}")
        page.fill("#id_letter", "I now open with the case.")
        page.click("button:has-text('Send to the editors')")
        page.wait_for_selector("text=is with the editors")
        log_out(page)
    log_in(page, "editor")
    for key in ("process", "industry", "law-and-policy"):
        page.click("nav >> text=Chapters")
        page.click(f".board-column >> text={authors[key][2]}")
        page.click("text=Write feedback and decide")
        page.fill("#id_letter", "Thank you: accepted as the final version.")
        page.check("input[name=decision][value=accept]")
        page.click("button:has-text('Send the feedback')")
        page.wait_for_selector("text=Feedback sent")
        assert page.inner_text(".chapter-status") == "Accepted as final"
    log_out(page)


def step_dopsr_cleared_as_amended(page, clock, call, authors):
    from chapterhouse.clearance.models import Amendment, ClearanceRequest
    from tests.browser.test_clearance_flow import move
    from tests.clearance.conftest import chapter_file

    day = clock.to_milestone("security_review_submission", days=-7)
    log_in(page, "editor")
    page.click("nav >> text=Security review")
    page.click("button:has-text('Prepare the clearance request')")
    page.click("text=Edit the DD 1910")
    page.fill("#id_point_of_contact", "Nathan Toronto, DSCU, +1 555 0100")
    page.click("button:has-text('Save the DD 1910')")
    with page.expect_navigation(timeout=300_000):  # the package (a combined PDF) is built by the worker's task
        page.click("button:has-text('Re-check chapters and build the package')", no_wait_after=True)
    page.wait_for_selector("[data-testid=package-link]")
    clock.to_milestone("security_review_submission")
    move(page, "Submit to the office", on=f"{clock.date_of('security_review_submission'):%Y-%m-%d}")
    assert "expected by" in page.inner_text("main")
    log_out(page)
    assert day

    clock.to_milestone("security_review_submission", days=10)
    email, _, title = authors["process"]
    log_in(page, "security")
    page.click("nav >> text=To do")
    page.click(f"text=Record the office's answer on {call.title}")
    move(page, "Record that review started")
    move(page, "Record: cleared as amended", reason="One passage in the process chapter.", office_reference="25-S-0042")
    page.select_option("#am_chapter", label=title)
    page.fill("#am_location", "p. 1, first paragraph")
    page.fill("#am_cleared_text", "delivered forty aircraft")
    page.fill("#am_required_text", "delivered several aircraft")
    page.click("button:has-text('Record the amendment')")
    assert "Cleared as amended" in page.inner_text("main")
    log_out(page)

    log_in(page, email)
    page.click(f"text=Make the 1 change the security review requires in “{title}”")
    assert "delivered several aircraft" in page.inner_text("main")
    upload_docx(page, "#id_file", "amended.docx", chapter_file(seed=1, replace=AMENDED,
                                                                extra="I now open with the case."))
    page.click("button:has-text('Upload and send to the security reviewer')")
    log_out(page)

    log_in(page, "security")
    page.click(f"text=Confirm or return the amended “{title}”")
    page.click("button:has-text('Confirm this amendment')")
    assert Amendment.objects.get().status == "confirmed"
    assert ClearanceRequest.objects.get().status == "cleared_as_amended"
    log_out(page)


def step_copyedit_cover_and_galleys(page, clock, call, authors, copyedited, cover):
    from tests.volume_fixtures import cover_png

    clock.to_milestone("line_editing_galleys", days=-10)
    chapter = chapter_of(authors, "process")
    email, _, title = authors["process"]
    log_in(page, "production")
    page.click("nav >> text=To do")
    page.click(f"text=Copyedit “{title}” and send it to the author")
    upload_docx(page, f"#c{chapter.pk}_file", "copyedit.docx", copyedited)
    page.fill(f"#note-{chapter.pk}", "House style applied; one query.")
    page.locator(f"section:has(#ch-{chapter.pk}) button[type=submit]").click()
    assert "sent to the author" in page.inner_text(".messages")
    log_out(page)

    log_in(page, email)
    page.click(f"text=Approve the copyedit of “{title}”")
    assert "please confirm the number of aircraft" in page.inner_text("main")
    page.click("button:has-text('Approve the copyedit')")
    log_out(page)

    clock.to_milestone("line_editing_galleys")
    log_in(page, "production")
    page.click("nav >> text=Production")
    page.click(f"main >> text={call.title} >> nth=0")
    cover.write_bytes(cover_png())
    page.set_input_files("#id_image", str(cover))
    page.fill("#id_description", "Navy cover with a brick band")
    page.click("text=Upload cover")
    assert "Cover uploaded" in page.content()
    build_galleys(page, 1)
    log_out(page)


def build_galleys(page, number):
    with page.expect_navigation(url=f"**/builds/{number}/", timeout=300_000):
        page.click("text=Build galleys now", no_wait_after=True)
    page.reload()
    assert page.locator("#build-state").inner_text() == "Built"


def step_proofs_with_an_accepted_correction(page, clock, call, authors):
    from chapterhouse.outbox.models import Message
    from chapterhouse.production.proofs.models import Correction

    clock.to_milestone("galley_proofs")
    log_in(page, "editor")
    page.click("nav >> text=Copyedits and proofs")
    page.click("text=Author proofs >> nth=0")
    page.click("button:has-text('Send the proofs to the authors')")
    log_out(page)
    for key in ("process", "industry", "law-and-policy"):
        email, _, title = authors[key]
        assert Message.objects.filter(to=email, body__contains=f"/my/chapters/{chapter_of(authors, key).pk}/proofs/").exists()
        log_in(page, email)
        page.click(f"text=Check the proofs of “{title}”")
        if key == "process":
            page.fill("#id_page", "1")
            page.fill("#id_wrong", "delivered several aircraft")
            page.fill("#id_right", "delivered six aircraft")
            page.fill("#id_comment", "The figure was revised.")
            page.click("button:has-text('File the correction')")
            page.click("button:has-text('Send my corrections to the editors')")
        else:
            page.click("button:has-text('Approve the proofs as they stand')")
        log_out(page)

    clock.to_milestone("galley_proofs", days=7)
    log_in(page, "editor")
    page.click("nav >> text=To do")
    page.click("text=Accept or reject 1 proof correction")
    assert "Changes the meaning after clearance" in page.inner_text("main")
    page.click("button:has-text('Accept')")
    page.click("nav >> text=To do")
    page.click("text=Every author has answered")
    page.click("button:has-text('Close the proof round')")
    assert Correction.objects.get().status == "accepted"
    log_out(page)


def step_launch_with_every_export_valid(page, clock, call, authors, tmp_path):
    import io
    import json

    import bibtexparser
    import onixcheck
    import rispy
    from lxml import etree

    clock.to_milestone("launch", days=-14)
    email, _, title = authors["process"]
    log_in(page, "security")
    page.click(f"text=made after clearance >> nth=0")
    after = page.inner_text("section:has(#h-after)")
    assert "delivered six aircraft" in after
    page.locator("form[action$='/seen/'] button").click()
    log_out(page)
    log_in(page, "production")
    page.click("nav >> text=Production")
    page.click(f"main >> text={call.title} >> nth=0")
    build_galleys(page, 2)
    log_out(page)

    clock.to_milestone("launch")
    slug = call.slug
    log_in(page, "editor")
    page.click("nav >> text=Production")
    page.click(f"main >> text={call.title} >> nth=0")
    page.click("text=Launch: publish a build")
    page.select_option("#id_build", label=page.locator("#id_build option", has_text="Build 2 (").inner_text())
    page.fill("#id_description", "Essays on foreign military sales for the security cooperation professional.")
    page.check("#id_downloads_open")
    page.fill("#id_published_on", f"{clock.date_of('launch'):%Y-%m-%d}")
    page.click("text=Save")
    assert "Not yet" not in page.locator(".checklist").first.inner_text()
    page.click("button:has-text('Launch')")
    assert "The volume is now Launched." in page.content()
    log_out(page)

    page.goto(f"/books/{slug}/")
    assert title in page.locator("main").inner_text()
    onix = tmp_path / "onix.xml"
    onix.write_bytes(page.request.get(f"/books/{slug}/metadata/onix/").body())
    assert onixcheck.validate(str(onix)) == []
    crossref = etree.fromstring(page.request.get(f"/books/{slug}/metadata/crossref/").body())
    assert crossref.find(".//{http://www.crossref.org/schema/5.3.1}book").get("book_type") == "edited_book"
    assert len(json.loads(page.request.get(f"/books/{slug}/metadata/csl/").body())) == 4
    assert len(rispy.load(io.StringIO(page.request.get(f"/books/{slug}/metadata/ris/").text()))) == 4
    assert len(bibtexparser.parse_string(page.request.get(f"/books/{slug}/metadata/bibtex/").text()).entries) == 4


def test_the_default_call_from_opening_to_launch(page, call_opening_tomorrow, people, time_machine, tmp_path):
    call = call_opening_tomorrow
    clock = Clock(time_machine, call)
    clock.to(dt.date.today())
    page.set_default_timeout(60_000)  # the worker's tasks (package, galleys) run inside requests here; CI is busy
    step_the_call_opens(page, clock, call)
    authors = step_proposals_arrive(page, clock, call)
    step_the_call_closes(page, clock, call)
    step_reviewers_invited_assigned_and_reviewing_blind(page, clock, call, authors)
    step_selection_under_the_quotas(page, clock, call, authors)
    step_letters_sent_by_the_worker(page, clock, call, authors)
    step_in_progress_review_session(page, clock, call, authors)
    files = chapter_files()
    step_final_chapters_uploaded_and_checked(page, clock, call, authors, files)
    step_editors_send_feedback(page, clock, call, authors)
    step_revised_chapters_arrive(page, clock, call, authors, files)
    step_dopsr_cleared_as_amended(page, clock, call, authors)
    step_copyedit_cover_and_galleys(page, clock, call, authors, copyedited(tmp_path), tmp_path / "cover.png")
    step_proofs_with_an_accepted_correction(page, clock, call, authors)
    step_launch_with_every_export_valid(page, clock, call, authors, tmp_path)
    assert clock.visited == [m.kind for m in call.definition.milestones]  # all eleven, in the call's order


AMENDED = ("forty aircraft", "several aircraft")


def copyedited(tmp_path) -> bytes:
    """The amended process chapter as the copyeditor sends it back: tracked changes and a query."""
    from tests.clearance.conftest import chapter_file
    from tests.production.volume_factory import add_comment, add_tracked_changes

    path = tmp_path / "copyedit.docx"
    path.write_bytes(chapter_file(1, replace=AMENDED, extra="I now open with the case."))
    add_tracked_changes(path)
    add_comment(path, "AU: please confirm the number of aircraft.")
    return path.read_bytes()


def chapter_files():
    """Each author's first and revised chapter (4,300 words, Chicago notes); the process chapter holds the
    sentence the security review amends."""
    from tests.clearance.conftest import chapter_file

    return {key: (chapter_file(seed), chapter_file(seed, extra="I now open with the case."))
            for seed, key in enumerate(("process", "industry", "law-and-policy"), 1)}


@pytest.fixture
def call_opening_tomorrow(db):
    """A fresh site's default call, moved so proposals open tomorrow (every later date ahead of the browser's
    real clock), three themes of one chapter each and the fourth left empty: a small volume."""
    from chapterhouse.call.loading import install_call_file
    from tests.conftest import DEFAULT_CALL

    call = install_call_file(DEFAULT_CALL, open_on=dt.date.today() + dt.timedelta(days=1))
    call.themes.exclude(slug="partnership").update(min_chapters=1, max_chapters=1)
    call.themes.filter(slug="partnership").update(min_chapters=0, max_chapters=1)
    return call
