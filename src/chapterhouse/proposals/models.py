"""What an author sends through the proposal form, what screening found in it, and where it stands."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chapterhouse.call.models import Call, Theme
from chapterhouse.proposals.states import PROPOSAL_WORKFLOW


class PermissionStatus(models.TextChoices):
    NOT_NEEDED = "not_needed", "Not needed (my own unpublished work)"
    SECURED = "secured", "Permission secured"
    REQUESTED = "requested", "Permission requested, awaiting answer"
    NOT_YET = "not_yet", "Not yet requested"


class Proposal(models.Model):
    workflow = PROPOSAL_WORKFLOW

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="proposals")
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="proposals")
    number = models.PositiveIntegerField()
    reference = models.CharField(max_length=24, unique=True)
    title = models.CharField(max_length=300)
    abstract = models.TextField()
    keywords = models.CharField(max_length=600, blank=True)

    builds_on_existing_work = models.BooleanField(default=False)
    existing_work_details = models.TextField(blank=True)
    permission_status = models.CharField(max_length=20, choices=PermissionStatus.choices, blank=True)

    funding_requested = models.BooleanField(default=False)
    funding_amount = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    funding_justification = models.TextField(blank=True)

    access_requested = models.BooleanField(default=False)
    access_offices = models.TextField(blank=True)
    access_reason = models.TextField(blank=True)

    attested_unclassified_at = models.DateTimeField()
    contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals_as_contact"
    )

    status = models.CharField(max_length=20, choices=PROPOSAL_WORKFLOW.choices(), default=PROPOSAL_WORKFLOW.initial, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True, db_index=True)

    # Denormalised from screening so the editors' list filters and sorts without extra queries.
    scope_flagged = models.BooleanField(default=False, db_index=True)
    suggested_theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    abstract_words = models.PositiveIntegerField(default=0)
    search_text = models.TextField(blank=True, editable=False)
    # The form's one-time token, so a resubmitted form shows the first receipt instead of storing a copy.
    submission_token = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="proposal_number_unique_in_call")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)

    @property
    def keyword_list(self) -> list[str]:
        return [k.strip() for k in self.keywords.split(",") if k.strip()]

    @property
    def theme_mismatch(self) -> bool:
        return self.suggested_theme_id is not None and self.suggested_theme_id != self.theme_id

    def build_search_text(self, authors) -> str:
        people = " ".join(f"{a.name} {a.email} {a.affiliation}" for a in authors)
        return " ".join([self.reference, self.title, self.abstract, self.keywords, people]).lower()


class ReferenceCounter(models.Model):
    """The last proposal number given out in a call; locked while a submission takes the next one."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, primary_key=True, related_name="reference_counter")
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.call_id}: {self.last}"


class ProposalAuthor(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="authors")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    email = models.EmailField()
    affiliation = models.CharField(max_length=300)
    bio = models.TextField()
    is_contact = models.BooleanField(default=False)

    class Meta:
        ordering = ["proposal", "position"]

    def __str__(self) -> str:
        return self.name


def attachment_path(instance: Attachment, filename: str) -> str:
    # Stored by content hash: the name can never collide, leak the author's file name, or be guessed.
    return f"proposals/{instance.sha256[:2]}/{instance.sha256}.{instance.kind}"


class Attachment(models.Model):
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="attachment")
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    file = models.FileField(upload_to=attachment_path, max_length=200)

    def __str__(self) -> str:
        return self.original_name


class ScreeningResult(models.Model):
    class Kind(models.TextChoices):
        MARKINGS = "markings", "Classification and CUI markings"
        SCOPE = "scope", "Scope"
        THEME_FIT = "theme_fit", "Theme fit"
        ANONYMITY = "anonymity", "Anonymity for double-blind review"

    class Outcome(models.TextChoices):
        CLEAR = "clear", "Clear"
        FLAGGED = "flagged", "Flagged for the editors"
        ADVICE = "advice", "Advice"

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="screenings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    summary = models.TextField()
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["proposal", "kind"]
        constraints = [models.UniqueConstraint(fields=["proposal", "kind"], name="one_screening_of_a_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.summary}"


class ProposalVersion(models.Model):
    """The answers an author's edit replaced, so the editors can read what the proposal said before."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    answers = models.JSONField()
    replaced_at = models.DateTimeField(auto_now_add=True)
    replaced_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["proposal", "-number"]
        constraints = [models.UniqueConstraint(fields=["proposal", "number"], name="one_proposal_version_per_number")]

    def __str__(self) -> str:
        return f"{self.proposal_id} version {self.number}"
