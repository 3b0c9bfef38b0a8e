"""Proof rounds and corrections: opening a round on a build, the author's corrections (flagged for the security
reviewer when they change the meaning after clearance), and the editors' decision, which makes an accepted
correction in the chapter's typeset version so the next build shows it."""

from __future__ import annotations

from django.db import transaction

from chapterhouse.clearance.later_changes import cleared_request
from chapterhouse.clearance.scope import changes_meaning
from chapterhouse.manuscripts.checker import check
from chapterhouse.production.proofs import notify
from chapterhouse.production.proofs.models import ChapterProof, Correction, ProofRound
from chapterhouse.production.proofs.states import ACCEPTED
from chapterhouse.production.versions import add_version
from chapterhouse.production.volume import typeset_version
from chapterhouse.production.wordedits import EditFailed, replace_text
from chapterhouse.workflow.transitions import record_creation, record_event, transition


def open_round(build, due_on, by) -> ProofRound:
    """A round on ``build`` with one proof per chapter the build carries."""
    with transaction.atomic():
        round_ = ProofRound.objects.create(call=build.call, build=build, due_on=due_on, opened_by=by)
        record_creation(round_, by, f"Open proofs of galley build {build.number}")
        chapter_ids = [entry["chapter_id"] for entry in build.summary.get("chapters", []) if "chapter_id" in entry]
        for chapter_id in chapter_ids:
            proof = ChapterProof.objects.create(round=round_, chapter_id=chapter_id)
            record_creation(proof, by, "Proofs sent to the author")
        notify.proofs_ready(round_)
    return round_


def file_correction(proof: ChapterProof, page: str, line: int | None, wrong: str, right: str, comment: str,
                    by) -> Correction:
    meaning = changes_meaning(wrong, right)
    flagged = meaning and cleared_request(proof.chapter) is not None
    with transaction.atomic():
        correction = Correction.objects.create(proof=proof, page=page.strip(), line=line, wrong=wrong.strip(),
                                               right=right.strip(), comment=comment.strip(), changes_meaning=meaning,
                                               flagged_for_security=flagged, filed_by=by)
        record_creation(correction, by, f"Correction filed on {correction.where}")
    return correction


def send_or_approve(proof: ChapterProof, to: str, by, roles) -> None:
    with transaction.atomic():
        transition(proof, to, by, roles)
        notify.proof_answered(proof)
        flagged = proof.corrections.filter(flagged_for_security=True)
        if flagged.exists():
            notify.flagged_for_security(proof, list(flagged))


def decide(correction: Correction, to: str, by, roles, why: str = "") -> None:
    """Accept or reject; an accepted correction is made in the chapter's typeset version (a new final version),
    or its problem recorded for production when the text cannot be found once."""
    with transaction.atomic():
        transition(correction, to, by, roles, why)
        if to == ACCEPTED:
            _apply(correction, by)


def _apply(correction: Correction, by) -> None:
    chapter = correction.proof.chapter
    current = typeset_version(chapter)
    with current.file.open("rb") as handle:
        data = handle.read()
    try:
        fixed = replace_text(data, correction.wrong, correction.right)
    except EditFailed as problem:
        Correction.objects.filter(pk=correction.pk).update(apply_problem=str(problem))
        correction.apply_problem = str(problem)
        return
    report = check(fixed, chapter.call.definition, filename=current.original_name).as_dict()
    version = add_version(chapter, fixed, current.original_name, by, report,
                          f"Proof correction {correction.where} made.")
    version.make_final()
    Correction.objects.filter(pk=correction.pk).update(applied_version=version)
    correction.applied_version = version
    record_event(chapter, by, f"Proof correction made: version {version.number} is final")
