"""Demo data: a volume's clearance request carried through to "cleared as amended", for the demo's past volume.

The request is prepared (every final version re-checked), its package built, submitted on the call's
security-review date and answered; one passage of the first chapter is amended (the amended file made with the
same word edit proofs use), diffed, and confirmed. Idempotent: a volume that has a request keeps it.
"""

from __future__ import annotations

from chapterhouse.clearance import amending, prepare
from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.clearance.states import AS_AMENDED, CONFIRMED, IN_REVIEW, SUBMITTED
from chapterhouse.ooxml.reader import read_manuscript
from chapterhouse.production.wordedits import EditFailed, replace_text
from chapterhouse.workflow.transitions import transition

SECURITY, EDITOR = {"security_reviewer"}, {"editor"}


def clear_as_amended(call, editor, security) -> ClearanceRequest:
    existing = ClearanceRequest.objects.filter(call=call).first()
    if existing is not None:
        return existing
    request = prepare.start_request(call, editor)
    prepare.build_package_task.call(request.pk)
    request.refresh_from_db()
    transition(request, SUBMITTED, editor, EDITOR, "Package sent to the office (demo).")
    milestone = call.definition.milestone("security_review_submission")
    prepare.submit_dates(request, milestone.date if milestone else request.created_at.date())
    transition(request, IN_REVIEW, security, SECURITY)
    transition(request, AS_AMENDED, security, SECURITY, "Cleared on condition of one change in the first chapter.")
    item = request.items.select_related("chapter", "version").first()
    with item.version.file.open("rb") as handle:
        cleared = handle.read()
    for passage in passages(cleared):
        required = "in the authors' judgement, " + passage
        try:
            amended = replace_text(cleared, passage, required)
        except EditFailed:
            continue
        amendment = amending.record_amendment(request, item.chapter, "first section", passage, required, security)
        amending.upload_amended(request, item.chapter, amended, f"amended-{item.version.original_name}", editor,
                                EDITOR)
        amending.answer(amendment, CONFIRMED, security, SECURITY, "The required wording is in place.")
        break
    return request


def passages(data: bytes, words: int = 6):
    """Runs of ``words`` words from the body's longer paragraphs, as places an amendment could fall."""
    for paragraph in read_manuscript(data).paragraphs:
        text = paragraph.text.split()
        if len(text) >= words * 3:
            yield " ".join(text[words:words * 2])
