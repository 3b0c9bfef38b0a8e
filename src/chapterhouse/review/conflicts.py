"""Conflicts of interest found without anyone declaring them: the reviewer is an author, works at the same
institution (same affiliation once normalised) or shares the author's e-mail domain.

Public webmail domains (``webmail_domains.txt`` beside this file) do not count: two gmail.com addresses say
nothing about an institution. Addresses are compared in one canonical form so a look-alike spelling
(upper case, fullwidth letters, a trailing dot on the domain) is still the same address. Plain Python.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from chapterhouse.accounts.emails import canonical_or_none

WEBMAIL_FILE = Path(__file__).with_name("webmail_domains.txt")


@dataclass(frozen=True)
class Person:
    name: str = ""
    email: str = ""
    affiliation: str = ""


@lru_cache(maxsize=1)
def webmail_domains() -> frozenset[str]:
    lines = WEBMAIL_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def normalise_affiliation(text: str) -> str:
    """Case, punctuation, extra spaces and a leading "The" ignored: "The Institute 4" is "institute 4"."""
    words = re.sub(r"[\W_]+", " ", unicodedata.normalize("NFKC", text or "").casefold()).split()
    if words[:1] == ["the"]:
        words = words[1:]
    return " ".join(words)


def email_domain(address: str) -> str | None:
    canonical = canonical_or_none(address)
    return canonical.rpartition("@")[2] if canonical else None


def is_webmail(domain: str) -> bool:
    return domain in webmail_domains()


def _same_institution_domain(a: str | None, b: str | None) -> bool:
    """Equal domains, or one inside the other (cs.example.edu and example.edu); never a webmail domain."""
    if not a or not b or is_webmail(a) or is_webmail(b):
        return False
    return a == b or a.endswith("." + b) or b.endswith("." + a)


def conflict_between(author: Person, reviewer: Person) -> str | None:
    """Why ``reviewer`` may not review ``author``'s work, or None."""
    author_email, reviewer_email = canonical_or_none(author.email), canonical_or_none(reviewer.email)
    if author_email and author_email == reviewer_email:
        return f"{reviewer.name or reviewer_email} is an author"
    author_domain, reviewer_domain = email_domain(author.email), email_domain(reviewer.email)
    if _same_institution_domain(author_domain, reviewer_domain):
        return f"same e-mail domain as author {author.name} ({reviewer_domain})"
    institution = normalise_affiliation(author.affiliation)
    if institution and institution == normalise_affiliation(reviewer.affiliation):
        return f"same affiliation as author {author.name} ({reviewer.affiliation.strip()})"
    return None


def detect_conflict(authors: Iterable[Person], reviewer: Person) -> str | None:
    """The first reason any of the proposal's authors conflicts with ``reviewer``, or None."""
    for author in authors:
        reason = conflict_between(author, reviewer)
        if reason:
            return reason
    return None


def _domain_and_parents(domain: str) -> list[str]:
    """cs.example.edu → [cs.example.edu, example.edu]: the domains another address may share with this one."""
    labels = domain.split(".")
    return [".".join(labels[i:]) for i in range(len(labels) - 1)]


class ConflictIndex:
    """Finds every reviewer in conflict with a proposal's authors without comparing every pair.

    Look-ups by canonical address, by domain (and parent domains) and by normalised affiliation give the
    candidates; ``conflict_between`` then decides and words the reason, so the rule lives in one place.
    """

    def __init__(self, reviewers: list[Person]):
        self.reviewers = reviewers
        self._by_key: dict[tuple[str, str], set[int]] = {}
        for index, reviewer in enumerate(reviewers):
            for key in self._keys(reviewer, parents=True):
                self._by_key.setdefault(key, set()).add(index)

    @staticmethod
    def _keys(person: Person, parents: bool) -> list[tuple[str, str]]:
        keys = []
        address = canonical_or_none(person.email)
        if address:
            keys.append(("email", address))
            domain = address.rpartition("@")[2]
            if not is_webmail(domain):
                keys += [("domain", d) for d in (_domain_and_parents(domain) if parents else [domain])]
        institution = normalise_affiliation(person.affiliation)
        if institution:
            keys.append(("affiliation", institution))
        return keys

    def conflicts(self, authors: Iterable[Person]) -> dict[int, str]:
        """Reviewer index → reason, for every reviewer in conflict with any of ``authors``."""
        authors = list(authors)
        candidates: set[int] = set()
        for author in authors:
            for key in self._keys(author, parents=False):
                candidates |= self._by_key.get(key, set())
            # The reviewer's domain may be a parent of the author's (example.edu and cs.example.edu).
            domain = email_domain(author.email)
            if domain and not is_webmail(domain):
                for parent in _domain_and_parents(domain)[1:]:
                    candidates |= {i for i in self._by_key.get(("domain", parent), set())
                                   if email_domain(self.reviewers[i].email) == parent}
        found = {}
        for index in sorted(candidates):
            reason = detect_conflict(authors, self.reviewers[index])
            if reason:
                found[index] = reason
        return found


def declared_conflict(authors: Iterable[Person], declared: Person, kind: str) -> str | None:
    """Whether a reviewer's declared conflict (a person, or an institution) names one of ``authors``."""
    declared_email = canonical_or_none(declared.email)
    declared_name = normalise_affiliation(declared.name)
    declared_institution = normalise_affiliation(declared.affiliation)
    for author in authors:
        if declared_email and declared_email == canonical_or_none(author.email):
            return f"declared {kind}: {author.name}"
        if declared_name and declared_name == normalise_affiliation(author.name):
            return f"declared {kind}: {author.name}"
        if declared_institution and not declared_name and declared_institution == normalise_affiliation(author.affiliation):
            return f"declared {kind}: {author.affiliation}"
    return None
