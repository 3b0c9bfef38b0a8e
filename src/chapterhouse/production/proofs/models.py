"""Proof rounds on a galley build, each chapter's proofs and the corrections its author files."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter, ManuscriptVersion
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.proofs.states import (ANSWERED, CORRECTION_WORKFLOW, FILED, PROOF_WORKFLOW,
                                                   ROUND_WORKFLOW)
from chapterhouse.workflow.models import Stateful


class ProofRound(Stateful):
    workflow = ROUND_WORKFLOW

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proof_rounds")
    build = models.ForeignKey(GalleyBuild, on_delete=models.PROTECT, related_name="proof_rounds")
    due_on = models.DateField(help_text="The authors' deadline.")
    status = models.CharField(max_length=20, choices=ROUND_WORKFLOW.choices(), default=ROUND_WORKFLOW.initial)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "-opened_at", "-pk"]

    def __str__(self) -> str:
        return f"Proofs of build {self.build.number} ({self.status_label})"

    def gate_context(self) -> dict:
        """What closing the round needs to know: chapters not answered (with their authors), corrections open."""
        proofs = self.proofs.select_related("chapter").prefetch_related("chapter__authors")
        undecided = Correction.objects.filter(proof__round=self, status=FILED).select_related("proof__chapter")
        return {
            "unanswered": [(p.chapter.title, ", ".join(a.name for a in p.chapter.authors.all()))
                           for p in proofs if p.status not in ANSWERED],
            "undecided": [(c.proof.chapter.title, c.where) for c in undecided],
        }


class ChapterProof(Stateful):
    workflow = PROOF_WORKFLOW

    round = models.ForeignKey(ProofRound, on_delete=models.CASCADE, related_name="proofs")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="proofs")
    status = models.CharField(max_length=20, choices=PROOF_WORKFLOW.choices(), default=PROOF_WORKFLOW.initial)

    class Meta:
        ordering = ["round", "chapter__theme__position", "chapter__order"]
        constraints = [models.UniqueConstraint(fields=["round", "chapter"], name="one_proof_per_chapter")]


class Correction(Stateful):
    workflow = CORRECTION_WORKFLOW

    proof = models.ForeignKey(ChapterProof, on_delete=models.CASCADE, related_name="corrections")
    page = models.CharField(max_length=20, help_text="The page number printed on the page.")
    line = models.PositiveIntegerField(null=True, blank=True,
                                       help_text="The line on that page counting from the top, if the author gave it; "
                                                 "the wrong text is what finds the place.")
    wrong = models.TextField(help_text="The text as printed, word for word.")
    right = models.TextField(blank=True, help_text="What it should say; empty to delete.")
    comment = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=CORRECTION_WORKFLOW.choices(), default=CORRECTION_WORKFLOW.initial)
    changes_meaning = models.BooleanField(default=False)
    flagged_for_security = models.BooleanField(default=False, help_text="Changes the meaning after clearance.")
    applied_version = models.ForeignKey(ManuscriptVersion, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", help_text="The version with the correction made.")
    apply_problem = models.TextField(blank=True, help_text="Why the correction could not be made in the file.")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proof", "filed_at", "pk"]

    @property
    def where(self) -> str:
        """The place as a reader cites it: "p. 12, l. 4", or "p. 12" when no line was given."""
        return f"p. {self.page}, l. {self.line}" if self.line else f"p. {self.page}"
