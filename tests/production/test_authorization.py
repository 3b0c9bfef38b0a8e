"""Who gets what on the production pages: editors and production staff run builds, upload covers, read
builds and keep the publication record; only editors order chapters and write front matter; everyone else is refused (403), anonymous visitors
go to the log-in page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.volume_fixtures import blank_pdf, cover_png

from tests.matrix import LOGIN, WHO, assert_outcome

pytestmark = pytest.mark.django_db

STAFF = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "production": 200, "editor": 200}
EDITORS = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 200}

MATRIX = {
    ("production_home", "get"): {**STAFF, "production": 302, "editor": 302},  # one call: straight to its page
    ("production_volume", "get"): STAFF,
    ("production_order", "post"): {**EDITORS, "editor": 302},
    ("production_cover", "post"): {**STAFF, "production": 302, "editor": 302},
    ("production_cover_image", "get"): STAFF,
    ("production_full_cover", "post"): {**STAFF, "production": 302, "editor": 302},
    ("production_full_cover_file", "get"): STAFF,
    ("production_front_matter_new", "get"): EDITORS,
    ("production_front_matter", "get"): EDITORS,
    ("galley_build_start", "post"): {**STAFF, "production": 302, "editor": 302},
    ("galley_build", "get"): STAFF,
    ("galley_build_try_again", "post"): {**STAFF, "production": 302, "editor": 302},  # a built one: refused, back
    ("galley_build_progress", "get"): STAFF,
    ("galley_build_summary", "get"): STAFF,
    ("galley_build_file", "get"): STAFF,
    ("galley_page_image", "get"): STAFF,
    ("publication_record", "get"): STAFF,
    ("publication_record", "post"): {**STAFF, "production": 302, "editor": 302},  # a valid record: saved, back
}


def url_for(name, call, stored):
    build = stored["build"]
    args = {
        "production_front_matter": [call.slug, stored["front_matter"].pk],
        "galley_build": [call.slug, build.number], "galley_build_progress": [call.slug, build.number],
        "galley_build_try_again": [call.slug, build.number],
        "galley_build_summary": [call.slug, build.number], "galley_build_file": [call.slug, build.number, "pdf"],
        "galley_page_image": [call.slug, build.number, 1],
    }.get(name, [] if name == "production_home" else [call.slug])
    return reverse(name, args=args)


def data_for(name, stored):
    if name == "production_order":
        return {"move": stored["chapter"].pk, "direction": "down"}
    if name == "publication_record":
        return {"isbn_print": "9780160918315", "rights_basis": "public_domain", "disclaimer": "Views are the authors'."}
    if name == "production_full_cover":
        return {"pdf": SimpleUploadedFile("full.pdf", blank_pdf(stored["build"].cover_spec), "application/pdf")}
    if name == "production_cover":
        return {"image": SimpleUploadedFile("cover.png", cover_png(), "image/png"), "description": "A cover"}
    return {}


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, call, people, stored_build, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    url = url_for(view, call, stored_build)
    response = getattr(client, method)(url, data_for(view, stored_build))
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")


def test_a_build_of_another_call_or_a_missing_page_is_a_404(client, call, people, stored_build):
    client.force_login(people["editor"])
    assert client.get(reverse("galley_build", args=["no-such-call", 1])).status_code == 404
    assert client.get(reverse("galley_page_image", args=[call.slug, 1, 99])).status_code == 404
    assert client.get(reverse("galley_build_file", args=[call.slug, 1, "exe"])).status_code == 404
    assert client.get(reverse("galley_build_file", args=[call.slug, 1, "docx"])).status_code == 404
    assert client.get(reverse("galley_build_file", args=[call.slug, 1, "print"])).status_code == 200
    assert client.get(reverse("galley_build_file", args=[call.slug, 1, "cover-template"])).status_code == 200
