"""Galley builds on the worker, as a long job (``outbox/jobs.py``): never inside a request, and never "Building"
for ever — a build whose worker died is taken back and run again, then failed with the reason.

The page polls the build's progress, which the engine reports stage by stage. Each run builds into a fresh
folder of its own (the engine's cache is shared) and keeps its outputs, summary and page images in one
transaction that also marks the job done, so a run cut short keeps nothing and the next one starts clean.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.utils import timezone
from django_tasks import task

from chapterhouse.outbox import jobs
from chapterhouse.production.galleys.build import ARCHIVE, COVER_TEMPLATE, PRINT, build_galleys
from chapterhouse.production.galleys.errors import GalleyError
from chapterhouse.production.models import GalleyBuild, GalleyPage
from chapterhouse.production.print_settings import PrintSettings
from chapterhouse.production.states import BUILT, FAILED, QUEUED, RUNNING
from chapterhouse.production.volume import galley_cache, run_folder, write_volume_manifest
from chapterhouse.workflow.transitions import transition

WORKER_ROLES = jobs.WORKER_ROLES
OUTPUT_FIELDS = (("pdf", "pdf"), ("archive_pdf", ARCHIVE), ("epub", "epub"), ("docx", "docx"), ("print_pdf", PRINT),
                 ("cover_template", COVER_TEMPLATE))


class GalleyBuildJob(jobs.LongJob):
    model = GalleyBuild
    noun = "build"

    def started(self, build: GalleyBuild, attempt: jobs.Attempt) -> None:
        transition(build, RUNNING, None, WORKER_ROLES, f"Run {attempt.number} on worker {attempt.worker_id}")
        GalleyBuild.objects.filter(pk=build.pk).update(started_at=timezone.now(), progress={})

    def run(self, build: GalleyBuild, attempt: jobs.Attempt) -> str:
        with run_folder(build.call, f"build-{build.number}", attempt.number) as folder:
            return _run(build, folder, attempt)

    def queued_again(self, build: GalleyBuild, why: str, by, roles) -> None:
        transition(build, QUEUED, by, roles, why)
        GalleyBuild.objects.filter(pk=build.pk).update(progress={}, problems=[], finished_at=None)

    def failed(self, build: GalleyBuild, problems: list[str]) -> None:
        GalleyBuild.objects.filter(pk=build.pk).update(problems=problems, finished_at=timezone.now())
        transition(build, FAILED, None, WORKER_ROLES, why=problems[0])


GALLEY_BUILD = jobs.register(GalleyBuildJob)


def queue_build(build: GalleyBuild, by=None) -> None:
    """Sends the build to the worker once the transaction that created it commits."""
    jobs.start(GALLEY_BUILD, build, by or build.requested_by)


@task()
def run_galley_build(build_id: int) -> str:
    """Runs the build here and now, the way the worker runs it (for tests and the command line)."""
    build = GalleyBuild.objects.get(pk=build_id)
    job = jobs.latest_about(build) or jobs.start(GALLEY_BUILD, build, build.requested_by, hand_over=False)
    jobs.run(job.pk)
    return GalleyBuild.objects.values_list("status", flat=True).get(pk=build_id)


def _run(build: GalleyBuild, folder: Path, attempt: jobs.Attempt) -> str:
    try:
        manifest, inputs = write_volume_manifest(build.call, folder)
        GalleyBuild.objects.filter(pk=build.pk).update(inputs=inputs.as_json())
        if not inputs.chapters:
            raise GalleyError(["No chapter is accepted as final with a final version yet."])

        def report(stage: str, done: int, total: int, label: str) -> None:
            GalleyBuild.objects.filter(pk=build.pk).update(
                progress={"stage": stage, "done": done, "total": total, "label": label[:80]})

        result = build_galleys(manifest, folder / "out", progress=False, report=report,
                               cache_dir=galley_cache(build.call),
                               print_settings=PrintSettings.from_publication(build.call.definition.publication))
        images = _page_images(result.outputs["pdf"], folder / "pages")
    except GalleyError as error:
        raise jobs.JobFailed([error.heading, *error.problems]) from error
    except OSError as error:
        raise jobs.JobFailed([f"The galleys could not be written: {error.strerror or error}"]) from error
    summary = dict(result.summary)
    for entry, chapter in zip(summary.get("chapters", []), inputs.chapters):
        entry["chapter_id"] = chapter["chapter"]
        entry.pop("file", None)  # paths on the worker's disk mean nothing to a reader
    summary.pop("manifest", None)
    labels = _page_labels(result.outputs["pdf"])
    with attempt.committing():
        build.refresh_from_db()
        for field, key in OUTPUT_FIELDS:
            path = result.outputs.get(key)
            if path and path.exists():
                with open(path, "rb") as handle:
                    getattr(build, field).save(path.name, File(handle), save=False)
        build.summary = summary
        print_problems = (summary.get("print") or {}).get("interior", {}).get("problems", [])
        build.problems = result.errors + [f"Print PDF: {problem}" for problem in print_problems]
        build.pages = (summary.get("pages") or {}).get("total", 0)
        build.finished_at = timezone.now()
        build.save(update_fields=[*(field for field, _ in OUTPUT_FIELDS), "summary", "problems", "pages",
                                  "finished_at"])
        _store_page_images(build, images, labels)
        transition(build, BUILT, None, WORKER_ROLES)
    return BUILT


def _page_labels(pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return list(PdfReader(str(pdf)).page_labels)


def _page_images(pdf: Path, folder: Path) -> list[Path]:
    """Every page as a PNG (poppler's pdftoppm), in the order of the PDF."""
    folder.mkdir()
    subprocess.run(["pdftoppm", "-png", "-r", str(settings.CHAPTERHOUSE_PAGE_IMAGE_DPI), str(pdf), f"{folder}/page"], check=True,
                   capture_output=True, timeout=600)
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def _store_page_images(build: GalleyBuild, images: list[Path], labels: list[str]) -> None:
    """The pages as rows named by their position in the PDF (replacing any a cut-short run stored)."""
    build.page_images.all().delete()
    for path in images:
        number = int(path.stem.rsplit("-", 1)[1])
        page = GalleyPage(build=build, number=number, label=labels[number - 1] if number <= len(labels) else "")
        with open(path, "rb") as handle:
            page.image.save(f"page-{number:04d}.png", File(handle), save=False)
        page.save()
