"""Mail that follows a proposal's moves, queued inside the move's transaction through ``state_changed``."""

from django.dispatch import receiver

from chapterhouse.proposals.states import WITHDRAWN
from chapterhouse.workflow.transitions import state_changed


@receiver(state_changed, dispatch_uid="proposals.tell_editors_of_withdrawal")
def tell_editors_of_withdrawal(sender, obj, source, target, by, **kwargs):
    from chapterhouse.proposals.models import Proposal
    from chapterhouse.proposals.notifications import announce_withdrawal

    if sender is Proposal and target == WITHDRAWN:
        announce_withdrawal(obj, by)
