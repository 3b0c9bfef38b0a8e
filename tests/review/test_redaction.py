"""Double-blind review: the authors are taken out of a Word attachment's own text, not only its properties."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from lxml import etree

from chapterhouse.review.redaction import PLACEHOLDER, redact_texts
from chapterhouse.screening.identities import identity_pattern
from tests.docx_factory import DocxFactory

AUTHORS = identity_pattern(["Jordan Ellis", "Casey Park"], ["jordan.ellis@example.edu"], ["Example University"])


def test_a_name_split_across_runs_is_replaced_where_it_starts():
    assert redact_texts(["By Jor", "dan El", "lis and others"], AUTHORS) == ["By " + PLACEHOLDER, "", " and others"]


def test_names_addresses_and_affiliations_in_any_case_and_spacing():
    text = "JORDAN  ELLIS (example university; jordan.ellis@example.edu) thanks Casey Park."
    [redacted] = redact_texts([text], AUTHORS)
    assert redacted == f"{PLACEHOLDER} ({PLACEHOLDER}; {PLACEHOLDER}) thanks {PLACEHOLDER}."


def test_a_surname_alone_is_replaced_as_a_capitalised_word_only():
    [redacted] = redact_texts(["As Ellis argues, the car park by Parkway is full; Park disagrees."], AUTHORS)
    assert redacted == f"As {PLACEHOLDER} argues, the car park by Parkway is full; {PLACEHOLDER} disagrees."
    assert redact_texts(["Nothing about anyone."], AUTHORS) is None


def test_nothing_to_look_for_gives_no_pattern():
    assert identity_pattern([], [], ["Uni"]) is None


def _outline() -> bytes:
    factory = DocxFactory()
    factory.add('<w:r><w:t xml:space="preserve">An outline by Jor</w:t></w:r><w:r><w:t>dan Ellis</w:t></w:r>'
                '<w:r><w:t xml:space="preserve">, Example University.</w:t></w:r>')
    factory.add('<w:r><w:t>Write to jordan.ellis@example.edu with questions.</w:t></w:r>')
    factory.add('<w:r><w:t>The argument: offsets shape cooperation.</w:t></w:r>')
    return factory.build()


def _texts(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        root = etree.fromstring(archive.read("word/document.xml"))
    return " ".join("".join(t.text or "" for t in p.iter("{*}t")) for p in root.iter("{*}p"))


def attach(proposal, data: bytes, kind: str = "docx"):
    """Stores ``data`` as the proposal's attachment, as intake would have."""
    from django.core.files.base import ContentFile

    from chapterhouse.proposals.attachments import CONTENT_TYPES
    from chapterhouse.proposals.models import Attachment

    return Attachment.objects.create(proposal=proposal, file=ContentFile(data, name=f"outline.{kind}"),
                                     original_name=f"outline.{kind}", kind=kind, content_type=CONTENT_TYPES[kind],
                                     size=len(data), sha256="0" * 64)


def set_blindness(call, blind: str) -> None:
    assert 'blind = "double"' in call.source
    call.source = call.source.replace('blind = "double"', f'blind = "{blind}"')
    call.save()


@pytest.fixture
def jordans_proposal(make_proposal, make_user):
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    author.last_name = "Ellis"
    author.save()
    return make_proposal(author)


def download(client, proposal, reviewer, editor):
    from chapterhouse.review import services

    item = services.add_reviewer(proposal, reviewer, editor)
    client.force_login(reviewer)
    return client.get(reverse("review_attachment", args=[item.pk]))


@pytest.mark.django_db
@pytest.mark.parametrize("blind", ["double", "single"])
def test_a_reviewer_downloads_the_outline_without_the_authors_under_double_blind(
        client, call, people, jordans_proposal, reviewer_pair, blind):
    set_blindness(call, blind)
    attach(jordans_proposal, _outline())
    text = _texts(download(client, jordans_proposal, reviewer_pair[0], people["editor"]).content)
    assert "offsets shape cooperation" in text
    if blind == "double":
        assert "Ellis" not in text and "example.edu" not in text and "Example University" not in text
        assert f"An outline by {PLACEHOLDER}, {PLACEHOLDER}." in text
    else:
        assert "Jordan Ellis, Example University" in text


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["docx", "pdf"])
def test_the_crafted_files_reach_the_reviewer_with_no_byte_of_the_author(client, call, people, jordans_proposal,
                                                                        reviewer_pair, kind):
    """The corpus through the download view itself: the stored author's account, names and affiliation."""
    from tests.fixtures.blind.identity import NEEDLES
    from tests.fixtures.blind.pdf import crafted_pdf
    from tests.fixtures.blind.scan import leaks
    from tests.fixtures.blind.word import crafted_word

    jordans_proposal.authors.update(name="Jordan Ellis", email="jordan.ellis@example.edu", affiliation="Example University")
    jordans_proposal.contact_user.username = "jellis"
    jordans_proposal.contact_user.save()
    crafted = crafted_word() if kind == "docx" else crafted_pdf()
    attach(jordans_proposal, crafted, kind)
    response = download(client, jordans_proposal, reviewer_pair[0], people["editor"])
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{jordans_proposal.reference}-attachment.{kind}"'
    assert leaks(crafted, NEEDLES) and leaks(response.content, NEEDLES) == []


@pytest.mark.django_db
def test_an_attachment_that_cannot_be_rewritten_is_withheld_with_the_reason(client, call, people, jordans_proposal,
                                                                           reviewer_pair):
    attach(jordans_proposal, b"%PDF-1.7\nnothing readable", "pdf")
    response = download(client, jordans_proposal, reviewer_pair[0], people["editor"])
    assert response.status_code == 302 and "/attachment/" not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "This attachment cannot be given to you" in page and "Ask the editors" in page


def test_tracked_changes_in_notes_reach_the_reviewer_accepted_and_without_their_author():
    """The copy is written from the text with changes accepted: no revision, so no revision author, anywhere."""
    from chapterhouse.review.blind_copy import reviewer_copy

    factory = DocxFactory()
    factory.add("A claim.", factory.footnote("A source."))
    factory.footnotes[0] = factory.footnotes[0].replace(
        "</w:p>", '<w:ins w:id="7" w:author="Casey Park" w:date="2024-01-01T00:00:00Z"><w:r><w:t>Added.</w:t></w:r></w:ins></w:p>')
    copy = reviewer_copy("docx", factory.build(), AUTHORS)
    with zipfile.ZipFile(io.BytesIO(copy.data)) as archive:
        footnotes = archive.read("word/footnotes.xml").decode()
    assert "Casey" not in footnotes and "w:ins" not in footnotes and "A source." in footnotes and "Added." in footnotes
