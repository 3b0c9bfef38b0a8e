"""An accepted proposal becomes a chapter: the one place that turns one into the other."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from chapterhouse.chapters.models import Chapter, ChapterAuthor, FundingAward, OfficialAccess, PermissionRecord
from chapterhouse.workflow.transitions import record_creation


def start_chapter(proposal, by) -> Chapter:
    """The chapter for ``proposal``, created with its authors on first call; later calls return the same one.

    The contact author's account is linked so they find the chapter after log-in; co-authors join through an
    invitation to their stored address (:mod:`chapterhouse.chapters.coauthors`), which nobody has confirmed yet.
    """
    with transaction.atomic():
        existing = Chapter.objects.select_for_update().filter(proposal=proposal).first()
        if existing is not None:
            return existing
        last = Chapter.objects.filter(call_id=proposal.call_id, theme_id=proposal.theme_id).aggregate(m=Max("order"))
        chapter = Chapter.objects.create(
            call_id=proposal.call_id, proposal=proposal, theme_id=proposal.theme_id, title=proposal.title,
            abstract=proposal.abstract, order=(last["m"] or 0) + 1,
        )
        ChapterAuthor.objects.bulk_create(
            ChapterAuthor(chapter=chapter, user_id=proposal.contact_user_id if author.is_contact else None,
                          name=author.name, email=author.email, affiliation=author.affiliation, bio=author.bio,
                          order=author.position, is_contact=author.is_contact)
            for author in proposal.authors.all()
        )
        _carry_requests(chapter, proposal)
        record_creation(chapter, by, f"Chapter started from proposal {proposal.reference}")
        return chapter


# What the proposal form's permission answer means for the chapter's permission record.
PERMISSION_FROM_PROPOSAL = {"secured": "granted", "requested": "requested", "not_yet": "needed"}


def _carry_requests(chapter: Chapter, proposal) -> None:
    """What the author asked for in the proposal becomes a record the editors track: previously published
    material needing permission, a funding request, a request for access to officials."""
    status = PERMISSION_FROM_PROPOSAL.get(proposal.permission_status)
    if proposal.builds_on_existing_work and status:
        PermissionRecord.objects.create(chapter=chapter, material=proposal.existing_work_details[:300] or "Earlier work",
                                        rights_holder="", status=status, note="From the proposal.")
    if proposal.funding_requested and proposal.funding_amount:
        FundingAward.objects.create(chapter=chapter, amount=proposal.funding_amount,
                                    purpose=(proposal.funding_justification or "Research")[:300],
                                    note="Requested in the proposal.")
    if proposal.access_requested:
        OfficialAccess.objects.create(chapter=chapter, officials=(proposal.access_offices or "Not named")[:300],
                                      requested_on=proposal.submitted_at.date(), note=proposal.access_reason)
