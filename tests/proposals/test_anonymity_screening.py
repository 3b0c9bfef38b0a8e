"""Under double-blind review, intake tells the editors where the text reviewers will read names an author (the
title, abstract, keywords or attachment), since only a Word attachment is redacted on its way to reviewers."""

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
    assert any("the attachment “outline.pdf”" in place for place in result.details["places"])
    client.force_login(people["editor"])
    page = client.get(reverse("desk_proposal", args=[result.proposal.reference])).content.decode()
    assert 'data-testid="screening-anonymity"' in page and "ask the author for an anonymised version" in page


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
