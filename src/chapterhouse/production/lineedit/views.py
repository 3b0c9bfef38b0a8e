"""Copyedit pages: production sends each chapter's copyedit; the chapter's author reviews it, answers the
queries or approves it. Another author's chapter is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, PRODUCTION, role_required, roles_of
from chapterhouse.call.models import Call
from chapterhouse.chapters.access import OWNER, chapter_for, chapter_roles
from chapterhouse.clearance.forms import UploadForm
from chapterhouse.production.lineedit import rounds
from chapterhouse.production.lineedit.models import CopyeditRound
from chapterhouse.production.lineedit.states import ANSWERED, WITH_AUTHOR
from chapterhouse.production.volume import volume_chapters
from chapterhouse.workflow.transitions import TransitionNotAllowed, history

STAFF = (EDITOR, PRODUCTION)


@role_required(*STAFF)
def copyedit_home(request):
    """Production's page: each volume's copyedits, proofs and galleys, with what waits on production."""
    calls = list(Call.objects.all())
    for call in calls:
        call.answered = CopyeditRound.objects.filter(chapter__call=call, status="answered").count()
        call.with_authors = CopyeditRound.objects.filter(chapter__call=call, status=WITH_AUTHOR).count()
    return render(request, "lineedit/home.html", {"calls": calls})


@role_required(*STAFF)
def copyedit_chapters(request, slug):
    call = get_object_or_404(Call, slug=slug)
    chapters = list(volume_chapters(call))
    for chapter in chapters:
        chapter.copyedit = chapter.copyedits.first()
        if chapter.copyedit is not None and chapter.copyedit.status in {ANSWERED}:
            chapter.answers = history(chapter.copyedit)[-1].reason  # the author's answers are the move's reason
        chapter.upload_form = UploadForm(auto_id=f"c{chapter.pk}_%s", label="Copyedited chapter (.docx)")
    return render(request, "lineedit/chapters.html", {"call": call, "chapters": chapters})


@role_required(*STAFF)
@require_POST
def copyedit_upload(request, pk):
    chapter = chapter_for(request.user, pk, allowed={EDITOR, PRODUCTION})
    form = UploadForm(request.POST, request.FILES, auto_id=f"c{chapter.pk}_%s", label="Copyedited chapter (.docx)")
    if form.is_valid():
        try:
            item = rounds.upload_copyedit(chapter, form.data_bytes, form.cleaned_data["file"].name,
                                          request.POST.get("note", ""), request.user, roles_of(request.user))
        except (rounds.CopyeditRefused, TransitionNotAllowed) as refusal:
            messages.error(request, f"“{chapter.title}”: {refusal}")
        else:
            warning = "" if item.tracked_changes else " It carries no tracked changes: the author sees no changes."
            messages.success(request, f"Copyedit {item.number} of “{chapter.title}” sent to the author.{warning}")
    else:
        messages.error(request, f"“{chapter.title}”: " + " ".join(form.errors["file"]))
    return redirect("copyedit_chapters", slug=chapter.call.slug)


def _copyedit_file(request, round_pk, number):
    round_ = get_object_or_404(CopyeditRound.objects.select_related("chapter"), pk=round_pk)
    if not chapter_roles(request.user, round_.chapter) & {EDITOR, OWNER} and not roles_of(request.user) & {PRODUCTION}:
        raise Http404("No such copyedit.")
    item = round_.files.filter(number=number).first()
    if item is None:
        raise Http404("No such copyedit.")
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=f"copyedit-{number}-{item.original_name}")


copyedit_file = login_required(_copyedit_file)


@login_required
def my_copyedit(request, pk):
    chapter = chapter_for(request.user, pk, allowed={OWNER})
    round_ = chapter.copyedits.first()
    if request.method == "POST":
        if round_ is None or round_.status != WITH_AUTHOR:
            messages.error(request, "No copyedit is waiting for you.")
        elif request.POST.get("action") == "approve":
            try:
                version = rounds.approve(round_, request.user, {OWNER})
            except (rounds.CopyeditRefused, TransitionNotAllowed) as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, f"Copyedit approved: version {version.number} is the text that will be "
                                          "typeset.")
        else:
            try:
                rounds.answer(round_, request.POST.get("reason", ""), request.user, {OWNER})
            except TransitionNotAllowed as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(request, "Your answers were sent to production.")
        return redirect("my_copyedit", pk=chapter.pk)
    return render(request, "lineedit/my_copyedit.html", {
        "chapter": chapter, "round": round_, "latest": round_.latest_file if round_ else None,
        "history": history(round_) if round_ else []})
