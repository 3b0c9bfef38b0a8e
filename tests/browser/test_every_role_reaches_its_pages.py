"""Issue 17 §2: every page a role may open is reachable by clicking from its landing page.

The site is the demo (`chapterhouse setup --demo`: one story run to three points — an open call with proposals
under review, a call in its chapter stage with chapters in every state, copyedits and a clearance request being
prepared, and a past volume carried through clearance as amended, galleys, proofs with an accepted correction and
launch). For each demo account the test logs in, lands on the to-do page (audited by axe at 1280 and
390 px by the browser fixture), then follows same-origin ``<a href>`` links breadth first (GET only, bounded).

What must be reached comes from the authorisation matrices (tests/**/test_authorization.py): every URL name the
matrix answers 200 to a GET for that role. Where a name takes ids, ``instances`` lists the real URLs of this site
the person may open (every one of their chapters, every build, every amendment page…) and each must be reached;
a name without such a list must be reached at least once. Files (downloads, images, feeds) are collected from the
links but not fetched. ``NOT_FROM_LINKS`` names the few pages reached another way on purpose, and why.
"""

from __future__ import annotations

import importlib
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse

from tests.browser.accounts import log_in, log_out

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]

PASSWORD = "chapterhouse-demo"
# demo account → the matrices' name for the person in that position (author1 owns chapters, like author_a)
ACCOUNTS = {"editor": "editor", "author1": "author_a", "author2": "author_a", "reviewer": "reviewer",
            "security": "security", "production": "production"}
MAX_FETCHES = 600
NOT_A_PAGE = ("/accounts/logout", "/admin", "/static/")

# Reached another way by design, not by links from a signed-in person's pages: name → (roles it applies to, why).
EVERYONE = set(ACCOUNTS.values())
NOT_AUTHORS = EVERYONE - {"author_a"}
NOT_FROM_LINKS = {
    "login": (EVERYONE, "for people signed out"), "password_reset": (EVERYONE, "for people signed out"),
    "password_reset_done": (EVERYONE, "shown after asking for a link"),
    "password_set": (EVERYONE, "the link in the e-mail"), "password_set_done": (EVERYONE, "after setting a password"),
    "chapter_join": (EVERYONE, "the invitation e-mailed to a co-author"),
    "waiting": (EVERYONE, "for people without a role; everyone else lands on the to-do page"),
    "healthz": (EVERYONE, "for monitoring"),
    "propose": (EVERYONE, "the call page links it only while the call accepts proposals"),
    "my_proposal_edit": (EVERYONE, "the author's proposal page links it only while the call is open and the "
                                   "proposal still “submitted”; the demo's proposals are past that"),
    "calendar_feed": (EVERYONE, "a private feed address shown to copy into a calendar program"),
    "api_catalogue": (EVERYONE, "JSON for programs, documented on the linked /api/ page"),
    "api_contributors": (EVERYONE, "JSON for programs, documented on the linked /api/ page"),
    "galley_build_progress": (EVERYONE, "polled by the build page's script while a build runs"),
    # An author's own pages answer anyone signed in (with nothing in them) but belong in an author's menu only.
    **{name: (NOT_AUTHORS, "an author's own page, empty for someone who writes nothing")
       for name in ("my_chapters", "my_proposals", "my_clearance", "my_calendar")},
    "review_sessions": (NOT_AUTHORS - {"editor"}, "for the authors presenting and the editors running them"),
    "my_proof_page": ({"editor", "production"}, "the author's copy of their pages; staff see them on the build page"),
    "my_proof_pdf": ({"editor", "production"}, "the author's copy of their pages; staff have the build's PDF"),
    "production_full_cover_file": ({"editor", "production"},
                                   "linked from the production page once a full cover is uploaded; the demo has none"),
}
# Links that are files, not pages: counted when linked (or shown as an image), not fetched.
FILES = {"desk_csv", "call_calendar", "calendar_feed", "proposal_attachment", "review_attachment",
         "chapter_version_file", "chapter_annotated", "chapter_permission_document", "review_session_ics",
         "review_slot_file", "clearance_version_file", "clearance_package", "copyedit_file", "my_proof_page",
         "my_proof_pdf", "production_cover_image", "production_full_cover_file", "galley_build_file", "galley_page_image", "galley_build_progress",
         "galley_build_summary", "volume_cover", "volume_download", "volume_metadata", "chapter_citation",
         "chapter_offprint",
         "api_catalogue", "api_volume", "api_contributors"}


def allowed_names(who: str) -> set[str]:
    """URL names the matrices let ``who`` GET with a 200."""
    names = set()
    for path in sorted(Path(__file__).resolve().parents[1].rglob("test_authorization.py")):
        module = importlib.import_module(".".join(path.relative_to(path.parents[2]).with_suffix("").parts))
        names |= {name for (name, method), outcomes in module.MATRIX.items()
                  if method == "get" and outcomes.get(who) == 200}
    return names


def instances(user, who: str) -> dict[str, set[str]]:
    """The real URLs of this site that ``user`` may open, by URL name, for the pages that take ids; each is where
    that work is done (the feedback form of a chapter sent to the editors, the DD 1910 of a request being
    prepared). A name with ids and no list here (a file of one kind among several) must be linked at least once."""
    from chapterhouse.call.models import Call
    from chapterhouse.chapters.models import Chapter, FeedbackRound, PermissionRecord
    from chapterhouse.clearance.models import ClearanceRequest
    from chapterhouse.launch.models import Publication
    from chapterhouse.production.lineedit.models import CopyeditRound
    from chapterhouse.production.models import FrontMatterText, GalleyBuild
    from chapterhouse.production.proofs.models import ProofRound
    from chapterhouse.progress.models import Slot, SlotUpload
    from chapterhouse.progress.visibility import sessions_for
    from chapterhouse.proposals.models import Proposal
    from chapterhouse.review.models import ReviewAssignment

    def urls(name, arg_lists):
        return {reverse(name, args=args) for args in arg_lists}

    editor = who == "editor"
    chapters = Chapter.objects.all() if editor else Chapter.objects.filter(authors__user=user).distinct()
    proposals = Proposal.objects.all() if editor else Proposal.objects.filter(contact_user=user)
    calls = [[slug] for slug in Call.objects.values_list("slug", flat=True)]
    launched = [[slug] for slug in Publication.objects.filter(status="launched").values_list("call__slug", flat=True)]
    requests = ClearanceRequest.objects.all()
    sessions = sessions_for(user)  # the sessions visibility.py shows them: presenting, discussing or chairing
    return {
        "call_page": urls("call_page", calls), "check_chapter": urls("check_chapter", calls),
        "volume_page": urls("volume_page", launched), "volume_cover": urls("volume_cover", launched),
        "chapter_page": urls("chapter_page", [[p.call.slug, n] for p in Publication.objects.filter(status="launched")
                                              for n in range(1, len(p.build.summary.get("chapters", [])) + 1)]),
        "my_proposal": urls("my_proposal", [[p.reference] for p in proposals]),
        "my_decision": urls("my_decision", [[p.reference] for p in proposals.filter(decision__letter__status="sent")]),
        "proposal_attachment": urls("proposal_attachment", [[p.reference] for p in proposals.filter(
            attachment__isnull=False)]),
        "desk_proposal": urls("desk_proposal", [[p.reference] for p in proposals]),
        "desk_list": urls("desk_list", calls), "review_assignment": urls("review_assignment", calls),
        "selection_page": urls("selection_page", calls),
        "review_proposal_reviews": urls("review_proposal_reviews", [[p.reference] for p in proposals.filter(
            review_assignments__isnull=False).distinct()]),
        "decision_edit": urls("decision_edit", [[p.reference] for p in proposals.filter(decision__isnull=False)]),
        "chapter": urls("chapter", [[c.pk] for c in chapters]),
        "chapter_version": urls("chapter_version", [[c.pk, v.number] for c in chapters for v in c.versions.all()]),
        "chapter_feedback": urls("chapter_feedback", [[c.pk] for c in chapters.filter(status="submitted")]),
        "chapter_authors": urls("chapter_authors", [[c.pk] for c in chapters]),
        "chapter_records": urls("chapter_records", [[c.pk] for c in chapters]),
        "chapter_annotated": urls("chapter_annotated", [[r.chapter_id, r.number] for r in FeedbackRound.objects.filter(
            chapter__in=chapters).exclude(annotated_name="")]),
        "chapter_permission_document": urls("chapter_permission_document", [
            [r.chapter_id, r.pk] for r in PermissionRecord.objects.filter(chapter__in=chapters).exclude(document="")]),
        "review_session": urls("review_session", [[s.pk] for s in sessions]),
        "review_slot_edit": urls("review_slot_edit", [[s.pk] for s in Slot.objects.filter(session__in=sessions)]),
        "review_slot_file": urls("review_slot_file", [[u.pk] for u in SlotUpload.objects.filter(
            slot__session__in=sessions, slot__chapter__in=chapters)]),
        "my_amendments": urls("my_amendments", [[c.pk] for c in chapters.filter(amendments__isnull=False).distinct()]),
        "my_copyedit": urls("my_copyedit", [[c.pk] for c in chapters.filter(copyedits__isnull=False).distinct()]),
        "my_proofs": urls("my_proofs", [[c.pk] for c in chapters.filter(proofs__isnull=False).distinct()]),
        "review_form": urls("review_form", [[a.pk] for a in ReviewAssignment.objects.filter(
            reviewer=user, status__in=("assigned", "submitted"))]),
        "review_attachment": urls("review_attachment", [[a.pk] for a in ReviewAssignment.objects.filter(
            reviewer=user, status__in=("assigned", "submitted"), proposal__attachment__isnull=False)]),
        "clearance_request": urls("clearance_request", [[r.pk] for r in requests]),
        "clearance_form": urls("clearance_form", [[r.pk] for r in requests.filter(status="prepared")]),
        "clearance_chapter": urls("clearance_chapter", [[i.request_id, i.chapter_id] for r in requests
                                                        for i in r.items.all()]),
        "clearance_text": urls("clearance_text", [[t.request_id, t.pk] for r in requests for t in r.texts.all()]),
        "copyedit_chapters": urls("copyedit_chapters", calls),
        "copyedit_file": urls("copyedit_file", [[r.pk, r.latest_file.number] for r in CopyeditRound.objects.filter(
            chapter__in=chapters if who == "author_a" else Chapter.objects.all()) if r.latest_file]),
        "production_volume": urls("production_volume", calls),
        "production_front_matter_new": urls("production_front_matter_new", calls),
        "production_front_matter": urls("production_front_matter", [[t.call.slug, t.pk] for t in
                                                                    FrontMatterText.objects.all()]),
        "galley_build": urls("galley_build", [[b.call.slug, b.number] for b in GalleyBuild.objects.all()]),
        "proof_rounds": urls("proof_rounds", calls),
        "proof_round": urls("proof_round", [[r.pk] for r in ProofRound.objects.all()]),
        "launch_manage": urls("launch_manage", calls),
    }


class Links(HTMLParser):
    """A page's ``<a href>`` targets (followed) and ``<img src>`` (shown on the page: reached, not followed)."""

    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.images: list[str] = []

    def handle_starttag(self, tag, attrs):
        wanted = {"a": ("href", self.hrefs), "img": ("src", self.images)}.get(tag)
        if wanted:
            wanted[1].extend(value for name, value in attrs if name == wanted[0] and value)


def url_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name


def crawl(page, host: str) -> tuple[set[str], int]:
    """Paths linked from the landing page onwards (breadth first); pages fetched, files only collected."""
    seen, queue, fetched = set(), ["/todo/"], 0
    while queue and fetched < MAX_FETCHES:
        path = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        if url_name(path) in FILES:
            continue
        answer = page.request.get(path, max_redirects=0)
        fetched += 1
        if answer.status != 200 or not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        parser = Links()
        parser.feed(answer.text())
        seen.update(urlparse(urljoin(f"http://{host}{path}", src)).path for src in parser.images)
        for href in parser.hrefs:
            target = urlparse(urljoin(f"http://{host}{path}", href))
            if target.netloc == host and not target.path.startswith(NOT_A_PAGE) and target.path not in seen:
                queue.append(target.path)
    return seen, fetched


def test_every_page_the_matrix_allows_each_role_is_reachable_from_its_landing_page(page, live_server):
    from django.contrib.auth import get_user_model

    call_command("setup_site", demo=True, verbosity=0)
    host = urlparse(live_server.url).netloc
    problems, totals = [], []
    for account, who in ACCOUNTS.items():
        user = get_user_model().objects.get(username=account)
        log_in(page, account, PASSWORD)
        page.wait_for_url("**/todo/")
        assert page.locator("h1").inner_text() == "Your next steps"
        reached, fetched = crawl(page, host)
        reached_names = {url_name(path) for path in reached}
        expected = instances(user, who)
        exempt = {name for name, (roles, _why) in NOT_FROM_LINKS.items() if who in roles}
        for name in sorted(allowed_names(who) - exempt):
            real = expected.get(name)
            if real is not None:
                problems += [f"{account}: {url} ({name}) is not linked from any page it reaches"
                             for url in sorted(real - reached)]
            elif name not in reached_names:
                problems.append(f"{account}: no page it reaches links to {name}")
        totals.append(f"{account}: {len(reached)} URLs, {fetched} pages fetched")
        log_out(page)
    print("\n".join(totals))
    assert not problems, "\n".join(problems)
