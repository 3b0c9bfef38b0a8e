"""The authors' side of the security review: the amendments required in their own chapters, and the upload of
the amended version. Another author's chapter is a 404, so its existence does not leak."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from chapterhouse.chapters.access import OWNER, chapter_for
from chapterhouse.chapters.models import Chapter
from chapterhouse.clearance import amending
from chapterhouse.clearance.forms import UploadForm
from chapterhouse.clearance.models import Amendment
from chapterhouse.clearance.states import RETURNED
from chapterhouse.workflow.transitions import history


@login_required
def my_clearance(request):
    chapters = list(Chapter.objects.filter(authors__user=request.user, amendments__isnull=False).distinct()
                    .prefetch_related("amendments"))
    for chapter in chapters:
        for amendment in chapter.amendments.all():
            amendment.returned_because = returned_because(amendment)
    return render(request, "clearance/my_clearance.html", {"chapters": chapters})


@login_required
def my_amendments(request, pk):
    chapter = chapter_for(request.user, pk, allowed={OWNER})
    amendments = list(Amendment.objects.filter(chapter=chapter).select_related("request"))
    open_requests = {a.request for a in amendments if a.status in amending.OPEN}
    form = UploadForm(label="Amended chapter (.docx)")
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, label="Amended chapter (.docx)")
        if not open_requests:
            messages.error(request, "No amendment of this chapter is waiting for a new version.")
            return redirect("my_amendments", pk=chapter.pk)
        if form.is_valid():
            try:
                amended = amending.upload_amended(next(iter(open_requests)), chapter, form.data_bytes,
                                                  form.cleaned_data["file"].name, request.user, {OWNER})
            except amending.AmendmentRefused as refusal:
                form.add_error("file", str(refusal))
            else:
                messages.success(request, f"Version {amended.version.number} uploaded and sent to the security "
                                          "reviewer." + (f" {amended.flagged} change(s) outside the amended passages "
                                                         "are flagged for them." if amended.flagged else ""))
                return redirect("my_amendments", pk=chapter.pk)
    for amendment in amendments:
        amendment.returned_because = returned_because(amendment)
    latest = amended_for_author(chapter)
    if latest is not None:
        amending.annotate([latest], amendments)
    return render(request, "clearance/my_amendments.html", {
        "chapter": chapter, "amendments": amendments, "form": form, "may_upload": bool(open_requests),
        "latest": latest})


def amended_for_author(chapter):
    from chapterhouse.clearance.models import AmendedVersion

    return AmendedVersion.objects.filter(chapter=chapter).select_related("version").first()


def returned_because(amendment) -> str:
    """Why the security reviewer returned ``amendment`` (their reason, as recorded), or "" when it is not returned:
    the author reads it on their page, not only in the e-mail."""
    if amendment.status != RETURNED:
        return ""
    returns = [entry for entry in history(amendment) if entry.to_state == RETURNED]
    return returns[-1].reason if returns else ""
