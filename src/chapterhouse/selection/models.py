"""Selection runs, the editors' decisions (reason for the record apart from the words for the author) and the
decision letters sent from the call's templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chapterhouse.call.models import Call
from chapterhouse.proposals.models import Proposal
from chapterhouse.selection.states import LETTER_WORKFLOW


class SelectionMark(models.Model):
    """An editor's pin (must be selected) or exclusion, kept for every later run."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pinned"
        EXCLUDE = "exclude", "Excluded"

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="selection_mark")
    kind = models.CharField(max_length=10, choices=Kind.choices)


class SelectionRun(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="selection_runs")
    number = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    problem = models.JSONField()
    result = models.JSONField()
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="selection_run_number_unique")]

    def __str__(self) -> str:
        return f"Run {self.number}"

    @property
    def feasible(self) -> bool:
        return self.result.get("status") == "optimal"


class Decision(models.Model):
    class Kind(models.TextChoices):
        ACCEPT = "accept", "Accept"
        ACCEPT_REVISIONS = "accept_revisions", "Accept with revisions"
        ALTERNATE = "alternate", "Alternate"
        DECLINE = "decline", "Decline"

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="decision")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    internal_reason = models.TextField("Reason for the record (editors only)", blank=True)
    author_message = models.TextField("Words for the author (in the letter)", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)
    from_run = models.ForeignKey(SelectionRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    def __str__(self) -> str:
        return f"{self.proposal.reference}: {self.get_kind_display()}"


class DecisionLetter(models.Model):
    workflow = LETTER_WORKFLOW

    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="letter")
    status = models.CharField(max_length=12, choices=LETTER_WORKFLOW.choices(), default=LETTER_WORKFLOW.initial)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    send_on = models.DateField(null=True, blank=True)
    subject = models.CharField(max_length=300, blank=True)  # as sent
    body = models.TextField(blank=True)  # as sent
    recipients = models.JSONField(default=list)
    sent_at = models.DateTimeField(null=True, blank=True)

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)
