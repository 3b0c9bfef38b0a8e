"""The production stage in the database: the front cover, the editors' front-matter texts, and every galley
build with who asked for it, which chapter versions went in, its files, summary and page images.

Galley assembly itself is plain Python (``galleys/``); ``volume.py`` writes its manifest from these rows and
the chapters, and ``tasks.py`` runs a build on the worker.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from chapterhouse.call.models import Call
from chapterhouse.production.states import BUILT, FAILED, GALLEY_BUILD_WORKFLOW


def cover_path(instance: Cover, filename: str) -> str:
    return f"covers/{instance.call.slug}/{instance.sha256}{instance.suffix}"


class Cover(models.Model):
    """A front cover image as uploaded; the latest one is the volume's cover, earlier ones stay on record."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="covers")
    image = models.FileField(upload_to=cover_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    suffix = models.CharField(max_length=5)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    description = models.CharField(max_length=300, help_text="The cover's text alternative for readers who cannot see it.")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "-uploaded_at", "-pk"]
        get_latest_by = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return f"Cover of {self.call} ({self.width} × {self.height})"

    @classmethod
    def current(cls, call: Call) -> Cover | None:
        return cls.objects.filter(call=call).order_by("-uploaded_at", "-pk").first()


def full_cover_path(instance: FullCover, filename: str) -> str:
    return f"covers/{instance.call.slug}/full-{instance.sha256}.pdf"


class FullCover(models.Model):
    """The printer's full cover (back, spine, front and bleed on one PDF page), kept only when its size matched
    the one computed from the build it was checked against (``cover_spec.check_full_cover``)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="full_covers")
    build = models.ForeignKey("GalleyBuild", null=True, on_delete=models.SET_NULL, related_name="+",
                              help_text="The build whose page count set the spine it was checked against.")
    pdf = models.FileField(upload_to=full_cover_path, max_length=200)
    sha256 = models.CharField(max_length=64)
    width_in = models.DecimalField(max_digits=7, decimal_places=4)
    height_in = models.DecimalField(max_digits=7, decimal_places=4)
    pages = models.PositiveIntegerField(help_text="The interior's page count the spine was computed from.")
    original_name = models.CharField(max_length=255)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["call", "-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"Full cover of {self.call} ({self.width_in} × {self.height_in} in)"

    @classmethod
    def current(cls, call: Call) -> FullCover | None:
        return cls.objects.filter(call=call).order_by("-uploaded_at", "-pk").first()


class FrontMatterText(models.Model):
    """A foreword, preface, introduction or acknowledgments the editors write in the browser (Markdown)."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="front_matter")
    title = models.CharField(max_length=200)
    authors = models.CharField(max_length=300, blank=True, help_text="Names separated by commas; empty for none.")
    body = models.TextField(help_text="Markdown: blank lines between paragraphs, *italics*, > quotations, [^1] notes.")
    order = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["call", "order", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def author_names(self) -> list[str]:
        return [name.strip() for name in self.authors.split(",") if name.strip()]


def build_path(instance, filename: str) -> str:
    build = getattr(instance, "build", instance)
    return f"galleys/{build.call.slug}/build-{build.number}/{filename}"


class GalleyBuild(models.Model):
    """One run of the galley engine over the volume as it stood; kept, with its inputs, whatever the outcome."""

    workflow = GALLEY_BUILD_WORKFLOW

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="galley_builds")
    number = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=GALLEY_BUILD_WORKFLOW.choices(),
                              default=GALLEY_BUILD_WORKFLOW.initial, db_index=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What went in: [{"chapter": id, "version": number, "sha256": …, "title": …}], the cover and front matter.
    inputs = models.JSONField(default=dict)
    progress = models.JSONField(default=dict)  # {"stage": …, "done": n, "total": n, "label": …}
    problems = models.JSONField(default=list)
    summary = models.JSONField(default=dict)
    pdf = models.FileField(upload_to=build_path, max_length=200, blank=True)
    archive_pdf = models.FileField(upload_to=build_path, max_length=200, blank=True)
    epub = models.FileField(upload_to=build_path, max_length=200, blank=True)
    docx = models.FileField(upload_to=build_path, max_length=200, blank=True)
    print_pdf = models.FileField(upload_to=build_path, max_length=200, blank=True)  # with bleed, no cover page
    cover_template = models.FileField(upload_to=build_path, max_length=200, blank=True)  # the full cover's areas
    pages = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["call", "-number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="galley_build_number_unique")]

    def __str__(self) -> str:
        return f"Galley build {self.number} of {self.call}"

    def get_absolute_url(self) -> str:
        return reverse("galley_build", kwargs={"slug": self.call.slug, "number": self.number})

    @property
    def status_label(self) -> str:
        return self.workflow.label(self.status)

    @property
    def is_done(self) -> bool:
        """Nothing more will happen unless someone acts (a failed build may be tried again)."""
        return self.status in {BUILT, FAILED}

    @property
    def succeeded(self) -> bool:
        return self.status in {BUILT}

    def chapter_pages(self, chapter_id: int) -> dict | None:
        """The chapter's entry in the summary with its page range ("first_page", "last_page", "pdf_pages": [a, b])
        — what author proofs read — or None when the chapter was not in this build."""
        for entry in self.summary.get("chapters", []):
            if entry.get("chapter_id") == chapter_id:
                return entry
        return None

    def page_images_for(self, chapter_id: int):
        entry = self.chapter_pages(chapter_id)
        if not entry or "pdf_pages" not in entry:
            return self.page_images.none()
        first, last = entry["pdf_pages"]
        return self.page_images.filter(number__gte=first, number__lte=last)

    @property
    def cover_spec(self):
        """The full cover this build's interior asks for (``cover_spec.CoverSpec``), or None before print outputs."""
        from chapterhouse.production.cover_spec import CoverSpec

        cover = (self.summary.get("print") or {}).get("cover")
        return CoverSpec.from_json(cover) if cover else None

    @classmethod
    def latest_built(cls, call: Call) -> GalleyBuild | None:
        return cls.objects.filter(call=call, status=BUILT).order_by("-number").first()


class GalleyPage(models.Model):
    """One page of a build's PDF as an image (pdftoppm), for proofs and the production page."""

    build = models.ForeignKey(GalleyBuild, on_delete=models.CASCADE, related_name="page_images")
    number = models.PositiveIntegerField()  # 1-based position in the PDF
    label = models.CharField(max_length=20)  # the folio printed on it ("iv", "23", "Cover")
    image = models.FileField(upload_to=build_path, max_length=200)

    class Meta:
        ordering = ["build", "number"]
        constraints = [models.UniqueConstraint(fields=["build", "number"], name="galley_page_unique")]

    def __str__(self) -> str:
        return f"Page {self.label} of build {self.build.number}"
