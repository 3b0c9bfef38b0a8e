"""Keeps a proposal's "Accepted" state starting its chapter, whoever moves it there (the desk or a decision).

``workflow.transitions.transition`` sends ``state_changed`` after it saves a move; selection decisions may
also call ``start.start_chapter`` directly, which is idempotent.
"""

from django.dispatch import receiver

from chapterhouse.proposals.states import ACCEPTED
from chapterhouse.workflow.transitions import state_changed


@receiver(state_changed, dispatch_uid="chapters.start_on_accept")
def start_chapter_when_accepted(sender, obj, source, target, by, **kwargs):
    if sender.__name__ == "Proposal" and sender._meta.app_label == "proposals" and target == ACCEPTED:
        from chapterhouse.chapters.start import start_chapter

        start_chapter(obj, by)
