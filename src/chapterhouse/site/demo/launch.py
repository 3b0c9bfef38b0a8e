"""The late stages of the demo story and the past volume's cast: its own call file (every date in the past, not
shifted) carried through every stage by ``story.run_story`` — proposals accepted, chapters with checked final
versions accepted as final, a DOPSR clearance request (package built) cleared as amended with the amendment made
and confirmed, a cover, a galley build, a proof round in which one author's correction is accepted and made while
the others approve, closed, a second build with the correction, and the launch with downloads open and every
metadata export.

Each step is idempotent: it finds what an earlier run made and adds nothing.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from django.conf import settings

from chapterhouse.call.models import Call
from chapterhouse.chapters.rounds import send_to_editors, write_feedback
from chapterhouse.chapters.states import FINAL, WRITING
from chapterhouse.chapters.upload import store_version
from chapterhouse.launch import offprints
from chapterhouse.launch.models import Publication
from chapterhouse.launch.states import LAUNCHED
from chapterhouse.production.cover_store import store_cover
from chapterhouse.production.models import Cover, GalleyBuild
from chapterhouse.production.states import BUILT
from chapterhouse.workflow.transitions import transition

PAST_CALL_FILE = "dscu-sc-workforce-2023.toml"
EDITOR_ROLES = {"editor"}

# Sentences the later stages act on: the office requires the first to be amended; an author corrects the typo.
CLEARED_SENTENCE = "The office in question managed forty-two cases for one partner in 2021."
AMENDED_SENTENCE = "One office managed many cases for a single partner in 2021."
TYPO, TYPO_FIXED = "recieved its first certified officers", "received its first certified officers"
EXTRA_SENTENCE = {1: f"The service {TYPO} in 1953.", 3: CLEARED_SENTENCE}

# title, theme, (name, e-mail, affiliation, bio), abstract, topic words for the chapter's prose
PAST_CHAPTERS = [
    ("What the Attaché Service Teaches the Defense Security Cooperation Service", "professionalization",
     ("Alex Rivera", "alex.rivera@example.org", "Example University",
      "Alex Rivera studies the history of defense attachés and the professions of diplomacy."),
     "The Defense Attaché Service spent decades learning how to select, train and keep officers who understand "
     "their host nations. This chapter traces that history since the 1950s and draws lessons for the new Defense "
     "Security Cooperation Service: select for language and regional depth, train before the first tour, and "
     "build career paths that reward a second tour in the same region rather than penalize it.",
     ["attaché", "selection", "tour", "language", "region", "career", "service", "officer"]),
    ("Certification Levels and the Careers They Follow", "professionalization",
     ("Jordan Ellis", "jordan.ellis@example.edu", "Institute for Security Governance",
      "Jordan Ellis designs professional development programs for the security cooperation workforce."),
     "Certification was meant to tell a commander what a security cooperation professional can do. This chapter "
     "compares certification levels with the jobs people actually hold and finds that levels follow seniority "
     "more than experience. It proposes certification tied to cases managed and partners advised.",
     ["certification", "level", "training", "workforce", "experience", "case", "seniority", "commander"]),
    ("Tour Length and Partner Trust", "partnership",
     ("Blake Hughes", "blake.hughes@example.org", "Example Institute",
      "Blake Hughes served in three security cooperation offices and now writes on partner institutions."),
     "Partners say they trust people, not programs. Using interviews in three security cooperation offices, this "
     "chapter shows how tour length shaped partner political will and absorptive capacity, and argues for "
     "overlapping tours and longer assignments in offices that manage complex cases.",
     ["partner", "trust", "tour", "office", "continuity", "institution", "adviser", "capacity"]),
]


def past_call_path() -> Path:
    return Path(settings.CHAPTERHOUSE_DEFAULT_CALL).parent / PAST_CALL_FILE


def past_chapter_proposals() -> list[tuple[dict, str, str, str, str]]:
    """The proposals the past volume's chapters start from, as (author, title, theme, abstract, keywords)."""
    return [({"name": name, "email": email, "affiliation": affiliation, "bio": bio}, title, theme, abstract,
             ", ".join(words[:4]))
            for title, theme, (name, email, affiliation, bio), abstract, words in PAST_CHAPTERS]


def bring_past_chapter(chapter, number: int, editor) -> None:
    """The author's upload, checked as the chapter page checks it, sent to the editors on the call's date for final
    chapters (on time), and accepted as final by the editors' feedback round."""
    if chapter.status == FINAL:
        return
    title, _theme, _author, _abstract, words = next(spec for spec in PAST_CHAPTERS if spec[0] == chapter.title)
    owner = chapter.authors.filter(user__isnull=False).first()
    author_user = owner.user if owner else editor
    version = chapter.latest_version or store_version(
        chapter, chapter_docx(title, words, number, EXTRA_SENTENCE.get(number, "")), f"chapter-{number}.docx",
        author_user)
    if chapter.status == WRITING:
        send_to_editors(chapter, author_user, {"owner"} if owner else EDITOR_ROLES,
                        on=chapter.call.definition.milestone("final_chapters_due").date)
    write_feedback(chapter, version, editor, letter="Accepted with thanks.", decision="accept")


def prepare_clearance(call: Call, editor) -> None:
    """The DOPSR request prepared, as the clearance page does, once per call; its package built once every chapter
    it carries passes its re-check (until then the request page lists what stands in the way)."""
    from chapterhouse.clearance import prepare
    from chapterhouse.clearance.models import ClearanceRequest

    if ClearanceRequest.objects.filter(call=call).exists():
        return
    request = prepare.start_request(call, editor)
    if not any(item.problems for item in request.items.all()):
        prepare.build_package_task.call(request.pk)


def answer_clearance(call: Call, editor, security) -> None:
    """The prepared DOPSR request submitted on the call's date, in review, cleared as amended; the amendment made
    by the author's new version of the third chapter and confirmed by the security reviewer."""
    from chapterhouse.clearance import amending, prepare
    from chapterhouse.clearance.models import ClearanceRequest
    from chapterhouse.clearance.states import AS_AMENDED, CONFIRMED, IN_REVIEW, PREPARED
    from chapterhouse.clearance.states import SUBMITTED as SENT

    request = ClearanceRequest.objects.filter(call=call, status=PREPARED).first()
    if request is None:
        return
    title, _theme, _author, _abstract, words = PAST_CHAPTERS[2]
    amended_chapter = call.chapters.get(title=title)
    transition(request, SENT, editor, EDITOR_ROLES)
    prepare.submit_dates(request, call.definition.milestone("security_review_submission").date)
    transition(request, IN_REVIEW, security, {"security_reviewer"})
    amendment = amending.record_amendment(request, amended_chapter, "Evidence, first paragraph", CLEARED_SENTENCE,
                                          AMENDED_SENTENCE, security)
    transition(request, AS_AMENDED, security, {"security_reviewer"},
               "Cleared as amended: one sentence identifies a partner's case load.")
    data = chapter_docx(title, words, 3, AMENDED_SENTENCE)
    owner = amended_chapter.authors.filter(user__isnull=False).first()
    amending.upload_amended(request, amended_chapter, data, "chapter-3-amended.docx",
                            owner.user if owner else editor, {"owner"})
    amending.answer(amendment, CONFIRMED, security, {"security_reviewer"}, "The required wording is in place.")


def cover_and_galleys(call: Call, editor) -> None:
    """The cover, through the cover page's own service, and the first galley build."""
    if Cover.current(call) is None:
        definition = call.definition
        store_cover(call, cover_image(definition.title, definition.subtitle), "cover.png",
                    f"{definition.title} in white on navy above a brick-red band; DSCU Press below.", editor)
    if not GalleyBuild.objects.filter(call=call, status=BUILT).exists():
        _build(call, editor)


def proofs(call: Call, editor, security) -> None:
    """The proof round on the first build, and the security reviewer reading what changed after clearance."""
    first = GalleyBuild.objects.filter(call=call, status=BUILT).order_by("number").first()
    if first is None:
        return
    _proofs(first, editor, list(call.chapters.order_by("pk")))
    _changes_read(call, security)


def launch(call: Call, editor) -> Publication | None:
    """A build with the proof corrections, the publication launched on the call's date, offprints made."""
    existing = Publication.objects.filter(call=call, status=LAUNCHED).first()
    if existing is not None:
        return existing
    first = GalleyBuild.objects.filter(call=call, status=BUILT).order_by("number").first()
    if first is None:
        return None
    build = GalleyBuild.objects.filter(call=call, status=BUILT, number__gt=first.number).first() or _build(call, editor)
    publication, _ = Publication.objects.get_or_create(call=call)
    milestone = call.definition.milestone("launch")
    Publication.objects.filter(pk=publication.pk).update(build=build, downloads_open=True,
                                                         published_on=milestone.date if milestone else None)
    publication.refresh_from_db()
    transition(publication, LAUNCHED, editor, EDITOR_ROLES)
    offprints.bring_up_to_date(publication)  # what the worker's sweep makes after a launch
    return publication


def _proofs(build: GalleyBuild, editor, chapters) -> None:
    """A closed proof round on the first build: chapter 1's author corrects a typo (accepted and made in a new
    final version, so the next build shows it), the other authors approve their pages."""
    from chapterhouse.production.proofs import corrections
    from chapterhouse.production.proofs.models import ProofRound
    from chapterhouse.production.proofs.states import ACCEPTED as TAKEN
    from chapterhouse.production.proofs.states import APPROVED, CLOSED, CORRECTED

    if ProofRound.objects.filter(build=build).exists():
        return
    milestone = build.call.definition.milestone("galley_proofs")
    round_ = corrections.open_round(build, milestone.date, editor)
    for proof in round_.proofs.select_related("chapter"):
        author = proof.chapter.authors.filter(user__isnull=False).first()
        who = author.user if author else editor
        if proof.chapter_id == chapters[0].pk:
            entry = build.chapter_pages(proof.chapter_id) or {}
            correction = corrections.file_correction(proof, entry.get("first_page", "1"), 3, TYPO, TYPO_FIXED,
                                                     "Spelling.", who)
            corrections.send_or_approve(proof, CORRECTED, who, {"owner"})
            corrections.decide(correction, TAKEN, editor, EDITOR_ROLES)
        else:
            corrections.send_or_approve(proof, APPROVED, who, {"owner"})
    transition(round_, CLOSED, editor, EDITOR_ROLES)


def _changes_read(call: Call, security) -> None:
    """The security reviewer reads what changed after clearance (the accepted proof correction) before launch."""
    from chapterhouse.clearance.later_changes import cleared_request, cleared_version, mark_read
    from chapterhouse.clearance.models import LaterChangesSeen
    from chapterhouse.production.volume import typeset_version
    from chapterhouse.production.volume import volume_chapters as final_chapters

    for chapter in final_chapters(call):
        clearance, current = cleared_request(chapter), typeset_version(chapter)
        if (clearance and current and current.sha256 != cleared_version(clearance, chapter).sha256
                and not LaterChangesSeen.objects.filter(request=clearance, chapter=chapter, version=current).exists()):
            mark_read(clearance, chapter, current, security)


def chapter_docx(title: str, words: list[str], seed: int, sentence_in_evidence: str = "") -> bytes:
    """A short chapter in Word: sections, Chicago shortened notes and a bibliography (pandoc from Markdown)."""
    import random

    import pypandoc

    rng = random.Random(seed)
    common = "the of security cooperation and in their partners workforce program policy with for".split()
    sources = [("Morgan", "Ellery", "Advisers Abroad", 2019), ("Whitfield", "Dana", "Trust and Tenure", 2021),
               ("Okafor", "Sam", "Learning the Partner", 2022)]

    def sentence(length: int) -> str:
        return " ".join(rng.choice(words + common) for _ in range(length)).capitalize() + "."

    blocks, notes = [], []
    for section in range(1, 4):
        blocks.append(f"## {['Origins', 'Evidence', 'Implications'][section - 1]}")
        for paragraph in range(3):
            note = len(notes) + 1
            surname, _given, book, _year = sources[note % len(sources)]
            notes.append(f"[^{note}]: {surname}, *{book}*, {rng.randint(10, 240)}.")
            blocks.append(" ".join(sentence(rng.randint(12, 22)) for _ in range(5)) + f"[^{note}]")
    if sentence_in_evidence:  # its own paragraph at the start of the second section
        blocks.insert(blocks.index("## Evidence") + 1, sentence_in_evidence)
    blocks.append("## Bibliography")
    blocks += [f"{surname}, {given}. *{book}*. Arlington, VA: DSCU Press, {year}." for surname, given, book, year in
               sorted(sources)]
    markdown = f"# {title}\n\n" + "\n\n".join(blocks + notes) + "\n"
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "chapter.docx"
        pypandoc.convert_text(markdown, "docx", format="markdown", outputfile=str(out))
        return out.read_bytes()


def cover_image(title: str, subtitle: str, width: int = 1800, height: int = 2700) -> bytes:
    """A plain typographic cover at 300 dpi for 6 × 9 in."""
    from PIL import Image, ImageDraw, ImageFont

    image = Image.new("RGB", (width, height), (29, 43, 74))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, int(height * 0.64), width, int(height * 0.68)], fill=(155, 61, 38))
    big, small = ImageFont.load_default(size=130), ImageFont.load_default(size=70)
    y = int(height * 0.2)
    for line in _wrapped(title, 18):
        draw.text((width / 2, y), line, font=big, fill=(255, 255, 255), anchor="mm")
        y += 170
    y += 60
    for line in _wrapped(subtitle, 34):
        draw.text((width / 2, y), line, font=small, fill=(231, 168, 143), anchor="mm")
        y += 95
    draw.text((width / 2, int(height * 0.85)), "DSCU Press", font=small, fill=(255, 255, 255), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _wrapped(text: str, width: int) -> list[str]:
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return lines + ([line] if line else [])


def _build(call: Call, editor) -> GalleyBuild:
    """Runs the galley engine now (the demo is set up before the worker starts)."""
    from chapterhouse.production.tasks import run_galley_build

    number = (GalleyBuild.objects.filter(call=call).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    build = GalleyBuild.objects.create(call=call, number=number, requested_by=editor)
    run_galley_build.call(build.pk)
    build.refresh_from_db()
    if build.status != BUILT:
        raise RuntimeError("The demo volume's galleys did not build: " + "; ".join(build.problems))
    return build
