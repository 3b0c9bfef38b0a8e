"""Demo data: a closed proof round on a galley build, for the demo's past volume: the first chapter's author
approved the pages, the second filed a correction the editors accepted (made in the typeset version).
Idempotent: a build with a round keeps it."""

from __future__ import annotations

from chapterhouse.clearance.demo import passages
from chapterhouse.production.proofs import corrections
from chapterhouse.production.proofs.models import ProofRound
from chapterhouse.production.proofs.states import ACCEPTED, APPROVED, CLOSED, CORRECTED
from chapterhouse.production.volume import typeset_version
from chapterhouse.production.wordedits import EditFailed, replace_text
from chapterhouse.workflow.transitions import transition

OWNER, EDITOR = {"owner"}, {"editor"}


def closed_round(build, editor) -> ProofRound:
    existing = ProofRound.objects.filter(build=build).first()
    if existing is not None:
        return existing
    milestone = build.call.definition.milestone("galley_proofs")
    round_ = corrections.open_round(build, milestone.date if milestone else build.requested_at.date(), editor)
    proofs = list(round_.proofs.select_related("chapter"))
    for number, proof in enumerate(proofs):
        author = next((a.user for a in proof.chapter.authors.all() if a.user), None) or editor
        if number % 2 == 0:
            corrections.send_or_approve(proof, APPROVED, author, OWNER)
            continue
        with typeset_version(proof.chapter).file.open("rb") as handle:
            text = handle.read()
        wrong, right = next((w, r) for w, r in ((w, w[0].swapcase() + w[1:]) for w in passages(text, words=4))
                            if _found_once(text, w, r))
        correction = corrections.file_correction(proof, "2", 5, wrong, right, "Capitalisation.", author)
        corrections.send_or_approve(proof, CORRECTED, author, OWNER)
        corrections.decide(correction, ACCEPTED, editor, EDITOR)
    transition(round_, CLOSED, editor, EDITOR, "Every author answered (demo).")
    return round_


def _found_once(data: bytes, wrong: str, right: str) -> bool:
    try:
        replace_text(data, wrong, right)
    except EditFailed:
        return False
    return True
