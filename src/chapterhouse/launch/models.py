"""A volume's publication: which galley build is the published book, its catalogue description, whether its
files are open for download, and its state (public once launched); once launched, every change of the book as a
recorded correction or new edition (``Erratum``) and every chapter DOI ever shown (``ChapterDOI``); each deposit
sent to Crossref to register the DOIs, with Crossref's answer for each DOI (``DOIDeposit``, ``DepositedDOI``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter
from chapterhouse.launch.states import CHANGE_KINDS, DEPOSIT_WORKFLOW, EDITION, LAUNCHED, PUBLICATION_WORKFLOW
from chapterhouse.production.models import GalleyBuild


class Publication(models.Model):
    workflow = PUBLICATION_WORKFLOW

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="publication")
    status = models.CharField(max_length=20, choices=PUBLICATION_WORKFLOW.choices(),
                              default=PUBLICATION_WORKFLOW.initial, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    build = models.ForeignKey(GalleyBuild, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              help_text="The galley build published as the book.")
    description = models.TextField(blank=True, help_text="The catalogue's description; the call's purpose when empty.")
    downloads_open = models.BooleanField(default=False, help_text="PDF and EPUB free to download from the catalogue.")
    published_on = models.DateField(null=True, blank=True, help_text="Publication date; the launch milestone when empty.")

    class Meta:
        ordering = ["-published_on", "pk"]

    def __str__(self) -> str:
        return f"Publication of {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("volume_page", kwargs={"slug": self.call.slug})

    def gate_context(self) -> dict:
        from chapterhouse.launch.gates import launch_context

        return launch_context(self.build)

    @property
    def was_launched(self) -> bool:
        """Shown to the public once: its text changes only through a correction or a new edition."""
        return self.dois.exists()

    @property
    def edition(self) -> int:
        return 1 + self.errata.filter(kind=EDITION).count()

    @property
    def is_public(self) -> bool:
        return self.status in {LAUNCHED}

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)

    @property
    def publication_date(self):
        if self.published_on:
            return self.published_on
        launch = self.call.definition.milestone("launch")
        return launch.date if launch else None

    @property
    def text(self) -> str:
        definition = self.call.definition
        return self.description.strip() or definition.publication.description.strip() or definition.purpose.strip()


class Erratum(models.Model):
    """A change to a launched book, told to its readers on the catalogue page: the published build replaced by
    another, as a correction or a new edition, with the notice readers see."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="errata")
    kind = models.CharField(max_length=20, choices=list(CHANGE_KINDS.items()))
    notice = models.TextField(help_text="What changed and why, as readers will read it.")
    build_before = models.ForeignKey(GalleyBuild, null=True, on_delete=models.PROTECT, related_name="+")
    build_after = models.ForeignKey(GalleyBuild, on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["publication", "published_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.publication.call} ({self.published_at:%Y-%m-%d})"


class ChapterDOI(models.Model):
    """A chapter DOI as first shown on the catalogue: it keeps its number (and address) whatever later builds do,
    and when the chapter leaves the book it says so, with the notice (``withdrawn_by``)."""

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="dois")
    number = models.PositiveIntegerField(help_text="The DOI's chapter number (.chNN) and its page's address.")
    chapter = models.ForeignKey(Chapter, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(max_length=300, help_text="The chapter's title when its DOI was first shown.")
    first_shown_at = models.DateTimeField(auto_now_add=True)
    withdrawn_by = models.ForeignKey(Erratum, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="withdrawn_chapters")

    class Meta:
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="chapter_doi_number_unique"),
                       models.UniqueConstraint(fields=["publication", "chapter"], name="chapter_doi_chapter_unique")]

    def __str__(self) -> str:
        return f"DOI {self.number} of {self.publication.call}: {self.title}"


class DOIDeposit(models.Model):
    """One deposit of the volume's DOIs with Crossref: the file as sent, when, what Crossref said on receiving it,
    and its result once processed. A DOI is registered only when a result says so (``DepositedDOI``)."""

    workflow = DEPOSIT_WORKFLOW

    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="deposits")
    status = models.CharField(max_length=20, choices=DEPOSIT_WORKFLOW.choices(), default=DEPOSIT_WORKFLOW.initial,
                              db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    batch_id = models.CharField(max_length=100, unique=True, help_text="The deposit's doi_batch_id.")
    endpoint = models.CharField(max_length=200, help_text="Where it was sent (Crossref's test or live system).")
    xml = models.TextField(help_text="The deposit file as sent.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    receipt = models.TextField(blank=True, help_text="What Crossref said on receiving the file.")
    submission_id = models.CharField(max_length=40, blank=True, help_text="Crossref's id of the submission.")
    checked_at = models.DateTimeField(null=True, blank=True, help_text="When the result was last asked for.")
    result_xml = models.TextField(blank=True, help_text="Crossref's result (doi_batch_diagnostic) once processed.")
    problem = models.TextField(blank=True, help_text="Why it was not sent or could not be read.")

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Crossref deposit {self.batch_id}"

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)

    @property
    def filename(self) -> str:
        return f"{self.batch_id}.xml"


class DepositedDOI(models.Model):
    """One DOI in a deposit and what Crossref's result said of it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", "Waiting for Crossref"
        REGISTERED = "registered", "Registered"
        REFUSED = "refused", "Refused"

    deposit = models.ForeignKey(DOIDeposit, on_delete=models.CASCADE, related_name="outcomes")
    doi = models.CharField(max_length=200)
    what = models.CharField(max_length=300, help_text="The volume, a chapter, or a withdrawn chapter.")
    outcome = models.CharField(max_length=20, choices=Outcome.choices, default=Outcome.PENDING, db_index=True)
    message = models.TextField(blank=True, help_text="Crossref's message for this DOI.")

    class Meta:
        ordering = ["deposit", "pk"]
        constraints = [models.UniqueConstraint(fields=["deposit", "doi"], name="deposited_doi_once_per_deposit")]

    def __str__(self) -> str:
        return f"{self.doi}: {self.get_outcome_display()}"


def offprint_path(instance, filename: str) -> str:
    return f"offprints/{instance.build.call.slug}/build-{instance.build.number}/{filename}"


class Offprint(models.Model):
    """A chapter's pages cut from a published build's PDF with the volume's citation on its first page, made by
    the worker (``launch/offprints.py``); made again when the citation it carries is no longer the volume's."""

    build = models.ForeignKey(GalleyBuild, on_delete=models.CASCADE, related_name="+")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="+")
    citation = models.TextField(help_text="The citation stamped on the first page, as plain text.")
    first_page = models.PositiveIntegerField(help_text="The chapter's first page in the build's PDF (1-based).")
    last_page = models.PositiveIntegerField()
    file = models.FileField(upload_to=offprint_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    made_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["build", "first_page"]
        constraints = [models.UniqueConstraint(fields=["build", "chapter"], name="one_offprint_per_build_chapter")]

    def __str__(self) -> str:
        return f"Offprint of {self.chapter} from build {self.build.number}"

    @property
    def pages(self) -> int:
        return self.last_page - self.first_page + 1
