"""What editors do to a chapter: write feedback and decide, waive findings, mark a version final, extend a
deadline, edit the authors, track permissions, funding and access to officials, and the board of all."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.roles import EDITOR, role_required
from chapterhouse.chapters.access import chapter_for
from chapterhouse.chapters.board import board_context
from chapterhouse.chapters import held
from chapterhouse.chapters.deadlines import DeadlineRefused, default_revision_due, extend as extend_deadline
from chapterhouse.chapters.forms import (AccessForm, AuthorFormSet, ExtensionForm, FeedbackForm, FundingForm,
                                         PermissionForm)
from chapterhouse.chapters.models import FundingAward, OfficialAccess, PermissionRecord
from chapterhouse.chapters.rounds import NotFinal, mark_final, waive, write_feedback
from chapterhouse.chapters.upload import UploadRefused, check_in_memory, refusal, screen_attachment, store_attachment
from chapterhouse.chapters.views.common import EDITORS, serve_file
from chapterhouse.workflow.statemachine import TransitionNotAllowed
from chapterhouse.workflow.transitions import record_event, transition_for_request


@role_required(EDITOR)
def board(request):
    return render(request, "chapters/board.html", board_context())


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def feedback(request, pk):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    version, today = chapter.latest_version, timezone.localdate()
    form = FeedbackForm(request.POST or None, request.FILES or None,
                        initial={"revised_due": default_revision_due(chapter, today)})
    refused, held_token = None, request.POST.get("held_annotated", "")
    if request.method == "POST":
        valid = form.is_valid()
        if version is None:
            form.add_error(None, "There is no version to give feedback on yet.")
        annotated = form.cleaned_data.get("annotated") or held.read(request.user, held_token)
        if valid and version is not None:
            data = form.cleaned_data
            try:
                write_feedback(chapter, version, request.user, letter=data["letter"], decision=data["decision"],
                               revised_due=data.get("revised_due"), annotated=annotated)
            except UploadRefused as error:
                refused, annotated = error, None
            except DeadlineRefused as error:
                form.add_error("revised_due", str(error))
            except (TransitionNotAllowed, ValueError) as error:
                form.add_error(None, str(error))
            else:
                held.release(request.user, held_token)
                messages.success(request, f"Feedback sent; the chapter is now “{chapter.status_label}”.")
                return redirect(chapter)
        held_token, refused = _hold_for_next_try(request, chapter, annotated, held_token, refused)
    status = 200 if request.method == "GET" else 400
    return render(request, "chapters/feedback.html", {
        "chapter": chapter, "version": version, "form": form, "refused": refused, "held_token": held_token,
        "held_name": held.describe(request.user, held_token)}, status=status)


def _hold_for_next_try(request, chapter, annotated, held_token, refused):
    """Keeps a newly chosen annotated file that carries no markings for the form shown again."""
    if annotated is None or request.FILES.get("annotated") is None or refused is not None:
        return held_token, refused
    marked = refusal(check_in_memory(chapter.call, annotated[1], annotated[0]))
    if marked is not None:
        return "", marked
    held.release(request.user, held_token)
    return held.hold(request.user, *annotated), None


@role_required(EDITOR)
@require_POST
def move(request, pk):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    transition_for_request(request, chapter, request.POST.get("to", ""), {EDITOR}, "The chapter is now “{obj.status_label}”.")
    return redirect(chapter)


@role_required(EDITOR)
@require_POST
def waive_finding(request, pk, number):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    version = get_object_or_404(chapter.versions, number=number)
    try:
        waive(version, int(request.POST.get("finding", -1)), request.POST.get("reason", ""), request.user)
    except ValueError as error:
        messages.error(request, str(error) if "finding" in str(error) or "why" in str(error) else "No such finding.")
    else:
        messages.success(request, "Finding waived; the reason is kept with the version.")
    return redirect(version)


@role_required(EDITOR)
@require_POST
def final(request, pk, number):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    version = get_object_or_404(chapter.versions, number=number)
    try:
        mark_final(version, request.user)
    except NotFinal as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"Version {version.number} is the final version.")
    return redirect(version)


@role_required(EDITOR)
@require_POST
def extend(request, pk):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, " ".join(errors))
        return redirect(chapter)
    data = form.cleaned_data
    try:
        extension = extend_deadline(chapter, data["kind"], data["due_on"], data["reason"], request.user,
                                    timezone.localdate())
    except DeadlineRefused as refusal:
        messages.error(request, f"Nothing was changed: {refusal}")
        return redirect(chapter)
    messages.success(request, f"“{extension.get_kind_display()}” is now {extension.due_on:%-d %B %Y}; the authors were told.")
    return redirect(chapter)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def authors(request, pk):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    formset = AuthorFormSet(request.POST or None, instance=chapter, prefix="authors")
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic():
            formset.save()
            record_event(chapter, request.user, "Edited the authors")
        messages.success(request, "Authors saved.")
        return redirect(chapter)
    return render(request, "chapters/authors.html", {"chapter": chapter, "formset": formset},
                  status=400 if request.method == "POST" else 200)


RECORDS = {
    "permission": (PermissionRecord, PermissionForm, "permissions", "Permissions for previously published material"),
    "funding": (FundingAward, FundingForm, "funding", "Funding awards"),
    "access": (OfficialAccess, AccessForm, "access_requests", "Access to officials"),
}


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def records(request, pk):
    """Permissions, funding awards and access to officials: a form to add each, and one to update each row."""
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    kind = request.POST.get("kind", "")
    bound, refused = None, None
    if request.method == "POST" and kind in RECORDS:
        model, form_class, _, _ = RECORDS[kind]
        row_id = request.POST.get("id")
        instance = get_object_or_404(model, pk=row_id, chapter=chapter) if row_id else model(chapter=chapter)
        bound = form_class(request.POST, request.FILES or None, instance=instance, prefix=f"{kind}-{row_id or 'new'}")
        if bound.is_valid():
            try:
                warnings = _save_record(chapter, bound, kind, request.user)
            except UploadRefused as error:
                refused = error
            else:
                messages.success(request, "Saved.")
                for warning in warnings:
                    messages.warning(request, warning)
                return redirect("chapter_records", pk=chapter.pk)
    sections = []
    for key, (model, form_class, related, title) in RECORDS.items():
        rows = [(row, bound if bound is not None and bound.instance.pk == row.pk and kind == key
                 else form_class(instance=row, prefix=f"{key}-{row.pk}")) for row in getattr(chapter, related).all()]
        new = bound if bound is not None and kind == key and bound.instance.pk is None else form_class(prefix=f"{key}-new")
        sections.append({"kind": key, "title": title, "rows": rows, "new": new})
    status = 200 if request.method == "GET" else 400
    return render(request, "chapters/records.html", {"chapter": chapter, "sections": sections, "refused": refused},
                  status=status)


def _save_record(chapter, form, kind: str, by) -> list[str]:
    """Saves one record (and its screened document); returns the marking warnings the editor must read."""
    document = form.cleaned_data.get("document") if kind == "permission" else None
    data = document.read() if document else None
    warnings = screen_attachment(document.name, data).warnings if document else []
    with transaction.atomic():
        row = form.save(commit=False)
        if document:
            store_attachment(row.document, document.name, data, "permissions")
            row.document_name = document.name[:255]
        row.save()
        record_event(chapter, by, f"Recorded {row._meta.verbose_name}: {row}")
    return warnings


@role_required(EDITOR)
def permission_document(request, pk, record):
    chapter = chapter_for(request.user, pk, allowed=EDITORS)
    row = get_object_or_404(PermissionRecord, pk=record, chapter=chapter)
    extension = row.document.name.rsplit(".", 1)[-1] if row.document else "bin"
    return serve_file(row.document, f"permission-{row.pk}.{extension}",
                      "application/pdf" if extension == "pdf" else "application/octet-stream")
