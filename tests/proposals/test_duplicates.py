"""Duplicate and near-duplicate proposals (same contact, same or nearly the same title and abstract) on the desk."""

import pytest
from django.urls import reverse

from chapterhouse.proposals.duplicates import Candidate, find_duplicates

ABSTRACT = ("Foreign military sales move slowly because technology release reviews run one after another. "
            "This chapter follows twelve cases and proposes running the reviews side by side. ") * 3


def test_identical_and_near_duplicates_from_one_contact_are_found_both_ways():
    found = find_duplicates([
        Candidate("FMS-0003", "a@example.org", "Faster technology release", ABSTRACT),
        Candidate("FMS-0005", "A@Example.org ", "Faster technology release", ABSTRACT),
        Candidate("FMS-0007", "a@example.org", "Faster technology release!", ABSTRACT.replace("twelve", "eleven")),
    ])
    assert {(d.reference, d.kind) for d in found["FMS-0003"]} == {("FMS-0005", "identical"), ("FMS-0007", "near-duplicate")}
    assert [d.reference for d in found["FMS-0005"]][0] == "FMS-0003"
    assert found["FMS-0007"][0].title_similarity == 100.0 and found["FMS-0007"][0].abstract_similarity < 100


def test_different_contacts_or_different_work_are_not_duplicates():
    found = find_duplicates([
        Candidate("FMS-0001", "a@example.org", "Faster technology release", ABSTRACT),
        Candidate("FMS-0002", "b@example.org", "Faster technology release", ABSTRACT),
        Candidate("FMS-0003", "a@example.org", "Offsets and coproduction after Ukraine",
                  "Offsets and coproduction with allies expand the defense industrial base. " * 6),
        Candidate("FMS-0004", "a@example.org", "Faster technology release", "A different abstract on cyber norms. " * 8),
    ])
    assert found == {}


@pytest.mark.django_db
def test_the_desk_list_and_proposal_page_flag_a_resubmission(client, people, call, make_proposal):
    first = make_proposal(people["author_a"], title="Faster technology release", abstract=ABSTRACT)
    other = make_proposal(people["author_b"], title="Faster technology release", abstract=ABSTRACT)
    again = make_proposal(people["author_a"], title="Faster technology release", abstract=ABSTRACT)
    client.force_login(people["editor"])
    page = client.get(reverse("desk_list", args=[call.slug])).content.decode()
    assert f'<span class="flag">identical of {again.reference}</span>' in page
    assert f'<span class="flag">identical of {first.reference}</span>' in page
    assert f"of {other.reference}<" not in page
    detail = client.get(reverse("desk_proposal", args=[again.reference])).content.decode()
    assert "Possible duplicate" in detail and reverse("desk_proposal", args=[first.reference]) in detail
    assert "Possible duplicate" not in client.get(reverse("desk_proposal", args=[other.reference])).content.decode()


@pytest.mark.django_db
def test_a_page_reads_only_its_contacts_proposals_and_still_finds_a_repeat_anywhere_in_the_call(
        people, call, make_proposal):
    """The desk asks for its page's proposals (or one proposal): only those sharing a contact address, in any
    case, are read, however far apart their references are."""
    from chapterhouse.proposals.desk import duplicates_in_call
    from chapterhouse.proposals.models import ProposalAuthor

    first = make_proposal(people["author_a"], title="Faster technology release", abstract=ABSTRACT)
    other = make_proposal(people["author_b"], title="Faster technology release", abstract=ABSTRACT)
    again = make_proposal(people["author_a"], title="Faster technology release", abstract=ABSTRACT)
    ProposalAuthor.objects.filter(proposal=again, is_contact=True).update(email=people["author_a"].email.upper())
    assert set(duplicates_in_call(call, among=[first.pk])) == {first.reference, again.reference}
    assert duplicates_in_call(call, among=[other.pk]) == {}
    assert duplicates_in_call(call, among=[]) == {}
    assert set(duplicates_in_call(call)) == {first.reference, again.reference}
