"""Who gets what in author proofs: editors open rounds and decide corrections (production staff may look);
each author sees only their own chapter's pages, PDF and corrections (another author's chapter is a 404).

The build here is a stored row with a three-page PDF and page images (no typesetting), so the matrix runs fast;
tests/proofs/test_proofs.py reads a real build."""

import datetime as dt
import io

import pikepdf
import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from chapterhouse.production.models import GalleyBuild, GalleyPage
from chapterhouse.production.proofs.corrections import file_correction, open_round
from tests.production.volume_factory import write_png

from tests.matrix import LOGIN, WHO, assert_outcome, call_as

pytestmark = pytest.mark.django_db

STAFF = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "production": 200, "editor": 200}
EDITOR_POST = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302}
OWN_CHAPTER = {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200}

MATRIX = {
    ("proof_rounds", "get"): STAFF,
    ("proof_round_open", "post"): EDITOR_POST,
    ("proof_round", "get"): STAFF,
    ("proof_round_close", "post"): EDITOR_POST,
    ("correction_decide", "post"): EDITOR_POST,
    ("proof_pass", "post"): EDITOR_POST,
    ("my_proofs", "get"): OWN_CHAPTER,
    ("my_proofs", "post"): OWN_CHAPTER,  # an invalid correction: the form again
    ("my_proof_page", "get"): {**OWN_CHAPTER, "production": 200, "editor": 200},
    ("my_proof_pdf", "get"): {**OWN_CHAPTER, "production": 200, "editor": 200},
}


@pytest.fixture
def setting(call, people, volume, tmp_path):
    pdf = pikepdf.new()
    for _ in range(3):
        pdf.add_blank_page()
    data = io.BytesIO()
    pdf.save(data)
    build = GalleyBuild.objects.create(call=call, number=1, status="built", pages=3, summary={"chapters": [
        {"chapter_id": volume["a"].pk, "pdf_pages": [1, 2]}, {"chapter_id": volume["b"].pk, "pdf_pages": [3, 3]}]})
    build.pdf.save("volume.pdf", ContentFile(data.getvalue()))
    png = write_png(tmp_path / "page.png").read_bytes()
    for number in (1, 2, 3):
        page = GalleyPage(build=build, number=number, label=str(number))
        page.image.save(f"page-{number}.png", ContentFile(png), save=False)
        page.save()
    round_ = open_round(build, dt.date.today() + dt.timedelta(days=7), people["editor"])
    correction = file_correction(round_.proofs.get(chapter=volume["a"]), "1", 3, "forty", "fifty", "",
                                 people["author_a"])
    return {"call": call, "round": round_, "chapter": volume["a"], "correction": correction}


def url_for(name, s):
    args = {"proof_rounds": [s["call"].slug], "proof_round_open": [s["call"].slug], "proof_round": [s["round"].pk],
            "proof_round_close": [s["round"].pk], "correction_decide": [s["correction"].pk],
            "proof_pass": [s["round"].proofs.get(chapter__pk=s["chapter"].pk).pk],
            "my_proof_page": [s["chapter"].pk, 1]}.get(name, [s["chapter"].pk])
    return reverse(name, args=args)


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, setting, view, method, who):
    url = url_for(view, setting)
    data = {"proof_round_open": {"due_on": "2031-01-01"}, "correction_decide": {"to": "rejected", "reason": "No."},
            "proof_pass": {"reason": "The author is on leave; the editors read the pages."},
            "my_proofs": {"action": "file", "page": "", "line": ""}}.get(view, {})
    response = call_as(client, people, who, method, url, data)
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")


def test_an_author_cannot_see_a_page_of_another_chapter_through_their_own(client, people, setting):
    client.force_login(people["author_a"])
    assert client.get(reverse("my_proof_page", args=[setting["chapter"].pk, 3])).status_code == 404
    assert client.get(reverse("my_proof_page", args=[setting["chapter"].pk, 2])).status_code == 200
