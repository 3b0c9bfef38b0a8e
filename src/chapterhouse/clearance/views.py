"""The security and policy review pages: editors prepare and submit the request, security reviewers record the
office's answer and each required amendment and confirm the amended versions. Authors' pages are in
``author_views``."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, SECURITY_REVIEWER, role_required, roles_of
from chapterhouse.call.models import Call
from chapterhouse.clearance import amending, coverage, notify, prepare
from chapterhouse.clearance.forms import AmendmentForm, ClearanceRecordForm, DD1910Form, MoveForm
from chapterhouse.clearance.later_changes import body_changes, mark_read, mark_text_read
from chapterhouse.clearance.models import Amendment, ClearanceRequest, LaterChangesSeen, LaterTextChangesSeen
from chapterhouse.clearance.states import AMENDED, AS_AMENDED, CLEARED_STATES, OBJECTION, PREPARED, SUBMITTED
from chapterhouse.production.volume import typeset_version
from chapterhouse.workflow.transitions import (TransitionNotAllowed, history, offered_moves, record_event,
                                               transition)

STAFF = (EDITOR, SECURITY_REVIEWER)


def staff_roles(user) -> set[str]:
    return roles_of(user) & set(STAFF)


def request_for(pk: int) -> ClearanceRequest:
    return get_object_or_404(ClearanceRequest.objects.select_related("call"), pk=pk)


@role_required(*STAFF)
def clearance_home(request):
    requests = list(ClearanceRequest.objects.select_related("call"))
    open_calls = Call.objects.exclude(pk__in=[r.call_id for r in requests])  # a call has one request at a time
    waiting = Amendment.objects.filter(status=AMENDED).select_related("chapter", "request")
    return render(request, "clearance/home.html", {
        "requests": requests, "open_calls": open_calls if EDITOR in roles_of(request.user) else [],
        "waiting": waiting, "today": timezone.localdate()})


@role_required(EDITOR)
@require_POST
def clearance_start(request, slug):
    call = get_object_or_404(Call, slug=slug)
    started = prepare.start_request(call, request.user)
    messages.success(request, "Clearance request prepared: every chapter's final version was re-checked.")
    return redirect(started)


@role_required(*STAFF)
def clearance_request(request, pk):
    clearance = request_for(pk)
    roles = staff_roles(request.user)
    items = list(clearance.items.select_related("chapter__theme", "version"))
    amendments = list(clearance.amendments.select_related("chapter"))
    fields = prepare.form_fields(clearance)
    answered = clearance.status in CLEARED_STATES | {OBJECTION}
    return render(request, "clearance/request.html", {
        "clearance": clearance, "items": items, "roles": roles,
        "form_rows": [(f, clearance.form_values.get(f.key, "")) for f in fields],
        "texts": clearance.texts.all(), "uploaded_front_matter": clearance.front_matter.all(),
        "moves": offered_moves(clearance, roles),
        "not_carried": coverage.uncarried(clearance.call) if answered else None,
        "amendments": amendments, "amendment_form": AmendmentForm([i.chapter for i in items], auto_id="am_%s"),
        "may_amend": SECURITY_REVIEWER in roles and clearance.status in {AS_AMENDED},
        "history": history(clearance), "today": timezone.localdate(),
        "days_left": clearance.duty_days_left(), "overdue": clearance.overdue(),
        "days_late": -(clearance.duty_days_left() or 0),
        "office": clearance.call.definition.clearance.office,
        "lead_time": clearance.call.definition.clearance.lead_time_duty_days,
        "cleared_targets": sorted(CLEARED_STATES),
        "record_form": ClearanceRecordForm(initial={"office_reference": clearance.office_reference,
                                                    "cleared_on": clearance.cleared_on}),
    })


@role_required(*STAFF)
@require_POST
def clearance_record(request, pk):
    """Corrects the case number and the date cleared of a cleared request (the copyright page prints both)."""
    clearance = request_for(pk)
    form = ClearanceRecordForm(request.POST)
    if not clearance.cleared:
        messages.error(request, "The case number and date cleared are recorded once the office has cleared the request.")
    elif not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    else:
        before = f"case number “{clearance.office_reference}”, cleared on {clearance.cleared_on or '—'}"
        with transaction.atomic():
            clearance.office_reference = form.cleaned_data["office_reference"].strip()
            clearance.cleared_on = form.cleaned_data["cleared_on"]
            clearance.save(update_fields=["office_reference", "cleared_on"])
            record_event(clearance, request.user, "Clearance record corrected",
                         why=f"Was {before}; now case number “{clearance.office_reference}”, cleared on "
                             f"{clearance.cleared_on}.")
        messages.success(request, "Case number and date cleared saved; the next galley build prints them.")
    return redirect(clearance)


def _prepared_or_refuse(request, clearance) -> bool:
    if clearance.status != PREPARED:
        messages.error(request, f"The request is “{clearance.status_label}”: only a prepared request can change.")
        return False
    return True


@role_required(EDITOR)
@require_POST
def clearance_recheck(request, pk):
    clearance = request_for(pk)
    if _prepared_or_refuse(request, clearance):
        with transaction.atomic():
            prepare.recheck_items(clearance)
            record_event(clearance, request.user, "Re-check chapters and build the package")
            prepare.queue_package(clearance, request.user)
        messages.success(request, "Chapters re-checked; the package is being built.")
    return redirect(clearance)


@role_required(EDITOR)
def clearance_form(request, pk):
    clearance = request_for(pk)
    fields = prepare.form_fields(clearance)
    if request.method == "POST" and _prepared_or_refuse(request, clearance):
        form = DD1910Form(fields, request.POST)
        if form.is_valid():
            with transaction.atomic():
                clearance.form_values = {f.key: form.cleaned_data[f.key].strip() for f in fields}
                clearance.save(update_fields=["form_values"])
                record_event(clearance, request.user, "Edit the DD 1910")
            messages.success(request, "DD 1910 saved. Build the package again so it carries these values.")
            return redirect(clearance)
    else:
        form = DD1910Form(fields, initial=clearance.form_values)
    return render(request, "clearance/form.html", {"clearance": clearance, "form": form,
                                                   "editable": clearance.status in {PREPARED}})


@role_required(EDITOR)
@require_POST
def clearance_follow_up(request, pk):
    """A follow-up request carrying only what no request carries yet (a chapter or a foreword added since)."""
    clearance = request_for(pk)
    if clearance.status not in CLEARED_STATES | {OBJECTION}:
        messages.error(request, f"The request is “{clearance.status_label}”: a follow-up starts once the office "
                                "has answered it.")
        return redirect(clearance)
    if not coverage.uncarried(clearance.call):
        messages.info(request, "Every chapter and text of the volume is already in a request: nothing to follow up.")
        return redirect(clearance)
    follow_up = prepare.start_request(clearance.call, request.user, follows=clearance)
    messages.success(request, "Follow-up request prepared with what is new since: " +
                     ", ".join(i.chapter.title for i in follow_up.items.select_related("chapter"))
                     + (", " if follow_up.items.exists() and follow_up.texts.exists() else "")
                     + ", ".join(t.title for t in follow_up.texts.all()) + ".")
    return redirect(follow_up)


@role_required(*STAFF)
def clearance_package(request, pk):
    clearance = request_for(pk)
    if not clearance.package:
        raise Http404("The package has not been built.")
    name = f"{clearance.call.slug}-clearance-package-{clearance.pk}.zip"
    return FileResponse(clearance.package.open("rb"), as_attachment=True, filename=name,
                        content_type="application/zip")


@role_required(*STAFF)
@require_POST
def clearance_move(request, pk):
    clearance = request_for(pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect(clearance)
    target, why = form.cleaned_data["to"], form.cleaned_data["reason"]
    try:
        with transaction.atomic():
            transition(clearance, target, request.user, staff_roles(request.user), why)
            if target == SUBMITTED:
                prepare.submit_dates(clearance, form.cleaned_data["on"])
                notify.submitted(clearance)
            if form.cleaned_data["office_reference"]:
                clearance.office_reference = form.cleaned_data["office_reference"].strip()
                clearance.save(update_fields=["office_reference"])
            if target in CLEARED_STATES:
                clearance.cleared_on = form.cleaned_data["on"]
                clearance.save(update_fields=["cleared_on"])
            if target in CLEARED_STATES or target == "objection":
                notify.answered(clearance, why)
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
        return redirect(clearance)
    messages.success(request, f"The request is now “{clearance.status_label}”.")
    return redirect(clearance)


@role_required(SECURITY_REVIEWER)
@require_POST
def clearance_amendment_add(request, pk):
    clearance = request_for(pk)
    items = {i.chapter_id: i.chapter for i in clearance.items.select_related("chapter")}
    form = AmendmentForm(items.values(), request.POST, auto_id="am_%s")
    if clearance.status != AS_AMENDED:
        messages.error(request, "Amendments are recorded when the office clears the manuscript as amended.")
    elif form.is_valid() and form.cleaned_data["chapter"] in items:
        data = form.cleaned_data
        amending.record_amendment(clearance, items[data["chapter"]], data["location"], data["cleared_text"],
                                  data["required_text"], request.user)
        messages.success(request, "Amendment recorded; the chapter's authors were told.")
    else:
        errors = [e for errs in form.errors.values() for e in errs] or ["Choose a chapter of this request."]
        messages.error(request, "Amendment not recorded: " + " ".join(errors))
    return redirect(reverse("clearance_request", args=[clearance.pk]) + "#amendments")


@role_required(SECURITY_REVIEWER)
@require_POST
def clearance_amendment_answer(request, pk):
    amendment = get_object_or_404(Amendment.objects.select_related("request", "chapter"), pk=pk)
    try:
        amending.answer(amendment, request.POST.get("to", ""), request.user, staff_roles(request.user),
                        request.POST.get("reason", ""))
    except TransitionNotAllowed as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Amendment at {amendment.location}: {amendment.status_label.lower()}.")
    return redirect("clearance_chapter", pk=amendment.request_id, chapter=amendment.chapter_id)


def request_item(clearance, chapter_pk):
    item = clearance.items.select_related("chapter__theme", "version").filter(chapter_id=chapter_pk).first()
    if item is None:
        raise Http404("That chapter is not in this request.")
    return item


@role_required(*STAFF)
def clearance_chapter(request, pk, chapter):
    clearance = request_for(pk)
    item = request_item(clearance, chapter)
    amended = list(clearance.amended_versions.filter(chapter=item.chapter).select_related("version"))
    amendments = list(clearance.amendments.filter(chapter=item.chapter))
    amending.annotate(amended, amendments)
    changes = after_clearance(clearance, item)
    current = typeset_version(item.chapter)
    seen = list(LaterChangesSeen.objects.filter(request=clearance, chapter=item.chapter).select_related("version",
                                                                                                        "seen_by"))
    return render(request, "clearance/chapter.html", {
        "clearance": clearance, "item": item, "chapter": item.chapter, "amended": amended, "amendments": amendments,
        "may_answer": SECURITY_REVIEWER in roles_of(request.user), "after_clearance": changes, "seen": seen,
        "current": current, "current_seen": current is not None and any(s.version_id == current.pk for s in seen),
    })


@role_required(SECURITY_REVIEWER)
@require_POST
def clearance_changes_seen(request, pk, chapter):
    """The security reviewer records that they read the chapter's changes after clearance up to its current
    version (named in the form, so a version added since the page was read is not marked by mistake)."""
    clearance = request_for(pk)
    item = request_item(clearance, chapter)
    current = typeset_version(item.chapter)
    if not clearance.cleared or current is None or str(current.number) != request.POST.get("version", ""):
        messages.error(request, "Nothing was marked: the chapter's text changed since the page was shown, or the "
                                "request is not cleared. Read the changes again.")
        return redirect("clearance_chapter", pk=clearance.pk, chapter=item.chapter_id)
    mark_read(clearance, item.chapter, current, request.user)
    messages.success(request, f"Recorded: you read the changes to “{item.chapter.title}” up to version "
                              f"{current.number}.")
    return redirect("clearance_chapter", pk=clearance.pk, chapter=item.chapter_id)


def after_clearance(clearance, item):
    """Changes made to the chapter after clearance (a copyedit, a proof correction), for the security reviewer."""
    from chapterhouse.clearance import later_changes

    return later_changes.for_chapter(clearance, item) if clearance.cleared else []


def request_text(clearance, text_pk):
    text = clearance.texts.filter(pk=text_pk).first()
    if text is None:
        raise Http404("That text is not in this request.")
    return text


def current_text(text):
    """The text as the volume has it now (``None`` once taken out of the volume)."""
    from chapterhouse.production.volume import volume_texts

    return next((t for t in volume_texts(text.request.call) if t.key == text.key), None)


@role_required(*STAFF)
def clearance_text(request, pk, text):
    """Front matter or a part's introduction as the request carried it and, once cleared, its changes since: the
    security reviewer reads them and marks them read, as for a chapter's copyedits."""
    clearance = request_for(pk)
    carried = request_text(clearance, text)
    current = current_text(carried)
    changed = clearance.cleared and current is not None and current.sha256 != carried.sha256
    seen = list(LaterTextChangesSeen.objects.filter(request=clearance, key=carried.key).select_related("seen_by"))
    return render(request, "clearance/text.html", {
        "clearance": clearance, "text": carried, "current": current, "changed": changed,
        "changes": {"changes": body_changes(carried, current)} if changed else None, "seen": seen,
        "current_seen": changed and any(s.sha256 == current.sha256 for s in seen),
        "may_answer": SECURITY_REVIEWER in roles_of(request.user),
    })


@role_required(SECURITY_REVIEWER)
@require_POST
def clearance_text_seen(request, pk, text):
    """The security reviewer records that they read the text's changes after clearance as the page showed them
    (the text's SHA-256 is in the form, so an edit made since the page was read is not marked by mistake)."""
    clearance = request_for(pk)
    carried = request_text(clearance, text)
    current = current_text(carried)
    if not clearance.cleared or current is None or current.sha256 != request.POST.get("sha256", ""):
        messages.error(request, "Nothing was marked: the text changed since the page was shown, or the request is "
                                "not cleared. Read the changes again.")
    else:
        mark_text_read(carried, current, request.user)
        messages.success(request, f"Recorded: you read the changes to “{current.title}” made after clearance.")
    return redirect("clearance_text", pk=clearance.pk, text=carried.pk)


@role_required(*STAFF)
def clearance_version_file(request, pk, chapter, number):
    clearance = request_for(pk)
    item = request_item(clearance, chapter)
    allowed = {item.version_id} | set(clearance.amended_versions.filter(chapter=item.chapter)
                                      .values_list("version_id", flat=True))
    version = item.chapter.versions.filter(number=number, pk__in=allowed).first()
    if version is None:
        raise Http404("No such version in this request.")
    return FileResponse(version.file.open("rb"), as_attachment=True, filename=version.original_name or "chapter.docx")
