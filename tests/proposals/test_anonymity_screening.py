"""Under double-blind review, intake tells the editors where the text reviewers will read names an author (the
title, abstract, keywords or the attachment's reviewers' copy), computed from that copy rather than promised."""

import pytest
from django.urls import reverse

from chapterhouse.proposals.attachments import inspect_attachment
from chapterhouse.proposals.models import ScreeningResult
from tests.fixtures.files import pdf_file

pytestmark = pytest.mark.django_db

NAMING = ("This chapter extends Ellis (2019) on case delays at Example University; write to "
          "jordan.ellis@example.edu for the interview protocol. " * 2)


def anonymity(make_proposal, make_user, abstract, **extra):
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    author.last_name = "Ellis"
    author.save()
    proposal = make_proposal(author, abstract=abstract, **extra)
    return ScreeningResult.objects.get(proposal=proposal, kind=ScreeningResult.Kind.ANONYMITY)


def test_an_abstract_and_a_pdf_that_name_the_author_are_flagged_with_the_places(make_proposal, make_user, client, people):
    outline = pdf_file("Outline", "by Jordan Ellis")
    result = anonymity(make_proposal, make_user, NAMING, attachment_name="outline.pdf", attachment_bytes=outline,
                       inspected_attachment=inspect_attachment("outline.pdf", outline, ["docx", "pdf"], 10**7))
    assert result.outcome == "flagged"
    assert result.details["places"][0].startswith("the abstract: “…This chapter extends Ellis (2019)")
    assert any(place.startswith("the reviewers' copy of the attachment, page 1: “…") and "Jordan Ellis" in place
               for place in result.details["places"])
    assert "a new PDF holding the attachment's pages only" in result.summary
    client.force_login(people["editor"])
    page = client.get(reverse("desk_proposal", args=[result.proposal.reference])).content.decode()
    assert 'data-testid="screening-anonymity"' in page and "ask the author for an anonymised version" in page


def test_a_word_attachment_is_judged_by_its_reviewers_copy(make_proposal, make_user):
    """The crafted file names the author in some thirty places; its reviewers' copy in none, which is what the
    editor is told, with how many passages had the author replaced."""
    from tests.conftest import SAMPLE_ABSTRACT
    from tests.fixtures.blind.word import crafted_word

    outline = crafted_word()
    result = anonymity(make_proposal, make_user, SAMPLE_ABSTRACT, attachment_name="outline.docx", attachment_bytes=outline,
                       inspected_attachment=inspect_attachment("outline.docx", outline, ["docx", "pdf"], 10**7))
    assert result.outcome == "clear" and result.details["places"] == []
    assert result.summary.startswith("Nothing reviewers read names an author. Reviewers get a new Word file")
    assert "7 passages in it have an author replaced by “[author]”." in result.summary


def test_a_proposal_that_names_no_author_is_clear(make_proposal, make_user):
    from tests.conftest import SAMPLE_ABSTRACT

    result = anonymity(make_proposal, make_user, SAMPLE_ABSTRACT)
    assert result.outcome == "clear" and result.details["places"] == []


def test_a_single_blind_call_does_not_look(make_proposal, make_user, call):
    call.source = call.source.replace('blind = "double"', 'blind = "single"')
    call.save()
    author = make_user("jordan", "author", email="jordan.ellis@example.edu")
    proposal = make_proposal(author, abstract=NAMING)
    assert not ScreeningResult.objects.filter(proposal=proposal, kind=ScreeningResult.Kind.ANONYMITY).exists()
