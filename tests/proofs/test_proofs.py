"""Author proofs: each author sees their chapter's pages from the latest build (images and PDF), files
corrections or approves; editors accept (the correction is made in the typeset version, so the next build shows
it) or reject; a correction that changes the meaning after clearance is flagged for the security reviewer."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from chapterhouse.outbox.models import Message
from chapterhouse.production.proofs.models import ChapterProof, Correction
from chapterhouse.production.volume import typeset_version

from tests.clearance.conftest import cleared

pytestmark = pytest.mark.django_db


def test_each_author_sees_only_their_chapters_pages_as_images_and_pdf(client, people, volume, proof_round):
    chapter = volume["a"]
    entry = proof_round.build.chapter_pages(chapter.pk)
    first, last = entry["pdf_pages"]
    assert Message.objects.filter(kind="proofs.ready", to=people["author_a"].email).exists()
    client.force_login(people["author_a"])
    page = client.get(reverse("my_proofs", args=[chapter.pk])).content.decode()
    assert page.count('class="proof-page"') == last - first + 1
    image = client.get(reverse("my_proof_page", args=[chapter.pk, first]))
    assert image.status_code == 200 and b"".join(image.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    other = volume["b"]
    other_first = proof_round.build.chapter_pages(other.pk)["pdf_pages"][0]
    assert client.get(reverse("my_proof_page", args=[chapter.pk, other_first])).status_code == 404
    pdf = PdfReader(io.BytesIO(client.get(reverse("my_proof_pdf", args=[chapter.pk])).content))
    assert len(pdf.pages) == last - first + 1 and chapter.title.split()[0] in pdf.pages[0].extract_text()
    assert client.get(reverse("my_proofs", args=[other.pk])).status_code == 404


def file(client, chapter, wrong, right, page="3", line=4):
    return client.post(reverse("my_proofs", args=[chapter.pk]), {"action": "file", "page": page, "line": line,
                                                                 "wrong": wrong, "right": right, "comment": ""})


def test_a_correction_accepted_is_made_in_the_typeset_version_and_a_rejected_one_is_not(client, people, volume,
                                                                                       proof_round):
    chapter = volume["a"]
    before = typeset_version(chapter)
    client.force_login(people["author_a"])
    file(client, chapter, "renegotiated.", "re-negotiated.")  # a respelling
    file(client, chapter, "kept the spares at Norfolk", "kept the spares in Norfolk")
    client.post(reverse("my_proofs", args=[chapter.pk]), {"action": "send"})
    proof = ChapterProof.objects.get(chapter=chapter)
    assert proof.status == "corrected" and Message.objects.filter(kind="proofs.answered").exists()
    first, second = Correction.objects.order_by("pk")
    assert not first.changes_meaning and second.changes_meaning and not second.flagged_for_security

    client.force_login(people["editor"])
    client.post(reverse("correction_decide", args=[first.pk]), {"to": "accepted"})
    client.post(reverse("correction_decide", args=[second.pk]), {"to": "rejected", "reason": "Not in the source."})
    first.refresh_from_db()
    second.refresh_from_db()
    after = typeset_version(chapter)
    assert first.status == "accepted" and first.applied_version == after and after.number == before.number + 1
    assert second.status == "rejected" and second.applied_version is None
    from chapterhouse.manuscripts.diff import diff_files
    with before.file.open("rb") as old, after.file.open("rb") as new:
        changed = [(s.kind, s.text) for p in diff_files(old.read(), new.read()).body.paragraphs for s in p.segments
                   if s.kind != "equal"]
    assert changed == [("delete", "renegotiated."), ("insert", "re-negotiated.")]


def test_an_author_may_approve_as_is_but_not_send_nothing(client, people, volume, proof_round):
    client.force_login(people["author_b"])
    client.post(reverse("my_proofs", args=[volume["b"].pk]), {"action": "send"})
    assert ChapterProof.objects.get(chapter=volume["b"]).status == "pending"
    client.post(reverse("my_proofs", args=[volume["b"].pk]), {"action": "approve"})
    assert ChapterProof.objects.get(chapter=volume["b"]).status == "approved"
    response = file(client, volume["b"], "anything", "else")
    assert Correction.objects.count() == 0 and response.status_code == 302


def test_a_meaning_change_after_clearance_is_flagged_for_the_security_reviewer(client, call, people, volume,
                                                                              proof_round):
    clearance = cleared(call, people)
    chapter = volume["a"]
    client.force_login(people["author_a"])
    file(client, chapter, "delivered forty aircraft", "delivered sixty aircraft")
    file(client, chapter, "renegotiated.", "renegociated.")  # a respelling: not flagged
    client.post(reverse("my_proofs", args=[chapter.pk]), {"action": "send"})
    flagged = Correction.objects.get(flagged_for_security=True)
    assert flagged.right == "delivered sixty aircraft" and Correction.objects.filter(flagged_for_security=False).count() == 1
    alert = Message.objects.get(kind="proofs.flagged")
    assert alert.to == people["security"].email and "delivered sixty aircraft" in alert.body

    client.force_login(people["security"])
    page = client.get(reverse("clearance_chapter", args=[clearance.pk, chapter.pk])).content.decode()
    assert "Proof corrections" in page and "delivered sixty aircraft" in page and "May change the meaning" in page


def test_a_correction_with_the_same_text_is_refused_with_a_message(client, people, volume, proof_round):
    client.force_login(people["author_a"])
    response = file(client, volume["a"], "Norfolk", "Norfolk")
    assert response.status_code == 200 and "same as the wrong text" in response.content.decode()
    assert not Correction.objects.exists()


def test_pages_are_large_with_a_full_size_link_and_a_correction_needs_no_line(full_size_page_images, client, people, volume,
                                                                              proof_round):
    """The images are rendered at 144 dpi (864 px wide for a 6 in page) and each opens full size; the line, which
    the images do not show, is optional: the wrong text finds the place."""
    chapter = volume["a"]
    first = proof_round.build.chapter_pages(chapter.pk)["pdf_pages"][0]
    client.force_login(people["author_a"])
    png = b"".join(client.get(reverse("my_proof_page", args=[chapter.pk, first])).streaming_content)
    assert int.from_bytes(png[16:20], "big") >= 860  # the PNG header's width
    page = client.get(reverse("my_proofs", args=[chapter.pk])).content.decode()
    assert f'<a href="{reverse("my_proof_page", args=[chapter.pk, first])}" class="proof-zoom">' in page
    assert "Line (optional)" in page
    response = file(client, chapter, "renegotiated.", "re-negotiated.", line="")
    assert response.status_code == 302
    correction = Correction.objects.get()
    assert correction.line is None and correction.where == "p. 3"
    assert "p. 3</strong>" in client.get(reverse("my_proofs", args=[chapter.pk])).content.decode()
    assert file(client, chapter, "kept the spares", "kept spares", line="0").status_code == 200  # form again
    assert Correction.objects.count() == 1
