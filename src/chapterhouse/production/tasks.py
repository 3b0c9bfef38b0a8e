"""Galley builds on the worker (django-tasks): never inside a request. The page polls the build's progress,
which the engine reports stage by stage; the outputs, summary and page images are stored with the build."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from chapterhouse.production.galleys.build import ARCHIVE, build_galleys
from chapterhouse.production.galleys.errors import GalleyError
from chapterhouse.production.models import GalleyBuild, GalleyPage
from chapterhouse.production.states import BUILT, FAILED, RUNNING
from chapterhouse.production.volume import work_folder, write_volume_manifest
from chapterhouse.workflow.transitions import transition

WORKER_ROLES = {"worker"}
PAGE_IMAGE_DPI = 72  # a 6 × 9 in page becomes 432 × 648 pixels: readable on screen, small to store


def queue_build(build: GalleyBuild) -> None:
    """Sends the build to the worker once the transaction that created it commits."""
    transaction.on_commit(lambda: run_galley_build.enqueue(build.pk))


@task()
def run_galley_build(build_id: int) -> str:
    build = GalleyBuild.objects.select_related("call").get(pk=build_id)
    if build.status != "queued":
        return build.status  # a retried task must not build twice
    transition(build, RUNNING, None, WORKER_ROLES)
    GalleyBuild.objects.filter(pk=build.pk).update(started_at=timezone.now())
    try:
        return _run(build)
    except Exception as error:  # whatever went wrong, the build must not stay "Building" for ever
        _fail(build, [f"The build stopped unexpectedly ({type(error).__name__}: {error}). Please report this."])
        raise


def _run(build: GalleyBuild) -> str:
    folder = work_folder(build.call)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        manifest, inputs = write_volume_manifest(build.call, folder)
        GalleyBuild.objects.filter(pk=build.pk).update(inputs=inputs.as_json())
        if not inputs.chapters:
            raise GalleyError(["No chapter is accepted as final with a final version yet."])

        def report(stage: str, done: int, total: int, label: str) -> None:
            GalleyBuild.objects.filter(pk=build.pk).update(
                progress={"stage": stage, "done": done, "total": total, "label": label[:80]})

        result = build_galleys(manifest, folder / "out", progress=False, report=report)
    except GalleyError as error:
        return _fail(build, [error.heading, *error.problems])
    except OSError as error:
        return _fail(build, [f"The galleys could not be written: {error.strerror or error}"])
    summary = dict(result.summary)
    for entry, chapter in zip(summary.get("chapters", []), inputs.chapters):
        entry["chapter_id"] = chapter["chapter"]
        entry.pop("file", None)  # paths on the worker's disk mean nothing to a reader
    summary.pop("manifest", None)
    build.refresh_from_db()
    for field, key in (("pdf", "pdf"), ("archive_pdf", ARCHIVE), ("epub", "epub"), ("docx", "docx")):
        path = result.outputs.get(key)
        if path and path.exists():
            with open(path, "rb") as handle:
                getattr(build, field).save(path.name, File(handle), save=False)
    build.summary = summary
    build.problems = result.errors
    build.pages = (summary.get("pages") or {}).get("total", 0)
    build.finished_at = timezone.now()
    build.save(update_fields=["pdf", "archive_pdf", "epub", "docx", "summary", "problems", "pages", "finished_at"])
    _store_page_images(build, result.outputs["pdf"], _page_labels(result.outputs["pdf"]))
    transition(build, BUILT, None, WORKER_ROLES)
    return BUILT


def _fail(build: GalleyBuild, problems: list[str]) -> str:
    GalleyBuild.objects.filter(pk=build.pk).update(problems=problems, finished_at=timezone.now())
    transition(build, FAILED, None, WORKER_ROLES, why=problems[0] if problems else "")
    return FAILED


def _page_labels(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return list(PdfReader(str(pdf)).page_labels)


def _store_page_images(build: GalleyBuild, pdf: Path, labels: list[str]) -> None:
    """Every page as a PNG (poppler's pdftoppm), named by its position in the PDF."""
    with tempfile.TemporaryDirectory() as temporary:
        subprocess.run(["pdftoppm", "-png", "-r", str(PAGE_IMAGE_DPI), str(pdf), f"{temporary}/page"], check=True,
                       capture_output=True, timeout=600)
        images = sorted(Path(temporary).glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
        for path in images:
            number = int(path.stem.rsplit("-", 1)[1])
            page = GalleyPage(build=build, number=number, label=labels[number - 1] if number <= len(labels) else "")
            with open(path, "rb") as handle:
                page.image.save(f"page-{number:04d}.png", File(handle), save=False)
            page.save()
