"""The publication record as stored: one row per call, made when someone first saves the record's page.

Until then the call file's ``[publication]`` values stand in (see ``settings.py``); once saved, the row is the
record and the call file is no longer read for these values. Lists and per-part or per-chapter texts are JSON:
they are only ever read and written whole, by the record's page.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from chapterhouse.call.models import Call
from chapterhouse.production.publication.catalog import COPYRIGHT, RIGHTS_BASES


class PublicationRecord(models.Model):
    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="publication_record")
    isbn_print = models.CharField(max_length=17, blank=True, help_text="Hyphenated ISBN-13 of the printed book.")
    isbn_pdf = models.CharField(max_length=17, blank=True)
    isbn_epub = models.CharField(max_length=17, blank=True)
    # [{"format": "print", "market": "US", "currency": "USD", "amount": "24.95" or null for free of charge}]
    prices = models.JSONField(default=list, blank=True)
    subjects = models.JSONField(default=list, blank=True, help_text='Keys of the shipped list, e.g. "BISAC:POL012000".')
    rights_basis = models.CharField(max_length=20, choices=RIGHTS_BASES.items(), default=COPYRIGHT)
    rights = models.TextField(blank=True, help_text="The holder after ©, or the licence statement in full.")
    disclaimer = models.TextField(blank=True)
    short_title = models.CharField(max_length=120, blank=True, help_text="The volume's running head when the title is long.")
    chapter_short_titles = models.JSONField(default=dict, blank=True)  # {"<chapter pk>": "short title"}
    part_introductions = models.JSONField(default=dict, blank=True)  # {"<theme slug>": "Markdown"}
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Publication record of {self.call}"
