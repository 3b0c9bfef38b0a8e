"""A call as stored: the TOML it was loaded from, plus the rows other stages point at (themes, milestones)."""

from __future__ import annotations

import datetime as dt
from functools import cached_property, lru_cache

from django.db import models
from django.urls import reverse
from django.utils import timezone

from chapterhouse.call.schema import MILESTONE_KINDS, CallDefinition, parse_call


class Call(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    reference_prefix = models.CharField(max_length=10, unique=True)
    title = models.CharField(max_length=300)
    # The file exactly as loaded: its dates stay faithful; ``shift_days`` moves them when a call is reused.
    source = models.TextField()
    source_path = models.CharField(max_length=500, blank=True)
    shift_days = models.IntegerField(default=0)
    opens_on = models.DateField()
    closes_on = models.DateField()
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-opens_on"]

    def __str__(self) -> str:
        return self.title

    @cached_property
    def definition(self) -> CallDefinition:
        return parsed_definition(self.source, self.source_path or self.slug, self.shift_days)

    def get_absolute_url(self) -> str:
        return reverse("call_page", kwargs={"slug": self.slug})

    def accepting_proposals(self, today: dt.date | None = None) -> bool:
        return self.opens_on <= (today or timezone.localdate()) <= self.closes_on


@lru_cache(maxsize=32)
def parsed_definition(source: str, label: str, shift_days: int) -> CallDefinition:
    """The validated call, parsed once per process for each (text, name, shift) a row has held.

    Each request loads a new ``Call`` row, so the row's own cached property parsed the 30 KB file and ran pydantic
    on every page. Keyed by the stored text itself and the shift, a reloaded file or a moved timeline is a new key
    and seen on the next request, with no restart; the result is frozen, so sharing it between threads is safe.
    """
    return parse_call(source, label).shifted(shift_days)


class Theme(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="themes")
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    min_chapters = models.PositiveSmallIntegerField()
    max_chapters = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["call", "position"]
        constraints = [models.UniqueConstraint(fields=["call", "slug"], name="theme_slug_unique_in_call")]

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    KIND_CHOICES = [(kind, kind.replace("_", " ")) for kind in MILESTONE_KINDS]

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="milestones")
    kind = models.CharField(max_length=40, choices=KIND_CHOICES)
    date = models.DateField()
    precision = models.CharField(max_length=5, default="day")
    label = models.CharField(max_length=300)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["call", "date"]
        constraints = [models.UniqueConstraint(fields=["call", "kind"], name="one_milestone_of_a_kind_per_call")]

    def __str__(self) -> str:
        return f"{self.date}: {self.label}"

