"""An author edits their own proposal while the call is open: every edit versioned, screened again, audited."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chapterhouse.proposals.models import Proposal, ProposalVersion
from chapterhouse.workflow.transitions import history
from tests.conftest import SAMPLE_ABSTRACT

pytestmark = pytest.mark.django_db

NEW_ABSTRACT = SAMPLE_ABSTRACT + " A revised closing section weighs the reforms against the backlog of pending cases."


def edit_data(**overrides):
    data = {
        "title": "Faster technology release in security cooperation cases",
        "theme": "process",
        "abstract": NEW_ABSTRACT,
        "keywords": "technology release, backlog",
        "builds_on_existing_work": "yes",
        "existing_work_details": "A 2024 working paper at Example University.",
        "permission_status": "secured",
        "funding_requested": "yes",
        "funding_amount": "2500.00",
        "funding_justification": "Two archive visits.",
        "access_requested": "yes",
        "access_offices": "The DSCA case management office.",
        "access_reason": "Interviews about the review steps.",
        "attest_unclassified": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def proposal(people, make_proposal):
    return make_proposal(people["author_a"])


def edit_url(proposal):
    return reverse("my_proposal_edit", args=[proposal.reference])


def test_the_author_page_shows_every_answer_they_gave(client, people, make_proposal):
    proposal = make_proposal(
        people["author_a"], builds_on_existing_work=True,
        existing_work_details="A chapter of my 2023 thesis.", permission_status="requested", funding_requested=True,
        funding_amount="1200.00", funding_justification="Archive travel.", access_requested=True,
        access_offices="The Joint Staff J5.", access_reason="To ask about the review.",
    )
    client.force_login(people["author_a"])
    page = client.get(reverse("my_proposal", args=[proposal.reference])).content.decode()
    for text in ("technology release", "A chapter of my 2023 thesis.", "Permission requested, awaiting answer",
                 "1,200", "Archive travel.", "The Joint Staff J5.", "To ask about the review.",
                 "Writes on security cooperation.", "Edit this proposal", edit_url(proposal)):
        assert text in page, text


def test_an_edit_keeps_the_old_answers_as_a_version_and_screens_again(client, people, proposal):
    client.force_login(people["author_a"])
    screened_before = {s.kind: s.pk for s in proposal.screenings.all()}
    response = client.post(edit_url(proposal), edit_data())
    assert response.status_code == 302 and response.url == reverse("my_proposal", args=[proposal.reference])
    proposal.refresh_from_db()
    assert proposal.title == "Faster technology release in security cooperation cases"
    assert proposal.abstract == NEW_ABSTRACT and proposal.keywords == "technology release, backlog"
    assert proposal.funding_requested and str(proposal.funding_amount) == "2500.00"
    assert proposal.access_offices == "The DSCA case management office." and proposal.permission_status == "secured"
    version = ProposalVersion.objects.get(proposal=proposal)
    assert version.number == 1 and version.replaced_by == people["author_a"]
    assert version.answers["title"] == "Streamlining technology release in security cooperation cases"
    assert version.answers["abstract"] == SAMPLE_ABSTRACT and version.answers["funding_requested"] is False
    screened_after = {s.kind: s.pk for s in proposal.screenings.all()}
    assert set(screened_after) == set(screened_before)
    assert not set(screened_after.values()) & set(screened_before.values())  # fresh results, the old ones replaced
    assert [e.action for e in history(proposal)][-1] == "Edited by the author"
    client.post(edit_url(proposal), edit_data(title="A third title"))
    assert list(proposal.versions.values_list("number", flat=True)) == [2, 1]


def test_editors_see_the_versions_on_the_desk(client, people, proposal):
    client.force_login(people["author_a"])
    client.post(edit_url(proposal), edit_data())
    client.force_login(people["editor"])
    page = client.get(reverse("desk_proposal", args=[proposal.reference])).content.decode()
    assert "Earlier versions" in page and "Version 1" in page
    assert "Streamlining technology release in security cooperation cases" in page  # the replaced title


def test_a_marking_refuses_the_edit_and_keeps_what_was_typed(client, people, proposal):
    client.force_login(people["author_a"])
    response = client.post(edit_url(proposal), edit_data(abstract=f"{NEW_ABSTRACT}\nSECRET//NOFORN"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Your edit was not saved" in page and "SECRET//NOFORN" in page
    assert "Faster technology release in security cooperation cases" in page  # the typed title is still in the form
    stored = Proposal.objects.get(pk=proposal.pk)
    assert stored.abstract == SAMPLE_ABSTRACT and stored.title == proposal.title
    assert not ProposalVersion.objects.exists()
    assert "Edited by the author" not in [e.action for e in history(stored)]


def test_an_invalid_edit_shows_errors_and_changes_nothing(client, people, proposal):
    client.force_login(people["author_a"])
    response = client.post(edit_url(proposal), edit_data(abstract="Too short.", funding_amount=""))
    page = response.content.decode()
    assert response.status_code == 400 and "Your edit has not been saved yet" in page and "Too short." in page
    assert Proposal.objects.get(pk=proposal.pk).abstract == SAMPLE_ABSTRACT and not ProposalVersion.objects.exists()


def test_after_the_call_closes_editing_is_closed_with_its_date(client, people, proposal, call):
    call.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    call.save(update_fields=["closes_on"])
    client.force_login(people["author_a"])
    page = client.get(reverse("my_proposal", args=[proposal.reference])).content.decode()
    assert "Editing closed on" in page and "the call closed" in page and edit_url(proposal) not in page
    assert client.get(edit_url(proposal)).status_code == 302
    response = client.post(edit_url(proposal), edit_data())
    assert response.status_code == 302 and not ProposalVersion.objects.exists()
    assert Proposal.objects.get(pk=proposal.pk).title == proposal.title


def test_once_the_editors_move_it_on_it_can_no_longer_be_edited(client, people, proposal):
    client.force_login(people["editor"])
    client.post(reverse("desk_transition", args=[proposal.reference]), {"to": "under_review", "from": "submitted"})
    assert Proposal.objects.get(pk=proposal.pk).status == "under_review"
    client.force_login(people["author_a"])
    response = client.post(edit_url(proposal), edit_data())
    assert response.status_code == 302 and not ProposalVersion.objects.exists()
    page = client.get(reverse("my_proposal", args=[proposal.reference])).content.decode()
    assert "Editing closed on" in page and "under review" in page


def test_another_author_cannot_edit_it(client, people, proposal):
    client.force_login(people["author_b"])
    assert client.post(edit_url(proposal), edit_data()).status_code == 404
    assert not ProposalVersion.objects.exists()
