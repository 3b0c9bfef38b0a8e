"""Double-blind review: the authors are taken out of a Word attachment's own text, not only its properties."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse
from lxml import etree

from chapterhouse.review.redaction import PLACEHOLDER, redact_texts
from chapterhouse.screening.identities import identity_pattern
from tests.docx_factory import DocxFactory, paragraph

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


@pytest.mark.django_db
@pytest.mark.parametrize("blind", ["double", "single"])
def test_a_reviewer_downloads_the_outline_without_the_authors_under_double_blind(
        client, call, people, make_proposal, make_user, reviewer_pair, blind):
    from django.core.files.base import ContentFile

    from chapterhouse.proposals.models import Attachment
    from chapterhouse.review import services

    assert 'blind = "double"' in call.source
    call.source = call.source.replace('blind = "double"', f'blind = "{blind}"')
    call.save()
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    author.last_name = "Ellis"
    author.save()
    proposal = make_proposal(author)
    data = _outline()
    Attachment.objects.create(proposal=proposal, file=ContentFile(data, name="outline.docx"), original_name="outline.docx",
                              kind="docx", size=len(data), sha256="0" * 64)
    first, _ = reviewer_pair
    item = services.add_reviewer(proposal, first, people["editor"])
    client.force_login(first)
    downloaded = client.get(reverse("review_attachment", args=[item.pk])).content
    text = _texts(downloaded)
    assert "offsets shape cooperation" in text
    if blind == "double":
        assert "Ellis" not in text and "example.edu" not in text and "Example University" not in text
        assert f"An outline by {PLACEHOLDER}, {PLACEHOLDER}." in text
    else:
        assert "Jordan Ellis, Example University" in text


def test_tracked_changes_in_notes_lose_their_author_too():
    """Revision authors are renamed in every story a reviewer reads, not only the body and comments."""
    from chapterhouse.review.visibility import strip_docx_authors

    factory = DocxFactory()
    factory.add(factory.footnote("A source."))
    factory.footnotes[0] = factory.footnotes[0].replace(
        "</w:p>", '<w:ins w:id="7" w:author="Jordan Ellis" w:date="2024-01-01T00:00:00Z"><w:r><w:t>Added.</w:t></w:r></w:ins></w:p>')
    stripped = strip_docx_authors(factory.build())
    with zipfile.ZipFile(io.BytesIO(stripped)) as archive:
        footnotes = archive.read("word/footnotes.xml").decode()
    assert "Jordan Ellis" not in footnotes and 'w:author="Author"' in footnotes
