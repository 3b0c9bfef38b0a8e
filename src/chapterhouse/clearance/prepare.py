"""Preparing a clearance request: the chapters' final versions re-checked, the DD 1910 filled from the volume,
and the package built (on the worker, as a long job of ``outbox/jobs.py``: a worker that dies mid-build hands it
to another) from the versions the request carries."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from chapterhouse.call.models import Call
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import WITHDRAWN
from chapterhouse.clearance import dd1910
from chapterhouse.clearance.models import ClearanceRequest, RequestChapter, RequestText
from chapterhouse.clearance import printed
from chapterhouse.clearance.package import (FORM_PDF, LETTER_PDF, PackageFile, build_package, sha256,
                                            titled_name)
from chapterhouse.clearance.recheck import blocking, clearance_rules
from chapterhouse.manuscripts.checker import check
from chapterhouse.outbox import jobs
from chapterhouse.production.galleys.build import build_galleys
from chapterhouse.production.galleys.errors import GalleyError
from chapterhouse.production.volume import galley_cache, run_folder, volume_texts, write_volume_manifest
from chapterhouse.workflow.transitions import record_creation, record_event


def volume_chapters(call: Call):
    return (Chapter.objects.filter(call=call).exclude(status=WITHDRAWN)
            .select_related("theme").prefetch_related("authors").order_by("theme__position", "order", "pk"))


def recheck_version(call: Call, version) -> list[str]:
    """The re-check of one stored version against the call's rules made strict for security review."""
    with version.file.open("rb") as handle:
        data = handle.read()
    report = check(data, clearance_rules(call.definition.manuscript), filename=version.original_name)
    return blocking(report.as_dict(), waived_findings(version))


def waived_findings(version) -> set[tuple[str, str]]:
    """(rule, message) of the findings editors waived on the version (the chapters stage's waivers)."""
    waivers = getattr(version, "waivers", None)
    if waivers is None:
        return set()
    findings = version.report.get("findings", [])
    return {(findings[w.finding]["rule"], findings[w.finding]["message"]) for w in waivers.all()
            if 0 <= w.finding < len(findings)}


def request_chapters(request: ClearanceRequest):
    """The chapters the request carries: the whole volume, or for a follow-up those no other request carries."""
    chapters = volume_chapters(request.call)
    if request.follows_id:
        from chapterhouse.clearance.coverage import carried

        chapters = chapters.exclude(pk__in=carried(request.call, excluding=request)[0])
    return chapters


def recheck_texts(request: ClearanceRequest) -> None:
    """The volume's texts besides the chapters (the production page's front matter, the parts' introductions),
    as they stand, carried word for word; a follow-up carries only those new or changed since other requests."""
    texts = volume_texts(request.call)
    if request.follows_id:
        from chapterhouse.clearance.coverage import carried

        already = carried(request.call, excluding=request)[1]
        texts = [t for t in texts if (t.key, t.sha256) not in already]
    for text in texts:
        RequestText.objects.update_or_create(request=request, key=text.key, defaults={
            "kind": text.kind, "title": text.title, "authors": ", ".join(text.authors), "body": text.body,
            "sha256": text.sha256})
    RequestText.objects.filter(request=request).exclude(key__in=[t.key for t in texts]).delete()


def recheck_items(request: ClearanceRequest) -> None:
    """Every chapter's final version, re-checked (a chapter without one is listed with that problem), and the
    volume's other texts taken as they stand."""
    recheck_texts(request)
    chapters = request_chapters(request)
    for chapter in chapters:
        version = chapter.final_version
        if version is None:
            version = chapter.latest_version
            problems = ["No version of this chapter is marked final."]
            if version is None:
                RequestChapter.objects.filter(request=request, chapter=chapter).delete()
                continue
        else:
            problems = recheck_version(request.call, version)
        RequestChapter.objects.update_or_create(request=request, chapter=chapter,
                                                defaults={"version": version, "problems": problems})
    RequestChapter.objects.filter(request=request).exclude(chapter__in=chapters).delete()


def volume_facts(request: ClearanceRequest) -> dd1910.VolumeFacts:
    definition = request.call.definition
    authors: dict[str, tuple[str, str]] = {}
    for chapter in volume_chapters(request.call):
        for author in chapter.authors.all():
            authors.setdefault(author.name.casefold(), (author.name, author.affiliation))
    milestone = definition.milestone
    needed = milestone("line_editing_galleys") or milestone("galley_proofs") or milestone("launch")
    return dd1910.VolumeFacts(
        title=definition.title, subtitle=definition.subtitle, publisher=definition.publisher,
        subjects=tuple(t.name for t in definition.themes), authors=tuple(authors.values()),
        contact=(definition.editors[0].name, definition.editors[0].organisation), pages=request.pages,
        publication_date=milestone("launch").date if milestone("launch") else None,
        date_needed=needed.date if needed else None)


def start_request(call: Call, by, follows: ClearanceRequest | None = None) -> ClearanceRequest:
    """A new request in "prepared", its form filled from the volume and every chapter re-checked; a follow-up
    (``follows``) carries only what no other request carries (a chapter or foreword added since)."""
    with transaction.atomic():
        request = ClearanceRequest.objects.create(call=call, created_by=by, follows=follows)
        request.form_values = dd1910.initial_values(call.definition.clearance.form, volume_facts(request))
        request.save(update_fields=["form_values"])
        record_creation(request, by, f"Prepare a follow-up to request {follows.pk}" if follows
                        else "Prepare a clearance request")
        recheck_items(request)
    return request


def form_fields(request: ClearanceRequest) -> list[dd1910.FormField]:
    return list(request.call.definition.clearance.form)


def ready_to_submit(request: ClearanceRequest) -> list[str]:
    """What still stands between the request and the office; [] when it can be submitted."""
    reasons = [f"{item.chapter.title}: {problem}" for item in request.items.select_related("chapter")
               for problem in item.problems]
    if not request.items.exists() and not (request.follows_id and request.texts.exists()):
        reasons.append("The request carries no chapters yet.")
    reasons += [f"The DD 1910 field “{f.label}” is empty." for f in dd1910.missing(form_fields(request),
                                                                                 request.form_values)]
    if not request.package:
        reasons.append("The package has not been built.")
    elif request.package_built_at and (request.items.filter(checked_at__gt=request.package_built_at).exists()
                                       or request.texts.filter(checked_at__gt=request.package_built_at).exists()):
        reasons.append("The chapters or front matter changed after the package was built: build it again.")
    return reasons


# -- the package ----------------------------------------------------------------------------------------------

def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def combined_pdf(request: ClearanceRequest, items, texts, folder) -> tuple[bytes, dict]:
    """The whole manuscript typeset by the galley engine from production's manifest of the volume — chapters,
    front matter and part introductions, written into the run's own ``folder`` — checked to set exactly the
    versions and texts the request sends (all of them; a follow-up's among the rest). Returns the PDF and the
    build's summary. Raises ``GalleyError`` naming what is wrong."""
    manifest, inputs = write_volume_manifest(request.call, folder)
    sent = {(item.chapter_id, item.version.sha256) for item in items}
    typeset = {(entry["chapter"], entry["sha256"]) for entry in inputs.chapters}
    whole = not request.follows_id
    if (sent != typeset) if whole else not sent <= typeset:
        raise GalleyError(["A chapter's final version changed after the re-check, or a chapter is not accepted as "
                           "final: re-check the chapters and build again."])
    sent_texts = {(t.key, t.sha256) for t in texts}
    typeset_texts = {(e["key"], e["sha256"]) for e in [*inputs.front_matter, *inputs.parts]}
    if (sent_texts != typeset_texts) if whole else not sent_texts <= typeset_texts:
        raise GalleyError(["The front matter or a part's introduction changed after the re-check: re-check and "
                           "build again."])
    result = build_galleys(manifest, folder / "out", formats=("pdf",), progress=False,
                           cache_dir=galley_cache(request.call))
    return result.outputs["pdf"].read_bytes(), result.summary


def make_package(request: ClearanceRequest, folder) -> bytes:
    """The ZIP for ``request`` as it stands: chapters' versions, the combined PDF, front matter, the DD 1910."""
    definition = request.call.definition
    items = list(request.items.select_related("chapter__theme", "version"))
    texts = list(request.texts.all())
    pdf, summary = combined_pdf(request, items, texts, folder)
    request.pages = (summary.get("pages") or {}).get("total") or 0
    fields = form_fields(request)
    request.form_values = dd1910.refill(fields, request.form_values, volume_facts(request))
    files = [PackageFile(titled_name(i.chapter.title, ".docx"), _read(i.version.file),
                         f"{i.chapter.theme.name}: {i.chapter.title}") for i in items]
    front = [PackageFile(titled_name(t.title, ".md"), text_file(t).encode("utf-8"), t.title) for t in texts]
    printed = {e.get("title"): e for e in summary.get("front_matter", [])}
    about = {"volume": f"{definition.title}: {definition.subtitle}" if definition.subtitle else definition.title,
             "publisher": definition.publisher, "office": definition.clearance.office, "request": request.pk,
             **({"follows_request": request.follows_id} if request.follows_id else {}),
             "chapters": [{"title": i.chapter.title, "version": i.version.number, "sha256": i.version.sha256}
                          for i in items],
             "texts": [{"title": t.title, "kind": t.kind, "sha256": t.sha256,
                        **({"combined_pdf_pages": printed[t.title]["pdf_pages"]}
                           if "pdf_pages" in printed.get(t.title, {}) else {})} for t in texts]}
    papers = signed_papers(request, fields, items, texts)
    return build_package(files, pdf, front, dd1910.form_record(fields, request.form_values), about, papers)


def signed_papers(request: ClearanceRequest, fields, items, texts) -> list[PackageFile]:
    """The DD 1910 laid out to print and the cover letter, from the request's form values; both dated the day the
    package is built."""
    definition = request.call.definition
    pages = request.form_values.get("pages", "")
    enclosures = ["DD Form 1910, to be signed (dd1910.pdf)",
                  f"The manuscript as typeset{f', {pages} pages' if pages else ''} (manuscript/combined.pdf)"]
    if items:
        enclosures.append(f"{len(items)} chapter{'s' if len(items) != 1 else ''} as Word files (manuscript/)")
    if texts:
        enclosures.append(f"The front matter and part introductions as written, {len(texts)} file"
                          f"{'s' if len(texts) != 1 else ''} (front-matter/)")
    enclosures.append("A list of every file with its SHA-256 checksum (SHA256SUMS, manifest.json)")
    papers = printed.Papers(
        volume=f"{definition.title}: {definition.subtitle}" if definition.subtitle else definition.title,
        publisher=definition.publisher, office=definition.clearance.office, request=request.pk,
        editors=tuple(printed.Signer(e.name, e.organisation) for e in definition.editors),
        on=timezone.localdate(), follows_request=request.follows_id, enclosures=tuple(enclosures),
        labels={f.key: f.label for f in fields})
    try:
        return [PackageFile(FORM_PDF, printed.form_pdf(request.form_values, papers), "DD Form 1910, to sign"),
                PackageFile(LETTER_PDF, printed.letter_pdf(request.form_values, papers), "Cover letter, to sign")]
    except GalleyError as error:
        raise GalleyError([f"The DD 1910 or the cover letter: {p}" for p in error.problems]) from None


def text_file(text) -> str:
    """A front-matter text or part introduction as the package carries it: title, byline, then the words."""
    byline = f"\n\n*{text.authors}*" if text.authors else ""
    return f"# {text.title}{byline}\n\n{text.body.strip()}\n"


class PackageJob(jobs.LongJob):
    """Builds and stores the package; a chapter the galley engine cannot use is named in ``package_error``. The
    same inputs on the same day (the papers are dated) give the same bytes, so a run repeated after a crash stores
    the same package."""

    model = ClearanceRequest
    noun = "package"

    def run(self, request: ClearanceRequest, attempt: jobs.Attempt) -> str:
        request = ClearanceRequest.objects.select_related("call").get(pk=request.pk)
        try:
            with run_folder(request.call, f"clearance-{request.pk}", attempt.number) as folder:
                data = make_package(request, folder)
        except GalleyError as error:
            raise jobs.JobFailed(error.problems) from error
        with attempt.committing():
            request.package_sha256 = sha256(data)
            request.package.save(f"request-{request.pk}.zip", ContentFile(data), save=False)
            request.package_built_at = timezone.now()
            request.package_error, request.package_pending = "", False
            request.save(update_fields=["package", "package_sha256", "package_built_at", "package_error",
                                        "package_pending", "pages", "form_values"])
            record_event(request, None, "Package built", f"SHA-256 {request.package_sha256}")
        return request.package_sha256

    def queued_again(self, request: ClearanceRequest, why: str, by, roles) -> None:
        ClearanceRequest.objects.filter(pk=request.pk).update(package_pending=True, package_error="")
        record_event(request, by, "Package build queued again", why)

    def failed(self, request: ClearanceRequest, problems: list[str]) -> None:
        ClearanceRequest.objects.filter(pk=request.pk).update(package_pending=False, package_error="; ".join(problems))
        record_event(request, None, "Package not built", "; ".join(problems))


PACKAGE = jobs.register(PackageJob)


def queue_package(request: ClearanceRequest, by=None) -> None:
    """Marks the package as being built and hands the work to the worker once the transaction commits."""
    ClearanceRequest.objects.filter(pk=request.pk).update(package_pending=True, package_error="")
    request.package_pending = True
    jobs.start(PACKAGE, request, by)


@task()
def build_package_task(request_pk: int) -> str:
    """Builds the package here and now, the way the worker runs it (the demo, tests)."""
    request = ClearanceRequest.objects.get(pk=request_pk)
    ClearanceRequest.objects.filter(pk=request_pk).update(package_pending=True, package_error="")
    return jobs.run(jobs.start(PACKAGE, request, hand_over=False).pk)


def submit_dates(request: ClearanceRequest, submitted_on: dt.date) -> None:
    """The submission date and, from the call's lead time in duty days, the date the answer is expected."""
    from chapterhouse.clearance.dutydays import add_duty_days

    request.submitted_on = submitted_on
    request.expected_on = add_duty_days(submitted_on, request.call.definition.clearance.lead_time_duty_days)
    request.save(update_fields=["submitted_on", "expected_on"])
