"""Reading the stored record into the page's form and saving the form back, with one audit row per save
naming what changed."""

from __future__ import annotations

from django.db import transaction

from chapterhouse.call.models import Call
from chapterhouse.production.publication.catalog import COPYRIGHT, FORMATS, MARKETS, STATEMENT
from chapterhouse.production.publication.forms import (PublicationForm, chapter_field, part_field,
                                                       price_field)
from chapterhouse.production.publication.models import PublicationRecord
from chapterhouse.production.publication.settings import _seeded_isbn, default_disclaimer_for
from chapterhouse.workflow.transitions import record_event

STORED = ("isbn_print", "isbn_pdf", "isbn_epub", "subjects", "rights_basis", "rights", "disclaimer", "short_title")


def initial_for(call: Call, chapters, themes) -> dict:
    """The form's values: the stored record, or before its first save the call file's values (part
    introductions start empty: the call's theme texts were written for proposers, not readers)."""
    record = PublicationRecord.objects.filter(call=call).first()
    if record is None:
        toml = call.definition.publication
        return {"isbn_print": _seeded_isbn(toml.isbn), "rights_basis": STATEMENT if toml.rights.strip() else COPYRIGHT,
                "rights": toml.rights, "disclaimer": default_disclaimer_for(call), "subjects": []}
    initial = {name: getattr(record, name) for name in STORED}
    for price in record.prices:
        amount = price.get("amount")
        initial[price_field(price["format"], price["market"])] = "free" if amount is None else amount
    for chapter in chapters:
        initial[chapter_field(chapter.pk)] = record.chapter_short_titles.get(str(chapter.pk), "")
    for theme in themes:
        initial[part_field(theme.slug)] = record.part_introductions.get(theme.slug, "")
    return initial


def changed_labels(form: PublicationForm, before: dict) -> list[str]:
    names = [*STORED, *(price_field(f, m) for f in FORMATS for m, _, _ in MARKETS), *form.chapter_fields,
             *form.part_fields]
    changed = []
    for name in names:
        now = form.cleaned_data.get(name)
        if name.startswith("price_") and now:
            now = now.strip().lower()
        was = before.get(name)
        if (now or "") != (was or "") and not (name == "subjects" and sorted(now or []) == sorted(was or [])):
            changed.append(form.fields[name].label)
    return changed


def save(call: Call, form: PublicationForm, user, before: dict) -> PublicationRecord:
    data = form.cleaned_data
    changed = changed_labels(form, before)
    with transaction.atomic():
        record, created = PublicationRecord.objects.select_for_update().get_or_create(call=call)
        for name in STORED:
            setattr(record, name, data[name].strip() if isinstance(data[name], str) else data[name])
        record.prices = data["prices"]
        # Chapters or parts no longer in the volume keep their texts, in case they come back.
        record.chapter_short_titles = {**{k: v for k, v in record.chapter_short_titles.items()
                                          if k not in {str(c.pk) for c in form.chapters}},
                                       **form.chapter_short_titles}
        record.part_introductions = {**{k: v for k, v in record.part_introductions.items()
                                        if k not in {t.slug for t in form.themes}}, **form.part_introductions}
        record.updated_by = user
        record.save()
        action = "Publication record created" if created else "Publication record changed"
        record_event(record, user, action, why=("Changed: " + "; ".join(changed)) if changed else "Saved unchanged")
    return record
