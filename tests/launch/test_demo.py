"""The demo's past volume: its own call file, dates in the past, carried to its launch and linked from home."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from chapterhouse.launch.models import Publication
from chapterhouse.site.demo.launch import (AMENDED_SENTENCE, CLEARED_SENTENCE, PAST_CALL_FILE, TYPO, TYPO_FIXED,
                                           past_call_path)
from chapterhouse.site.demo.story import demo_call, run_story

pytestmark = pytest.mark.django_db


def test_the_past_call_file_is_valid_and_entirely_in_the_past():
    from chapterhouse.call.schema import load_call

    definition = load_call(past_call_path())
    assert all(m.date < dt.date(2024, 7, 1) for m in definition.milestones)
    assert definition.publication.doi_prefix == "10.5555"
    assert [s.code for s in definition.publication.subjects] == ["POL012000", "JPS"]  # ONIX carries them


def test_the_past_volume_is_launched_with_a_build_and_linked_from_home(client, call, make_user):
    make_user("editor", "editor")
    make_user("security", "security_reviewer")
    past = demo_call(PAST_CALL_FILE)
    run_story(past, base_url="http://testserver")  # to the milestone its clock has reached: its launch
    publication = Publication.objects.get(call=past)
    assert publication.status == "launched" and publication.downloads_open
    build = publication.build
    assert build.status == "built" and build.pdf and build.epub and build.page_images.count() == build.pages
    # Every stage on the way: cleared as amended (package built, amendment confirmed), a closed proof round whose
    # accepted correction is in the published (second) build, as is the amended wording.
    from chapterhouse.clearance.models import ClearanceRequest
    from chapterhouse.production.proofs.models import ProofRound

    clearance = ClearanceRequest.objects.get(call=publication.call)
    assert clearance.status == "cleared_as_amended" and clearance.package
    assert [a.status for a in clearance.amendments.all()] == ["confirmed"]
    proofs = ProofRound.objects.get(call=publication.call)
    assert proofs.status == "closed" and proofs.build.number == 1 and build.number == 2
    assert sorted(p.status for p in proofs.proofs.all()) == ["approved", "approved", "corrected"]
    text = subprocess.run(["pdftotext", build.pdf.path, "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert TYPO_FIXED in flat and TYPO not in flat
    assert AMENDED_SENTENCE in flat and CLEARED_SENTENCE not in flat
    assert [c["title"] for c in build.summary["chapters"]][2] == "Tour Length and Partner Trust"
    assert build.inputs["skipped_themes"] == ["Acquisition"]
    assert all(v.passed for c in publication.call.chapters.all() for v in c.versions.all())
    assert publication.published_on == dt.date(2024, 6, 12)
    # Running the demo again changes nothing.
    run_story(past, base_url="http://testserver")
    assert Publication.objects.get() == publication and publication.build.number == 2
    home = client.get(reverse("home")).content.decode()  # two calls now: the home page lists them and the book
    assert "Published books" in home and publication.get_absolute_url() in home
    page = client.get(publication.get_absolute_url()).content.decode()
    assert "Book launch and panel discussion" in page and "Download PDF" in page
    assert reverse("chapter_offprint", args=[publication.call.slug, 1]) in page  # each chapter's offprint
    assert client.get(reverse("volume_metadata", args=[publication.call.slug, "onix"])).status_code == 200
