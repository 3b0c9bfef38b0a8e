"""Issue 17's defects at launch, each replayed: a move happens only when what it needs is true, the page shows
what it needs before the button, and a launched book changes only on the record.

(a) a chapter accepted after the request was cleared is not launched until a follow-up request clears it;
(b) launch waits for the proofs (every author's answer, or an editor's recorded pass) and so does closing them;
(d) a launched book's build changes only as a correction or an edition that readers see, and a chapter taken
    out keeps a DOI page saying what happened.
(c), front matter under clearance, is in tests/clearance/test_front_matter.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.launch.models import ChapterDOI, Publication
from chapterhouse.production.models import GalleyBuild
from chapterhouse.production.proofs.corrections import open_round, send_or_approve
from chapterhouse.workflow.transitions import history

from tests.clearance.conftest import answered, cleared
from tests.launch.conftest import proofs_answered, real_build
from tests.volume_fixtures import accept_as_final, add_final_version, docx_bytes

pytestmark = pytest.mark.django_db

LATE_TITLE = "Security Assistance After the Armistice"


def choose_build(client, call, build):
    return client.post(reverse("launch_manage", args=[call.slug]), {"build": build.pk, "description": "Essays.",
                                                                    "published_on": "2025-05-15"})


def launch(client, call):
    return client.post(reverse("launch_move", args=[call.slug]), {"to": "launched", "from": "preparing"}, follow=True)


def status(call):
    return Publication.objects.get(call=call).status


def test_a_chapter_accepted_after_clearance_is_not_launched_until_a_follow_up_clears_it(
        client, call, people, final_volume, make_proposal, tmp_path):
    from chapterhouse.chapters.start import start_chapter

    first = cleared(call, people, "cleared_as_amended", "One change in chapter 2.")
    late = start_chapter(make_proposal(people["author_b"], title=LATE_TITLE, theme="industry"), people["editor"])
    add_final_version(late, docx_bytes(tmp_path, 4, LATE_TITLE), people["author_b"])
    accept_as_final(late, people["editor"])
    build = real_build(call, people)
    assert late.pk in {e["chapter"] for e in build.inputs["chapters"]}
    proofs_answered(build, people)
    client.force_login(people["editor"])
    choose_build(client, call, build)

    manage = client.get(reverse("launch_manage", args=[call.slug])).content.decode()
    assert "Not yet:" in manage and f"“{LATE_TITLE}” is in no clearance request" in manage
    refused = launch(client, call).content.decode()
    assert status(call) == "preparing"
    assert "Not done: “Launch” needs" in refused and f"“{LATE_TITLE}” is in no clearance request" in refused

    page = client.get(reverse("clearance_request", args=[first.pk])).content.decode()
    assert 'data-testid="follow-up"' in page and LATE_TITLE in page
    client.post(reverse("clearance_follow_up", args=[first.pk]))
    follow_up = ClearanceRequest.objects.exclude(pk=first.pk).get()
    assert follow_up.follows == first
    assert [i.chapter_id for i in follow_up.items.all()] == [late.pk] and not follow_up.texts.exists()

    answered(follow_up, people)
    launch(client, call)
    assert status(call) == "launched"
    client.logout()
    contents = client.get(reverse("volume_page", args=[call.slug])).content.decode()
    assert LATE_TITLE in contents


def test_launch_and_closing_the_proofs_wait_for_every_author_or_an_editors_recorded_pass(
        client, call, people, final_volume):
    cleared(call, people)
    build = real_build(call, people)
    round_ = open_round(build, build.requested_at.date(), people["editor"])
    answered_first = round_.proofs.first()
    send_or_approve(answered_first, "approved", people["author_a"], {"owner"})
    client.force_login(people["editor"])
    choose_build(client, call, build)

    refused = launch(client, call).content.decode()
    assert status(call) == "preparing"
    assert f"The proof round on build {build.number} is still open: 1 of 3 chapters answered." in refused
    waiting = [p for p in round_.proofs.select_related("chapter") if p.pk != answered_first.pk]
    for proof in waiting:
        assert f"“{proof.chapter.title}”" in refused

    round_page = client.get(reverse("proof_round", args=[round_.pk])).content.decode()
    assert "Before closing the round" in round_page and "Not yet:" in round_page
    closing = client.post(reverse("proof_round_close", args=[round_.pk]), follow=True).content.decode()
    round_.refresh_from_db()
    assert round_.status == "open" and "has not answered" in closing

    client.post(reverse("proof_pass", args=[waiting[0].pk]), {"reason": ""})
    waiting[0].refresh_from_db()
    assert waiting[0].status == "pending"  # a pass needs its reason
    for proof in waiting:
        client.post(reverse("proof_pass", args=[proof.pk]), {"reason": "The author is on leave; the editors read "
                                                                       "the pages against the cleared text."})
        proof.refresh_from_db()
        assert proof.status == "passed"
        assert history(proof)[-1].reason.startswith("The author is on leave") and history(proof)[-1].actor == \
            people["editor"]
    client.post(reverse("proof_round_close", args=[round_.pk]))
    round_.refresh_from_db()
    assert round_.status == "closed"
    launch(client, call)
    assert status(call) == "launched"


def shorter_build(build, drop_chapter_id):
    """Build 2: build 1 without one chapter (as if the editors had taken it out), stored as the worker stores it."""
    kept = [e for e in build.summary["chapters"] if e["chapter_id"] != drop_chapter_id]
    summary = dict(build.summary, chapters=[dict(e, number=n) for n, e in enumerate(kept, 1)])
    inputs = dict(build.inputs, chapters=[e for e in build.inputs["chapters"] if e["chapter"] != drop_chapter_id])
    return GalleyBuild.objects.create(call=build.call, number=build.number + 1, status="built", pages=build.pages,
                                      inputs=inputs, summary=summary, pdf=build.pdf.name, epub=build.epub.name)


def test_a_launched_book_changes_only_by_a_correction_readers_see_and_a_removed_chapter_keeps_its_doi_page(
        client, call, people, launchable):
    build = launchable["build"]
    client.force_login(people["editor"])
    choose_build(client, call, build)
    launch(client, call)
    assert status(call) == "launched"
    dois = dict(ChapterDOI.objects.values_list("number", "chapter_id"))
    assert sorted(dois) == [1, 2, 3]
    removed = dois[2]
    second = shorter_build(build, removed)

    choose_build(client, call, second)  # the old way: the form no longer offers the build of a launched book
    assert Publication.objects.get(call=call).build == build
    refused = client.post(reverse("launch_replace", args=[call.slug]), {"build": second.pk, "kind": "correction"})
    assert refused.status_code == 400 and "Write the notice readers will see." in refused.content.decode()
    assert Publication.objects.get(call=call).build == build

    notice = "Chapter 2 was withdrawn at the request of its author; the other chapters are unchanged."
    client.post(reverse("launch_replace", args=[call.slug]), {"build": second.pk, "kind": "correction",
                                                              "notice": notice})
    publication = Publication.objects.get(call=call)
    assert publication.build == second and publication.errata.get().notice == notice
    client.logout()

    volume = client.get(reverse("volume_page", args=[call.slug])).content.decode()
    assert "Corrections and editions" in volume and notice in volume and "was taken out of the book" in volume
    gone = client.get(reverse("chapter_page", args=[call.slug, 2]))
    page = gone.content.decode()
    assert gone.status_code == 410 and notice in page and "10.5555/dscu-fms-2024.ch02" in page
    assert ChapterDOI.objects.get(number=2).withdrawn_by == publication.errata.get()
    kept = client.get(reverse("chapter_page", args=[call.slug, 3])).content.decode()  # chapter 3 keeps its DOI
    assert "10.5555/dscu-fms-2024.ch03" in kept and "Chapter 2" in kept  # now second in the book
    assert dict(ChapterDOI.objects.values_list("number", "chapter_id")) == dois

    client.force_login(people["editor"])
    client.post(reverse("launch_move", args=[call.slug]), {"to": "withdrawn", "reason": "Recalled by the press."})
    client.logout()
    withdrawn = client.get(reverse("chapter_page", args=[call.slug, 1]))
    assert withdrawn.status_code == 410 and "Recalled by the press." in withdrawn.content.decode()
