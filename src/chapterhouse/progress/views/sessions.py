"""Review sessions: the list and one session for editors and the authors presenting in it; authors upload a
draft or slides for their slot (screened for markings, refused files are not kept); editors record feedback."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from chapterhouse.accounts.roles import EDITOR, role_required, roles_of
from chapterhouse.chapters.upload import UploadRefused, screen_attachment, store_attachment
from chapterhouse.chapters.views.common import serve_file
from chapterhouse.call.models import Call
from chapterhouse.progress.calendar import session_calendar
from chapterhouse.progress.forms import SessionForm, SlotForm
from chapterhouse.progress.mail import tell_draft_uploaded, tell_dropped, tell_feedback, tell_participants
from chapterhouse.progress.models import ReviewSession, Slot, SlotUpload
from chapterhouse.progress.visibility import FILE_ROLES, programme_for, session_for, sessions_for, slot_for, upload_for
from chapterhouse.web.uploads import OversizeUpload
from chapterhouse.workflow.transitions import record_event


@login_required
def sessions(request):
    return render(request, "progress/sessions.html", {
        "sessions": sessions_for(request.user).prefetch_related("slots__chapter"), "now": timezone.now()})


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def new_session(request):
    call = Call.objects.first()
    form = SessionForm(request.POST or None)
    if call is None:
        raise Http404("No call is loaded.")
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.call = call
        session.save()
        messages.success(request, "Session planned; add its presentations below.")
        return redirect(session)
    return render(request, "progress/form_page.html", {
        "form": form, "heading": "Plan a review session", "button": "Plan the session",
        "back_url": reverse("review_sessions"), "back_label": "Review sessions",
    }, status=400 if request.method == "POST" else 200)


@role_required(EDITOR)
@require_POST
def new_slot(request, pk):
    session = get_object_or_404(ReviewSession, pk=pk)
    form = SlotForm(request.POST, session=session)
    if form.is_valid():
        with transaction.atomic():
            slot = form.save(commit=False)
            slot.session = session
            slot.save()
            session.changed()
            record_event(session, request.user, f"Added “{slot.chapter.title}” to the programme")
            told = tell_participants(slot, slot.participants(), changed=False)
        messages.success(request, f"Added “{slot.chapter.title}” to the programme." + mailed(told))
        return redirect(session)
    return session_page(request, pk, slot_form=form, status=400)


@role_required(EDITOR)
@require_http_methods(["GET", "POST"])
def edit_slot(request, pk):
    slot = get_object_or_404(Slot.objects.select_related("session", "chapter"), pk=pk)
    form = SlotForm(request.POST or None, instance=slot, session=slot.session)
    before = {person.pk: person for person in slot.participants()}
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            slot = form.save()
            slot.session.changed()
            record_event(slot.session, request.user, f"Changed the presentation of “{slot.chapter.title}”")
            people = {person.pk: person for person in slot.participants()}
            told = (tell_participants(slot, [p for pk, p in people.items() if pk not in before], changed=False)
                    + tell_participants(slot, [p for pk, p in people.items() if pk in before], changed=True)
                    + tell_dropped(slot, [p for pk, p in before.items() if pk not in people]))
        messages.success(request, f"Saved the presentation of “{slot.chapter.title}”." + mailed(told))
        return redirect(slot.session)
    return render(request, "progress/form_page.html", {
        "form": form, "heading": "Change a presentation", "button": "Save the presentation",
        "back_url": slot.session.get_absolute_url(), "back_label": slot.session.title,
    }, status=400 if request.method == "POST" else 200)


@role_required(EDITOR)
@require_POST
def remove_slot(request, pk):
    """Takes a presentation off the programme, unless the author has sent files for it or it has feedback:
    removing it would delete those, so it stays and the editor is told why."""
    slot = get_object_or_404(Slot.objects.select_related("session", "chapter"), pk=pk)
    if slot.uploads.exists() or slot.feedback.strip():
        messages.error(request, f"“{slot.chapter.title}” stays on the programme: it holds the author's files or "
                                "your feedback, which removing it would delete. Change its time or order instead.")
    else:
        with transaction.atomic():
            record_event(slot.session, request.user, f"Removed “{slot.chapter.title}” from the programme")
            told = tell_dropped(slot, slot.participants())
            slot.delete()
            slot.session.changed()
        messages.success(request, f"Removed “{slot.chapter.title}” from the programme." + mailed(told))
    return redirect(slot.session)


def mailed(addresses: list[str]) -> str:
    return f" The details went to {', '.join(dict.fromkeys(addresses))}." if addresses else ""


@login_required
def session(request, pk, refused=None, status=200):
    return session_page(request, pk, refused=refused, status=status)


def session_page(request, pk, refused=None, status=200, slot_form=None):
    session = session_for(request.user, pk)
    is_editor = EDITOR in roles_of(request.user)
    slots = programme_for(request.user, session)
    if is_editor and slot_form is None:
        slot_form = SlotForm(session=session)
    return render(request, "progress/session.html", {"session": session, "slots": slots, "is_editor": is_editor,
                                                     "refused": refused, "slot_form": slot_form}, status=status)


@login_required
def session_ics(request, pk):
    session = session_for(request.user, pk)
    response = HttpResponse(session_calendar(session), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="review-session-{session.pk}.ics"'
    return response


@login_required
@require_POST
def slot_upload(request, pk):
    slot = slot_for(request.user, pk, FILE_ROLES)
    upload = request.FILES.get("file")
    kind = request.POST.get("kind", SlotUpload.Kind.DRAFT)
    if kind not in SlotUpload.Kind.values or upload is None or isinstance(upload, OversizeUpload):
        messages.error(request, "Choose a draft (.docx or .pdf) or slides (.pdf) to upload, within the size limit.")
        return redirect(slot.session)
    data = upload.read()
    try:
        warnings = screen_attachment(upload.name, data).warnings
    except UploadRefused as refused:
        return session_page(request, slot.session_id, refused=refused, status=422)
    with transaction.atomic():
        row = SlotUpload(slot=slot, kind=kind, original_name=upload.name[:255],
                         sha256=hashlib.sha256(data).hexdigest(), uploaded_by=request.user)
        store_attachment(row.file, upload.name, data, "progress")
        row.save()
        record_event(slot.chapter, request.user, f"Uploaded {row.get_kind_display().lower()} for {slot.session}")
        told = tell_draft_uploaded(slot, row)
    messages.success(request, f"{row.get_kind_display()} uploaded." + mailed(told))
    for warning in warnings:
        messages.warning(request, warning)
    return redirect(slot.session)


@login_required
def slot_file(request, pk):
    row = upload_for(request.user, pk)
    extension = row.file.name.rsplit(".", 1)[-1]
    return serve_file(row.file, f"slot-{row.slot_id}-{row.kind}.{extension}",
                      "application/pdf" if extension == "pdf" else "application/octet-stream")


@role_required(EDITOR)
@require_POST
def slot_feedback(request, pk):
    slot = slot_for(request.user, pk, {EDITOR})
    with transaction.atomic():
        slot.feedback, slot.feedback_by, slot.feedback_at = request.POST.get("feedback", "").strip(), request.user, timezone.now()
        slot.save(update_fields=["feedback", "feedback_by", "feedback_at"])
        record_event(slot.chapter, request.user, f"Feedback recorded for {slot.session}")
        told = tell_feedback(slot) if slot.feedback else []
    messages.success(request, "Feedback saved." + mailed(told))
    return redirect(slot.session)
