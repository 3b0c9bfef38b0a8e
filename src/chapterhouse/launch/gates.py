"""The facts launching a volume needs, gathered for the conditions declared in ``launch/states.py``: the
published build, its texts against the security review (``clearance/coverage.py``) and its proofs."""

from __future__ import annotations

from chapterhouse.clearance.coverage import build_clearance
from chapterhouse.production.proofs.models import Correction, ProofRound
from chapterhouse.production.proofs.states import ACCEPTED, ANSWERED, CLOSED
from chapterhouse.production.states import BUILT

NO_BUILD = "No build chosen yet."


def proof_problems(build) -> list[str]:
    """The latest proof round on this build or an earlier one must be closed, every chapter answered or passed,
    every chapter of the build proofed, and every correction accepted in it set by this build."""
    round_ = (ProofRound.objects.filter(call=build.call, build__number__lte=build.number).select_related("build")
              .order_by("-build__number", "-opened_at", "-pk").first())
    if round_ is None:
        return [f"No proof round has been held on build {build.number} or an earlier build: open one on the proofs "
                "page."]
    problems = []
    proofs = list(round_.proofs.select_related("chapter").prefetch_related("chapter__authors"))
    waiting = [p for p in proofs if p.status not in ANSWERED]
    if round_.status != CLOSED:
        problems.append(f"The proof round on build {round_.build.number} is still open: {len(proofs) - len(waiting)} "
                        f"of {len(proofs)} chapters answered.")
    problems += [f"“{p.chapter.title}”: {', '.join(a.name for a in p.chapter.authors.all()) or 'its authors'} "
                 "did not answer the proofs and no editor passed the pages with a reason." for p in waiting]
    versions = {e.get("chapter"): e for e in (build.inputs or {}).get("chapters", [])}
    proofed = {p.chapter_id for p in proofs}
    problems += [f"“{e.get('title', 'A chapter')}” was in no proof round: open proofs of this build."
                 for chapter, e in versions.items() if chapter not in proofed]
    for correction in (Correction.objects.filter(proof__round=round_, status=ACCEPTED, applied_version__isnull=False)
                       .select_related("proof__chapter", "applied_version")):
        entry = versions.get(correction.proof.chapter_id)
        if entry is not None and entry.get("version", 0) < correction.applied_version.number:
            problems.append(f"“{correction.proof.chapter.title}”: the correction accepted on {correction.where} "
                            f"is not in build {build.number}: build the galleys again.")
    return problems


def launch_context(build) -> dict[str, list[str]]:
    """The facts ``LAUNCH_CONDITIONS`` read, for ``build`` as the published book."""
    if build is None:
        return {"build": ["Choose the published galley build."], "uncleared": [NO_BUILD], "unread": [NO_BUILD],
                "proofs": [NO_BUILD]}
    if build.status != BUILT:
        return {"build": [f"Build {build.number} is “{build.status_label}”, not built."], "uncleared": [NO_BUILD],
                "unread": [NO_BUILD], "proofs": [NO_BUILD]}
    cleared = build_clearance(build)
    return {"build": [], "uncleared": cleared.uncleared, "unread": cleared.unread, "proofs": proof_problems(build)}
