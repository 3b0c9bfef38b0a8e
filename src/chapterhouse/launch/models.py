"""A volume's publication: which galley build is the published book, its catalogue description, whether its
files are open for download, and its state (public once launched)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from chapterhouse.call.models import Call
from chapterhouse.launch.states import LAUNCHED, PUBLICATION_WORKFLOW
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
