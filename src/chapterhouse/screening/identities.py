"""Where a text names one of its authors: the pattern that finds their names, addresses and affiliations.

Double-blind review needs the proposal's own words not to say who wrote it: intake flags a title, abstract or
attachment that does (``proposals.screening``), and the reviewer's copy of a Word attachment has them replaced
(``review.redaction``). Plain Python; no Django.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from chapterhouse.screening.markings import TextBlock

SHORTEST_SURNAME = 3  # "Li" alone would take every "li" out of words; a surname is replaced as a capitalised word
SHORTEST_AFFILIATION = 6
SHORTEST_USERNAME = 5  # "jde" or "li" would take letters out of words
# Mailboxes that name a role, not a person: "office@…" must not take "office" out of every sentence.
ROLE_ADDRESSES = {"admin", "office", "contact", "enquiries", "inquiries", "research", "editor", "editors",
                  "support", "hello", "press", "mail", "email", "noreply", "no-reply", "secretary", "director"}


def identity_pattern(names: Iterable[str], emails: Iterable[str], affiliations: Iterable[str],
                     usernames: Iterable[str] = ()) -> re.Pattern | None:
    """One pattern for every way the text may name an author, longest first; None when there is nothing to find.

    Full names, addresses, affiliations and user names (an account's name, an address's part before the "@", as
    in "jordan.ellis") match in any case and across any spacing; a surname alone matches only as written with
    its capital, as a whole word."""
    emails = list(emails)
    blind, exact = set(), set()
    for username in [*usernames, *(email.strip().partition("@")[0] for email in emails if "@" in email)]:
        username = username.strip()
        if len(username) >= SHORTEST_USERNAME and username.lower() not in ROLE_ADDRESSES:
            blind.add(re.escape(username))
    for name in names:
        words = name.split()
        if words:
            blind.add(r"\s+".join(map(re.escape, words)))
        if len(words) > 1 and len(words[-1]) >= SHORTEST_SURNAME:
            exact.add(re.escape(words[-1]))
    blind |= {re.escape(email.strip()) for email in emails if "@" in email}
    blind |= {r"\s+".join(map(re.escape, place.split())) for place in affiliations
              if len(place.strip()) >= SHORTEST_AFFILIATION}
    alternatives = [(f"(?i:{text})", len(text)) for text in blind] + [(text, len(text)) for text in exact]
    if not alternatives:
        return None
    ordered = [text for text, _ in sorted(alternatives, key=lambda item: -item[1])]
    return re.compile(r"(?<![\w@.-])(?:" + "|".join(ordered) + r")(?![\w@-])")


def places_naming(blocks: Sequence[TextBlock], pattern: re.Pattern | None, limit: int = 6) -> list[str]:
    """Where the blocks name an author, with the words around it: "the abstract: “… as Ellis (2019) showed …”"."""
    if pattern is None:
        return []
    found = []
    for block in blocks:
        match = pattern.search(block.text)
        if match:
            around = " ".join(block.text[max(0, match.start() - 30): match.end() + 30].split())
            found.append(f"{block.location}: “…{around}…”")
            if len(found) == limit:
                break
    return found
