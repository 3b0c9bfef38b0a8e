"""Keeps decision letters in step with the desk and with the call's timeline.

A call saved (its file installed or reloaded, its timeline shifted) moves its scheduled letters to its
notification date at once (:func:`letters_follow_the_call`), so no page has to check on a GET; the worker does
the same before it sends (``services.send_due_letters``), for a call changed without a save.

An editor may accept, decline or keep a proposal as alternate straight from the editors' desk. The author must
still be told: the move drafts (or brings in line) the proposal's decision and its letter, which the desk then
offers to write and send. A letter already scheduled or sent for the earlier decision (an alternate later
accepted) goes back to draft for the new one; what was sent stays in the proposal's mail history. Sending a
letter moves the proposal itself; its decision then already matches, and nothing changes here.
"""

from django.db.models.signals import post_save
from django.dispatch import receiver

from chapterhouse.call.models import Call
from chapterhouse.proposals.states import ACCEPTED, ALTERNATE, DECLINED
from chapterhouse.workflow.transitions import state_changed

KIND_OF_STATE = {ACCEPTED: "accept", DECLINED: "decline", ALTERNATE: "alternate"}


@receiver(state_changed, dispatch_uid="selection.letter_for_desk_decision")
def draft_letter_for_a_desk_decision(sender, obj, source, target, by, why="", **kwargs):
    if sender._meta.label != "proposals.Proposal" or target not in KIND_OF_STATE:
        return
    from chapterhouse.selection.models import Decision, DecisionLetter
    from chapterhouse.selection.services import DECISION_STATE
    from chapterhouse.selection.states import DRAFT, SCHEDULED, SENT
    from chapterhouse.workflow.transitions import transition

    decision = Decision.objects.select_for_update().filter(proposal=obj).first()
    if decision is None:
        decision = Decision.objects.create(proposal=obj, kind=KIND_OF_STATE[target], decided_by=by, internal_reason=why)
    elif DECISION_STATE[decision.kind] != target:
        letter = DecisionLetter.objects.filter(decision=decision).first()
        earlier = decision.get_kind_display()
        decision.kind, decision.decided_by, decision.from_run = KIND_OF_STATE[target], by, None
        decision.internal_reason = why or decision.internal_reason
        decision.save()
        if letter is not None and letter.status in (SCHEDULED, SENT):  # it tells the author the earlier decision
            if letter.status == SENT:
                letter.sent_at, letter.subject, letter.body, letter.recipients = None, "", "", []
                letter.save(update_fields=["sent_at", "subject", "body", "recipients"])
            transition(letter, DRAFT, by, {"editor"}, f"The decision changed on the desk from “{earlier}” to "
                       f"“{decision.get_kind_display()}”; the earlier letter stays in the mail history")
    DecisionLetter.objects.get_or_create(decision=decision)


@receiver(post_save, sender=Call, dispatch_uid="selection.letters_follow_the_call")
def letters_follow_the_call(sender, instance, created, raw=False, **kwargs):
    if created or raw:
        return  # a new call has no letters; fixtures load rows as they are
    from chapterhouse.selection.services import follow_notification_date

    follow_notification_date(instance)
