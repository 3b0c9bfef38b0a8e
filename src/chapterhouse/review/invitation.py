"""A reviewer's answer to the editors' invitation: accepted or declined, kept as audit rows on their profile.

No state is stored beside the audit: the latest "Invitation accepted"/"Invitation declined" row is the answer, so
the answer and its history cannot disagree.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from chapterhouse.review.models import ReviewerProfile
from chapterhouse.workflow.models import AuditEntry
from chapterhouse.workflow.transitions import record_event

ACCEPTED, DECLINED = "Invitation accepted", "Invitation declined"


def answers(profiles) -> dict[int, AuditEntry]:
    """The latest answer of each profile (by profile pk), in one query; profiles with no answer are absent."""
    rows = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(ReviewerProfile),
                                     object_id__in=[p.pk for p in profiles], action__in=(ACCEPTED, DECLINED))
    return {row.object_id: row for row in rows}  # ordered oldest first: the last one wins


def answer(profile: ReviewerProfile, by, accepted: bool, note: str = "") -> AuditEntry:
    return record_event(profile, by, ACCEPTED if accepted else DECLINED, note)
