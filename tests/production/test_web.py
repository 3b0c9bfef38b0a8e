"""Galleys from the web: the manifest built from the database, chapter order, cover and front matter, and a
build run on the worker with its files, summary and page images kept."""

from __future__ import annotations

import subprocess

import pikepdf
import pytest
from django.urls import reverse

from chapterhouse.chapters.models import Chapter
from chapterhouse.production.models import Cover, GalleyBuild
from chapterhouse.production.volume import write_volume_manifest
from chapterhouse.workflow.models import AuditEntry
from tests.volume_fixtures import blank_pdf, cover_png

pytestmark = pytest.mark.django_db


def test_the_manifest_comes_from_the_database_with_empty_parts_skipped(call, final_volume, tmp_path):
    import tomllib

    manifest, inputs = write_volume_manifest(call, tmp_path)
    data = tomllib.loads(manifest.read_text())
    assert [p["title"] for p in data["parts"]] == ["Law and Policy", "Industry"]
    assert inputs.skipped_themes == ["Process", "Partnership"]
    industry = data["parts"][1]
    assert [c["title"] for c in industry["chapters"]] == ["Surge Capacity in the Defense Industrial Base",
                                                         "Offsets and Coproduction Agreements"]
    assert industry["chapters"][0]["authors"][0]["bio"] == "Author B studies industrial capacity."
    # A part opens with its title alone until someone writes its introduction in the publication record: the
    # call's theme text (its questions for proposers, citations without references) is never printed.
    assert industry["introduction"] == ""
    assert [c["version"] for c in inputs.chapters] == [1, 1, 1]
    assert (tmp_path / industry["chapters"][0]["file"]).read_bytes()[:2] == b"PK"


def test_editors_reorder_chapters_with_buttons_or_by_dragging(client, call, people, final_volume):
    surge, offsets = final_volume[1], final_volume[2]
    client.force_login(people["editor"])
    response = client.post(reverse("production_order", args=[call.slug]), {"move": offsets.pk, "direction": "up"})
    assert response.status_code == 302
    order = list(Chapter.objects.filter(theme=surge.theme).order_by("order").values_list("pk", flat=True))
    assert order == [offsets.pk, surge.pk]
    response = client.post(reverse("production_order", args=[call.slug]), {"order": f"{surge.pk},{offsets.pk}"},
                           HTTP_ACCEPT="application/json")
    assert response.json() == {"order": [surge.pk, offsets.pk]}
    assert AuditEntry.objects.filter(action="Chapter order changed").count() == 2
    # Chapters of two parts at once are refused, nothing moves.
    client.post(reverse("production_order", args=[call.slug]), {"order": f"{final_volume[0].pk},{surge.pk}"})
    assert list(Chapter.objects.filter(theme=surge.theme).order_by("order").values_list("pk", flat=True)) == [
        surge.pk, offsets.pk]


def test_a_cover_too_small_is_refused_with_the_pixels_needed_and_a_good_one_kept(client, call, people):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["production"])
    url = reverse("production_cover", args=[call.slug])
    small = SimpleUploadedFile("cover.png", cover_png(900, 1350), "image/png")
    response = client.post(url, {"image": small, "description": "Navy cover"})
    assert response.status_code == 400
    assert "needs at least 1,800 × 2,700 pixels" in response.content.decode()
    assert not Cover.objects.exists()
    good = SimpleUploadedFile("cover.png", cover_png(), "image/png")
    assert client.post(url, {"image": good, "description": "Navy cover with a brick band"}).status_code == 302
    cover = Cover.current(call)
    assert (cover.width, cover.height, cover.description) == (1800, 2700, "Navy cover with a brick band")
    assert client.get(reverse("production_cover_image", args=[call.slug])).status_code == 200


def test_a_full_cover_of_the_wrong_size_is_refused_naming_the_size_and_the_right_one_kept(client, call, people,
                                                                                         stored_build):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from chapterhouse.production.models import FullCover

    FullCover.objects.all().delete()
    client.force_login(people["production"])
    page = client.get(reverse("production_volume", args=[call.slug])).content.decode()
    spec = stored_build["build"].cover_spec  # 2 pages on 444 pages per inch: a 0.0045 in spine
    assert f"The full cover must be {spec.size}" in page and "12.255 × 9.25 in (311.3 × 234.9 mm)" in page
    assert reverse("galley_build_file", args=[call.slug, 1, "print"]) in page
    assert reverse("galley_build_file", args=[call.slug, 1, "cover-template"]) in page
    url = reverse("production_full_cover", args=[call.slug])
    wrong = SimpleUploadedFile("full.pdf", blank_pdf(spec, extra_in=0.5), "application/pdf")
    response = client.post(url, {"pdf": wrong})
    assert response.status_code == 400
    text = response.content.decode()
    assert "The full cover was not uploaded" in text
    assert "The cover is 12.755 × 9.25 in (324.0 × 234.9 mm); it must be 12.255 × 9.25 in (311.3 × 234.9 mm)" in text
    assert not FullCover.objects.exists()
    right = SimpleUploadedFile("full.pdf", blank_pdf(spec), "application/pdf")
    assert client.post(url, {"pdf": right}).status_code == 302
    kept = FullCover.current(call)
    assert (kept.pages, kept.build, kept.uploaded_by) == (2, stored_build["build"], people["production"])
    response = client.get(reverse("production_full_cover_file", args=[call.slug]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEntry.objects.filter(object_id=kept.pk, action__startswith="Full cover uploaded").exists()


def test_editors_write_front_matter_in_the_browser(client, call, people):
    client.force_login(people["editor"])
    response = client.post(reverse("production_front_matter_new", args=[call.slug]),
                           {"title": "Foreword", "authors": "Nathan Toronto", "body": "This volume began.", "order": 1})
    assert response.status_code == 302
    assert call.front_matter.get().author_names == ["Nathan Toronto"]
    response = client.post(reverse("production_front_matter_new", args=[call.slug]), {"title": "", "body": ""})
    assert response.status_code == 400 and "This field is required" in response.content.decode()


def build_from_the_web(client, call, people, django_capture_on_commit_callbacks) -> GalleyBuild:
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(people["production"])
    client.post(reverse("production_cover", args=[call.slug]),
                {"image": SimpleUploadedFile("c.png", cover_png(), "image/png"), "description": "Navy cover"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("galley_build_start", args=[call.slug]))
    build = GalleyBuild.objects.get()
    assert response.status_code == 302 and response.url == build.get_absolute_url()
    return build


def test_a_build_runs_on_the_worker_and_keeps_its_files_summary_and_page_images(
        client, call, people, final_volume, django_capture_on_commit_callbacks):
    build = build_from_the_web(client, call, people, django_capture_on_commit_callbacks)
    assert build.status == "built", build.problems
    assert build.requested_by == people["production"] and build.started_at and build.finished_at
    assert [c["chapter"] for c in build.inputs["chapters"]] == [c.pk for c in final_volume]
    assert build.inputs["cover"]["sha256"] == Cover.current(call).sha256
    assert build.progress["stage"] in {"bind", "epub", "docx"}
    chapters = build.summary["chapters"]
    assert [c["chapter_id"] for c in chapters] == [c.pk for c in final_volume]
    assert all("file" not in c for c in chapters)
    # Page images: one per PDF page, labelled with the folio; a chapter's pages are found by its range.
    assert build.page_images.count() == build.pages == len(pikepdf.open(build.pdf.path).pages)
    assert build.page_images.first().label == "Cover"
    first, last = chapters[0]["pdf_pages"]
    images = list(build.page_images_for(final_volume[0].pk))
    assert [i.number for i in images] == list(range(first, last + 1))
    assert images[0].label == chapters[0]["first_page"] == "1" or images[0].label == chapters[0]["first_page"]
    text = subprocess.run(["pdftotext", build.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    assert "Part I: Law and Policy" in text.replace("\n", " ") or "Law and Policy" in text
    assert "Process" not in text.split("Contents", 1)[1].split("Contributors", 1)[0]  # the empty part is skipped
    # The page and its files.
    page = client.get(build.get_absolute_url()).content.decode()
    assert "Built" in page and "Surge Capacity in the Defense Industrial Base" in page
    for kind, start in (("pdf", b"%PDF"), ("archive", b"%PDF"), ("epub", b"PK"), ("docx", b"PK"), ("print", b"%PDF"),
                        ("cover-template", b"%PDF")):
        response = client.get(reverse("galley_build_file", args=[call.slug, build.number, kind]))
        assert response.status_code == 200 and b"".join(response.streaming_content)[:4].startswith(start)
    image = client.get(reverse("galley_page_image", args=[call.slug, build.number, 1]))
    assert b"".join(image.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    progress = client.get(reverse("galley_build_progress", args=[call.slug, build.number])).json()
    assert progress["status"] == "built" and progress["done"] is True
    assert [e.to_state for e in AuditEntry.objects.filter(object_id=build.pk, action__in=["Start", "Finish"])] == [
        "running", "built"]


def test_a_build_with_nothing_final_is_refused_before_it_starts(client, call, people):
    client.force_login(people["editor"])
    response = client.post(reverse("galley_build_start", args=[call.slug]), follow=True)
    assert "No chapter is accepted as final" in response.content.decode()
    assert not GalleyBuild.objects.exists()


def test_a_failing_build_is_kept_with_its_problems(client, call, people, final_volume,
                                                   django_capture_on_commit_callbacks):
    version = final_volume[0].final_version
    with open(version.file.path, "wb") as broken:
        broken.write(b"not a word file")
    client.force_login(people["editor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("galley_build_start", args=[call.slug]))
    build = GalleyBuild.objects.get()
    assert build.status == "failed"
    assert any("texts/chapter-" in p for p in build.problems), build.problems
    assert "The build failed" in client.get(build.get_absolute_url()).content.decode()


def test_an_unexpected_error_fails_the_build_instead_of_leaving_it_building(call, people, final_volume, monkeypatch):
    from chapterhouse.production import tasks

    def broken(*args):
        raise RuntimeError("pdftoppm crashed")

    monkeypatch.setattr(tasks, "_store_page_images", broken)
    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["editor"])
    with pytest.raises(RuntimeError):
        tasks.run_galley_build.call(build.pk)
    build.refresh_from_db()
    assert build.status == "failed"
    assert build.problems == ["The build stopped unexpectedly (RuntimeError: pdftoppm crashed). Please report this."]
