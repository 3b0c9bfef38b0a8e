"""Conflicts found without anyone declaring them: authors, shared institutional domains, same affiliation."""

import pytest

from chapterhouse.review.conflicts import ConflictIndex, Person, conflict_between, is_webmail, normalise_affiliation

AUTHOR = Person("Jordan Ellis", "jordan.ellis@example.edu", "The Naval Postgraduate School")


@pytest.mark.parametrize("text,expected", [
    ("The Institute 4", "institute 4"),
    ("  institute   4. ", "institute 4"),
    ("THE INSTITUTE, 4", "institute 4"),
    ("Theory Institute", "theory institute"),  # "The" only as a whole leading word
    ("", ""),
])
def test_affiliations_are_normalised(text, expected):
    assert normalise_affiliation(text) == expected


@pytest.mark.parametrize("reviewer_email", [
    "jordan.ellis@example.edu",
    "Jordan.Ellis@EXAMPLE.EDU",          # case
    "  jordan.ellis@example.edu.  ",     # spaces and a trailing dot on the domain
    "ｊｏｒｄａｎ.ellis@example.edu",     # fullwidth letters (NFKC)
])
def test_a_reviewer_who_is_an_author_is_found_under_look_alike_spellings(reviewer_email):
    assert "is an author" in conflict_between(AUTHOR, Person("J. Ellis", reviewer_email, ""))


def test_a_cyrillic_look_alike_is_a_different_address_but_still_the_same_institution_domain():
    # "јordan" with a Cyrillic ј is another mailbox; the shared example.edu domain still keeps them apart.
    reason = conflict_between(AUTHOR, Person("Someone", "јordan.ellis@example.edu", ""))
    assert reason and "is an author" not in reason and "e-mail domain" in reason


@pytest.mark.parametrize("reviewer_email,conflict", [
    ("casey@example.edu", True),
    ("casey@cs.example.edu", True),       # a department of the same university
    ("casey@other.edu", False),
    ("casey@ample.edu", False),           # a suffix of the name is not a parent domain
])
def test_same_institutional_domain(reviewer_email, conflict):
    assert bool(conflict_between(AUTHOR, Person("Casey", reviewer_email, ""))) is conflict


@pytest.mark.parametrize("domain", ["gmail.com", "GMAIL.com", "outlook.com", "proton.me"])
def test_public_webmail_domains_are_not_a_conflict(domain):
    author = Person("Ann", f"ann@{domain}", "")
    assert conflict_between(author, Person("Bo", f"bo@{domain.lower()}", "")) is None


def test_a_webmail_look_alike_domain_is_not_webmail():
    # gmaıl.com (dotless ı) is some other domain, not Google's: two addresses there do share it.
    assert not is_webmail("xn--gmal-nza.com")
    assert conflict_between(Person("Ann", "ann@gmaıl.com", ""), Person("Bo", "bo@gmaıl.com", ""))


def test_same_affiliation_after_normalisation():
    reviewer = Person("Pat", "pat@gmail.com", "naval postgraduate school")
    assert "same affiliation" in conflict_between(AUTHOR, reviewer)


def test_the_index_finds_exactly_what_pairwise_comparison_finds():
    reviewers = [
        Person("A", "a@example.edu", ""), Person("B", "b@cs.example.edu", ""), Person("C", "c@gmail.com", ""),
        Person("D", "d@other.org", "Naval Postgraduate School"), Person("E", "jordan.ellis@example.edu", ""),
        Person("F", "f@edu.example", ""), Person("G", "", ""),
    ]
    authors = [AUTHOR, Person("Casey", "casey@gmail.com", "Example Institute")]
    found = ConflictIndex(reviewers).conflicts(authors)
    pairwise = {i for i, r in enumerate(reviewers) if any(conflict_between(a, r) for a in authors)}
    assert set(found) == pairwise == {0, 1, 3, 4}
    parent = ConflictIndex([Person("P", "p@example.edu", "")]).conflicts([Person("Q", "q@cs.example.edu", "")])
    assert list(parent) == [0]
