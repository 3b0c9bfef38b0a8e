"""Reviewers (their expertise, declared conflicts and load), assignments, reviews and assignment runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chapterhouse.call.models import Call
from chapterhouse.proposals.models import Proposal
from chapterhouse.review.states import ASSIGNMENT_WORKFLOW


class ReviewerProfile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviewer_profile")
    affiliation = models.CharField(max_length=300, blank=True)
    keywords = models.CharField("Expertise keywords", max_length=600, blank=True,
                                help_text="Separate keywords with commas, e.g. technology release, offsets.")
    statement = models.TextField("Expertise statement", blank=True,
                                 help_text="A few sentences on what you know well; editors match proposals to it.")
    max_load = models.PositiveSmallIntegerField("Most proposals you can review", default=6)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.user.get_full_name() or self.user.username

    @property
    def expertise_text(self) -> str:
        return f"{self.keywords} {self.statement}".strip()


class ConflictDeclaration(models.Model):
    class Kind(models.TextChoices):
        COAUTHOR = "coauthor", "Co-authorship (last five years)"
        ADVISING = "advising", "Advising (adviser or advisee)"
        INSTITUTION = "institution", "Same institution"
        OTHER = "other", "Other"

    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="declared_conflicts")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    name = models.CharField("Person's name", max_length=200, blank=True)
    email = models.EmailField("Their e-mail (if known)", blank=True)
    affiliation = models.CharField("Institution", max_length=300, blank=True)
    note = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reviewer", "created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name or self.affiliation}"


class ReviewAssignment(models.Model):
    workflow = ASSIGNMENT_WORKFLOW

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="review_assignments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="review_assignments")
    status = models.CharField(max_length=20, choices=ASSIGNMENT_WORKFLOW.choices(), default=ASSIGNMENT_WORKFLOW.initial,
                              db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    due_on = models.DateField()
    affinity = models.FloatField(default=0)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_assignment_per_pair")]

    def __str__(self) -> str:
        return f"{self.proposal.reference} → {self.reviewer}"

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)


class Review(models.Model):
    assignment = models.OneToOneField(ReviewAssignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(default=dict)  # criterion key → value on its scale
    recommendation = models.CharField(max_length=40)
    comments_to_editors = models.TextField(blank=True)
    comments_to_author = models.TextField(blank=True)
    submitted_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Review of {self.assignment}"


class AssignmentPair(models.Model):
    """An editor's pin (this reviewer must review this proposal) or forbid, kept for every later run."""

    class Kind(models.TextChoices):
        PIN = "pin", "Pinned"
        FORBID = "forbid", "Forbidden"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="+")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["proposal", "reviewer"], name="one_pin_or_forbid_per_pair")]


class AssignmentRun(models.Model):
    """One run of the solver: its input and result kept, so editors see what changed from the previous run."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="assignment_runs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    objective = models.CharField(max_length=10, default="total")
    problem = models.JSONField()
    result = models.JSONField()
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    @property
    def feasible(self) -> bool:
        return self.result.get("status") in ("optimal", "time_limit")

    @property
    def pairs(self) -> set[tuple[str, str]]:
        return {tuple(pair) for pair in self.result.get("assignment", [])}
