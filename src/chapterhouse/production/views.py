"""The production pages: the volume as it will be typeset (parts, chapters in the editors' order, front matter,
cover), galley builds started from the web and followed while the worker runs them, and each build's files."""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from chapterhouse.accounts.roles import EDITOR, role_required, roles_of
from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter
from chapterhouse.production.access import EDITOR_ONLY, PRODUCTION_ROLES
from chapterhouse.production.cover_spec import FullCoverError, check_full_cover
from chapterhouse.production.cover_store import store_cover
from chapterhouse.production.covers import CoverError
from chapterhouse.production.forms import CoverForm, FrontMatterForm, FullCoverForm
from chapterhouse.production.models import Cover, FrontMatterText, FullCover, GalleyBuild
from chapterhouse.outbox import jobs
from chapterhouse.production.states import FAILED
from chapterhouse.production.tasks import queue_build
from chapterhouse.production.volume import typeset_version, volume_chapters
from chapterhouse.workflow.transitions import TransitionNotAllowed, history, record_creation, record_event

BUILD_FILES = {"pdf": ("pdf", "application/pdf"), "archive": ("archive_pdf", "application/pdf"),
               "epub": ("epub", "application/epub+zip"), "print": ("print_pdf", "application/pdf"),
               "cover-template": ("cover_template", "application/pdf"),
               "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document")}


def volume_parts(call: Call) -> list[dict]:
    """The book's parts as the next build will set them: each theme with its chapters, empty ones marked."""
    chapters = list(volume_chapters(call))
    parts = []
    for theme in call.themes.order_by("position"):
        own = [c for c in chapters if c.theme_id == theme.pk]
        parts.append({"theme": theme, "chapters": own, "skipped": not own})
    return parts


@role_required(*PRODUCTION_ROLES)
def production_home(request):
    """The production pages of each volume: straight to it when there is one."""
    calls = list(Call.objects.all())
    if len(calls) == 1:
        return redirect("production_volume", slug=calls[0].slug)
    return render(request, "production/home.html", {"calls": calls})


def render_volume(request, call: Call, cover_form: CoverForm, status: int = 200,
                  full_cover_form: FullCoverForm | None = None):
    parts = volume_parts(call)
    printed = GalleyBuild.latest_built(call)
    return render(request, "production/volume.html", {
        "call": call, "parts": parts, "can_order": EDITOR in roles_of(request.user),
        "missing_versions": [c for p in parts for c in p["chapters"] if typeset_version(c) is None],
        "front_matter": FrontMatterText.objects.filter(call=call), "cover": Cover.current(call),
        "cover_form": cover_form, "builds": GalleyBuild.objects.filter(call=call).select_related("requested_by")[:20],
        "trim": call.definition.publication, "printed": printed,
        "full_cover_spec": printed.cover_spec if printed else None, "full_cover": FullCover.current(call),
        "full_cover_form": full_cover_form or FullCoverForm(),
    }, status=status)


@role_required(*PRODUCTION_ROLES)
def volume(request, slug):
    return render_volume(request, get_object_or_404(Call, slug=slug), CoverForm())


@require_POST
@role_required(*EDITOR_ONLY)
def order(request, slug):
    """Moves chapters within their part: ``order`` (ids in the new order, from the drag-and-drop script) or
    ``move`` + ``direction`` (the buttons that work without JavaScript)."""
    call = get_object_or_404(Call, slug=slug)
    chapters = list(volume_chapters(call))
    by_id = {c.pk: c for c in chapters}
    if request.POST.get("order"):
        try:
            wanted = [by_id[int(i)] for i in request.POST["order"].split(",") if i.strip()]
        except (KeyError, ValueError):
            messages.error(request, "The new order names a chapter that is not in this volume; nothing was moved.")
            return redirect("production_volume", slug=slug)
        if len({c.theme_id for c in wanted}) != 1:
            messages.error(request, "Chapters can be reordered within one part at a time.")
            return redirect("production_volume", slug=slug)
        sequence = wanted + [c for c in chapters if c.theme_id == wanted[0].theme_id and c not in wanted]
    else:
        try:
            moving = by_id[int(request.POST.get("move", ""))]
        except (KeyError, ValueError):
            raise Http404("No such chapter in this volume.") from None
        sequence = [c for c in chapters if c.theme_id == moving.theme_id]
        index = sequence.index(moving)
        step = -1 if request.POST.get("direction") == "up" else 1
        if 0 <= index + step < len(sequence):
            sequence[index], sequence[index + step] = sequence[index + step], sequence[index]
    with transaction.atomic():
        for position, chapter in enumerate(sequence, 1):
            Chapter.objects.filter(pk=chapter.pk).update(order=position)
        record_event(call, request.user, "Chapter order changed", why="; ".join(c.title for c in sequence))
    if request.headers.get("Accept") == "application/json":
        return JsonResponse({"order": [c.pk for c in sequence]})
    messages.success(request, f"Chapter order in “{sequence[0].theme.name}” saved." if sequence else "Nothing to move.")
    return redirect(reverse("production_volume", kwargs={"slug": slug}) + "#part-" + str(sequence[0].theme_id if sequence else ""))


@role_required(*PRODUCTION_ROLES)
def cover_upload(request, slug):
    """POST: the upload. GET (e.g. reloading the page a refused upload showed) goes back to the volume page."""
    call = get_object_or_404(Call, slug=slug)
    if request.method != "POST":
        return redirect("production_volume", slug=slug)
    form = CoverForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["image"]
        try:
            store_cover(call, upload.read(), upload.name, form.cleaned_data["description"], request.user)
        except CoverError as refusal:
            form.add_error("image", str(refusal))
        else:
            messages.success(request, "Cover uploaded; the next build uses it.")
            return redirect("production_volume", slug=slug)
    return render_volume(request, call, form, status=400)  # the upload is refused; the message says why


@role_required(*PRODUCTION_ROLES)
def full_cover_upload(request, slug):
    """POST: the printer's full cover, kept only when its size is the one the latest build's page count sets."""
    call = get_object_or_404(Call, slug=slug)
    if request.method != "POST":
        return redirect("production_volume", slug=slug)
    form = FullCoverForm(request.POST, request.FILES)
    build = GalleyBuild.latest_built(call)
    spec = build.cover_spec if build else None
    if form.is_valid():
        upload = form.cleaned_data["pdf"]
        data = upload.read()
        try:
            if spec is None:
                raise FullCoverError("Build the galleys first: the spine's width comes from the page count of a "
                                     "build, and this volume has no build with print outputs yet.")
            checked = check_full_cover(data, spec)
        except FullCoverError as refusal:
            form.add_error("pdf", str(refusal))
        else:
            with transaction.atomic():
                cover = FullCover(call=call, build=build, sha256=hashlib.sha256(data).hexdigest(),
                                  width_in=checked.width_in, height_in=checked.height_in, pages=spec.pages,
                                  original_name=upload.name[:255], uploaded_by=request.user)
                cover.pdf.save("full-cover.pdf", ContentFile(data), save=False)
                cover.save()
                record_event(cover, request.user, f"Full cover uploaded ({spec.size}, for {spec.pages} pages)")
            messages.success(request, f"Full cover uploaded: {spec.size}, as build {build.number}'s page count asks.")
            return redirect("production_volume", slug=slug)
    return render_volume(request, call, CoverForm(), status=400, full_cover_form=form)


@role_required(*PRODUCTION_ROLES)
def full_cover_file(request, slug):
    cover = FullCover.current(get_object_or_404(Call, slug=slug))
    if cover is None:
        raise Http404("No full cover yet.")
    return FileResponse(cover.pdf.open("rb"), content_type="application/pdf", as_attachment=True,
                        filename=f"{slug}-full-cover.pdf")


@role_required(*PRODUCTION_ROLES)
def cover_image(request, slug):
    call = get_object_or_404(Call, slug=slug)
    cover = Cover.current(call)
    if cover is None:
        raise Http404("No cover yet.")
    return FileResponse(cover.image.open("rb"), content_type="image/png" if cover.suffix == ".png" else "image/jpeg")


@role_required(*EDITOR_ONLY)
def front_matter(request, slug, pk=None):
    call = get_object_or_404(Call, slug=slug)
    text = get_object_or_404(FrontMatterText, call=call, pk=pk) if pk else None
    form = FrontMatterForm(request.POST or None, instance=text)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save(commit=False)
            saved.call = call
            saved.save()
            record_event(saved, request.user, "Front matter saved")
        messages.success(request, f"“{saved.title}” saved; the next build sets it.")
        return redirect("production_volume", slug=slug)
    return render(request, "production/front_matter.html", {"call": call, "form": form, "text": text},
                  status=400 if request.method == "POST" else 200)


@require_POST
@role_required(*PRODUCTION_ROLES)
def build_start(request, slug):
    call = get_object_or_404(Call, slug=slug)
    if not any(typeset_version(c) for c in volume_chapters(call)):
        messages.error(request, "No chapter is accepted as final with a final version yet, so there is nothing to typeset.")
        return redirect("production_volume", slug=slug)
    for _ in range(3):
        try:
            with transaction.atomic():
                number = (GalleyBuild.objects.filter(call=call).aggregate(n=Max("number"))["n"] or 0) + 1
                build = GalleyBuild.objects.create(call=call, number=number, requested_by=request.user)
                record_creation(build, request.user, f"Galley build {number} requested")
                queue_build(build)
            break
        except IntegrityError:  # two people pressed the button at once: take the next number
            continue
    else:
        messages.error(request, "Another build was being started at the same moment; please try again.")
        return redirect("production_volume", slug=slug)
    messages.success(request, f"Build {build.number} is queued; this page shows its progress.")
    return redirect(build)


def _build(call_slug: str, number: int) -> GalleyBuild:
    return get_object_or_404(GalleyBuild.objects.select_related("call", "requested_by"), call__slug=call_slug,
                             number=number)


@role_required(*PRODUCTION_ROLES)
def build_page(request, slug, number):
    build = _build(slug, number)
    job = jobs.latest_about(build)
    return render(request, "production/build.html", {
        "call": build.call, "build": build, "pages": build.page_images.all(), "history": history(build),
        "chapters": build.summary.get("chapters", []), "files": [k for k, (f, _) in BUILD_FILES.items() if getattr(build, f)],
        "may_try_again": build.status == FAILED and job is not None and job.state == job.State.FAILED,
    })


@require_POST
@role_required(*PRODUCTION_ROLES)
def build_try_again(request, slug, number):
    """Runs a failed build again (same number, same record; its failures stay in its history)."""
    build = _build(slug, number)
    job = jobs.latest_about(build)
    try:
        if job is None:
            raise jobs.NotFailed("This build has no run on record to try again; start a new build.")
        jobs.try_again(job, request.user, roles_of(request.user))
    except (jobs.NotFailed, TransitionNotAllowed) as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, f"Build {build.number} is queued again; this page shows its progress.")
    return redirect(build)


@role_required(*PRODUCTION_ROLES)
def build_progress(request, slug, number):
    build = _build(slug, number)
    return JsonResponse({"status": build.status, "label": build.status_label, "done": build.is_done,
                         "progress": build.progress, "problems": build.problems})


@role_required(*PRODUCTION_ROLES)
def build_file(request, slug, number, kind):
    build = _build(slug, number)
    if kind not in BUILD_FILES:
        raise Http404("No such file.")
    field, content_type = BUILD_FILES[kind]
    stored = getattr(build, field)
    if not stored:
        raise Http404("This build has no such file.")
    name = stored.name.rsplit("/", 1)[-1]
    return FileResponse(stored.open("rb"), content_type=content_type, as_attachment=kind != "pdf", filename=name)


@role_required(*PRODUCTION_ROLES)
def build_summary(request, slug, number):
    build = _build(slug, number)
    return JsonResponse(build.summary, json_dumps_params={"indent": 2, "ensure_ascii": False})


@role_required(*PRODUCTION_ROLES)
def page_image(request, slug, number, page):
    build = _build(slug, number)
    image = get_object_or_404(build.page_images, number=page)
    return FileResponse(image.image.open("rb"), content_type="image/png")
