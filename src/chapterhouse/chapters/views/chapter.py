"""The chapter page and what authors do on it: upload a version, send it to the editors, read reports and
diffs, download files. Editors see the same page with their own panels (feedback, waivers, extensions)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch, prefetch_related_objects
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.chapters.access import OWNER, chapter_for, chapter_roles, chapters_for, viewer_roles
from chapterhouse.chapters.deadlines import deadlines
from chapterhouse.chapters.forms import ExtensionForm, SendForm, UploadForm
from chapterhouse.chapters.models import Chapter, FeedbackRound, ManuscriptVersion, PermissionRecord
from chapterhouse.chapters.permission_letters import attach_author_letter
from chapterhouse.chapters.report_view import report_context
from chapterhouse.chapters.rounds import send_to_editors
from chapterhouse.chapters.states import REVISING, SUBMITTED, WRITING
from chapterhouse.chapters.upload import UploadRefused, store_version
from chapterhouse.chapters.views.common import READERS, serve_file
from chapterhouse.manuscripts.diff import DELETE, INSERT, diff_files
from chapterhouse.ooxml.package import PackageError
from chapterhouse.workflow.statemachine import TransitionNotAllowed
from chapterhouse.workflow.transitions import history
from chapterhouse.web.storagefull import STATUS as STORAGE_FULL, refused_for_full_storage

UPLOAD_STATES = {WRITING, REVISING, SUBMITTED}


@login_required
def my_chapters(request):
    chapters = chapters_for(request.user).select_related("theme", "call").prefetch_related(
        # What deadlines() and latest_version read, and the links to each chapter's security review changes,
        # copyedit and proofs (shown when they exist), once for all the chapters rather than per chapter.
        "authors", "versions", "extensions", "rounds", "amendments", "copyedits", "proofs")
    rows = [(chapter, next((d for d in deadlines(chapter) if d.owed_now), None)) for chapter in chapters]
    return render(request, "chapters/my_chapters.html", {"rows": rows, "today": timezone.localdate()})


def _page(request, chapter, *, status=200, upload_form=None, send_form=None, refused=None):
    roles = viewer_roles(request.user, chapter)
    is_owner, is_editor = OWNER in roles, EDITOR in roles
    versions = list(chapter.versions.select_related("uploaded_by").order_by("-number"))
    # The rounds once (the open one, the list, and what deadlines() reads), not three times.
    prefetch_related_objects([chapter], "authors", Prefetch("rounds", queryset=FeedbackRound.objects.select_related(
        "version", "response_version", "written_by")))
    rounds = sorted(chapter.rounds.all(), key=lambda r: r.number, reverse=True)
    open_round = next((r for r in rounds if r.decision == "revise" and r.responded_at is None), None)
    context = {
        "chapter": chapter, "roles": roles, "is_owner": is_owner, "is_editor": is_editor,
        "authors": chapter.authors.all(), "versions": versions, "latest": versions[0] if versions else None,
        "rounds": rounds,
        "open_round": open_round, "deadlines": deadlines(chapter), "today": timezone.localdate(),
        "late_arrivals": chapter.late_arrivals.select_related("version"),
        "history": history(chapter),
        "can_invite": is_owner or is_editor,  # co-authors without an account: an invitation to their stored address
        "can_upload": (is_owner or is_editor) and chapter.status in UPLOAD_STATES,
        # In a revision round only a new version can be sent: the one commented on is already with the editors.
        "can_send": (is_owner or is_editor) and chapter.status in {WRITING, REVISING} and bool(versions)
        and (open_round is None or versions[0].pk != open_round.version_id),
        "upload_form": upload_form or UploadForm(), "send_form": send_form or SendForm(), "refused": refused,
        "permissions": chapter.permissions.all(), "funding": chapter.funding.all(),
        "access": chapter.access_requests.all(),
        "moves": [m for m in chapter.workflow.available(chapter.status, {EDITOR}) if m.needs_reason] if is_editor else [],
        "extension_form": ExtensionForm(), "extensions": chapter.extensions.select_related("granted_by"),
    }
    return render(request, "chapters/chapter.html", context, status=status)


@login_required
def chapter(request, pk):
    return _page(request, chapter_for(request.user, pk, allowed=READERS,
                                      queryset=Chapter.objects.select_related("call", "theme", "proposal")))


@login_required
@require_POST
def upload(request, pk):
    chapter = chapter_for(request.user, pk, allowed={OWNER, EDITOR})
    form = UploadForm(request.POST, request.FILES)
    if chapter.status not in UPLOAD_STATES:
        form.add_error(None, f"The chapter is “{chapter.status_label}”; no new version can be uploaded now.")
    if not form.is_valid():
        return _page(request, chapter, status=400, upload_form=form)
    name, data = form.cleaned_data["file"]
    try:
        version = store_version(chapter, data, name, request.user, note=form.cleaned_data["note"])
    except UploadRefused as refused:
        # The note the author typed stays in the form; the file itself is gone, as it must be.
        return _page(request, chapter, status=422, upload_form=form, refused=refused)
    except Exception as error:
        if not refused_for_full_storage(request, error, form):
            raise
        return _page(request, chapter, status=STORAGE_FULL, upload_form=form)
    return redirect(version.get_absolute_url())


@login_required
@require_POST
def permission_letter(request, pk, record):
    """The chapter's author uploads a permission letter; an editor confirms it on the records page."""
    chapter = chapter_for(request.user, pk, allowed={OWNER})
    row = get_object_or_404(PermissionRecord, pk=record, chapter=chapter)
    upload = request.FILES.get("letter")
    if upload is None:
        messages.error(request, f"Nothing was uploaded for “{row.material}”: choose the letter's PDF or Word file.")
        return redirect(reverse("chapter", args=[chapter.pk]) + "#permissions")
    try:
        warnings = attach_author_letter(row, upload, request.user)
    except UploadRefused as refused:
        problems = "; ".join(problem.message for problem in refused.problems[:5])
        messages.error(request, f"The letter for “{row.material}” was not stored: {refused.summary}"
                                + (f" ({problems})" if problems and problems not in refused.summary else ""))
    else:
        messages.success(request, f"The letter for “{row.material}” is stored; the editors will confirm the permission.")
        for warning in warnings:
            messages.warning(request, warning)
    return redirect(reverse("chapter", args=[chapter.pk]) + "#permissions")


@login_required
@require_POST
def send(request, pk):
    chapter = chapter_for(request.user, pk, allowed={OWNER, EDITOR})
    form = SendForm(request.POST)
    form.is_valid()
    try:
        send_to_editors(chapter, request.user, chapter_roles(request.user, chapter) & {OWNER, EDITOR},
                        form.cleaned_data.get("letter", ""))
    except TransitionNotAllowed as refusal:
        form.add_error("letter" if "letter" in str(refusal) else None, str(refusal))
        return _page(request, chapter, status=400, send_form=form)
    messages.success(request, f"Version {chapter.latest_version.number} is with the editors.")
    return redirect(chapter)


def _version(request, pk, number) -> tuple:
    chapter = chapter_for(request.user, pk, allowed=READERS)
    return chapter, get_object_or_404(ManuscriptVersion.objects.select_related("uploaded_by"), chapter=chapter,
                                      number=number)


@login_required
def version(request, pk, number):
    chapter, version = _version(request, pk, number)
    is_editor = EDITOR in chapter_roles(request.user, chapter)
    return render(request, "chapters/version.html", {
        "chapter": chapter, "version": version, "is_editor": is_editor,
        "others": chapter.versions.exclude(pk=version.pk).order_by("-number"),
        **report_context(version.report, chapter.call, version.findings()),
    })


@login_required
def version_file(request, pk, number):
    chapter, version = _version(request, pk, number)
    return serve_file(version.file, f"chapter-{chapter.pk}-v{version.number}.docx")


@login_required
def diff(request, pk):
    chapter = chapter_for(request.user, pk, allowed=READERS)
    versions = list(chapter.versions.order_by("number"))
    if len(versions) < 2:
        return render(request, "chapters/diff.html", {"chapter": chapter, "versions": versions, "result": None})
    by_number = {v.number: v for v in versions}
    old = by_number.get(_int(request.GET.get("old")), versions[-2])
    new = by_number.get(_int(request.GET.get("new")), versions[-1])
    try:
        with old.file.open("rb") as a, new.file.open("rb") as b:
            result = diff_files(a.read(), b.read(), old_name=f"Version {old.number}", new_name=f"Version {new.number}")
    except (PackageError, FileNotFoundError) as error:
        return render(request, "chapters/diff.html", {"chapter": chapter, "versions": versions, "result": None,
                                                      "problem": str(error)}, status=422)
    return render(request, "chapters/diff.html", {
        "chapter": chapter, "versions": versions, "old": old, "new": new, "result": result,
        "stories": [story for story in result.stories() if story.changed],
        "inserted": result.words(INSERT), "deleted": result.words(DELETE)})


@login_required
def annotated(request, pk, number):
    chapter = chapter_for(request.user, pk, allowed=READERS)
    feedback = get_object_or_404(chapter.rounds, number=number)
    return serve_file(feedback.annotated, f"chapter-{chapter.pk}-feedback-{feedback.number}.docx")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
