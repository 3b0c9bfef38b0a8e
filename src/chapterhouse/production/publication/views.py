"""The publication record's page: production and the editors keep the book's ISBNs, prices, subjects, rights,
disclaimer, running titles and part introductions; the next galley build and the metadata exports read them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.shortcuts import get_object_or_404, redirect, render

from chapterhouse.accounts.roles import role_required
from chapterhouse.call.models import Call
from chapterhouse.production.publication import records
from chapterhouse.production.publication.access import PUBLICATION_ROLES
from chapterhouse.production.publication.forms import PublicationForm
from chapterhouse.production.publication.models import PublicationRecord
from chapterhouse.production.publication.settings import copyright_page
from chapterhouse.production.volume import volume_chapters
from chapterhouse.workflow.models import AuditEntry


def changes_of(call: Call) -> list[AuditEntry]:
    record = PublicationRecord.objects.filter(call=call).first()
    if record is None:
        return []
    return list(AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(record),
                                          object_id=record.pk).order_by("-at", "-pk")[:10])


@role_required(*PUBLICATION_ROLES)
def publication_record(request, slug):
    call = get_object_or_404(Call, slug=slug)
    chapters, themes = list(volume_chapters(call)), list(call.themes.order_by("position"))
    before = records.initial_for(call, chapters, themes)
    form = PublicationForm(request.POST or None, initial=before, chapters=chapters, themes=themes)
    if request.method == "POST" and form.is_valid():
        records.save(call, form, request.user, before)
        messages.success(request, "Publication record saved; the next galley build and the metadata exports use it.")
        return redirect("publication_record", slug=slug)
    return render(request, "publication/record.html", {
        "call": call, "form": form, "changes": changes_of(call), "copyright_page": copyright_page(call),
        "prices": form.price_rows_bound(), "chapter_fields": [form[n] for n in form.chapter_fields],
        "part_fields": [form[n] for n in form.part_fields],
    }, status=400 if request.method == "POST" else 200)
