"""Jobs the worker runs on a schedule (see ``chapterhouse.outbox.periodic``)."""

from django.db import transaction
from django.utils import timezone

from chapterhouse.clearance import notify
from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.outbox.periodic import every


@every(hours=6)
def warn_overdue_answers(now) -> str:
    """Tells the editors, once per request and lateness, that the office's answer is past its expected date.
    ``overdue_told_on`` keeps it to once; a new expected date (after an appeal) may warn again."""
    today = timezone.localdate(now)
    told = 0
    for request in ClearanceRequest.objects.filter(expected_on__lt=today).select_related("call"):
        if not request.overdue(today) or (request.overdue_told_on and request.overdue_told_on >= request.expected_on):
            continue
        with transaction.atomic():
            if ClearanceRequest.objects.filter(pk=request.pk, overdue_told_on=request.overdue_told_on).update(
                    overdue_told_on=today):
                notify.overdue(request)
                told += 1
    return f"{told} overdue request(s) told"
