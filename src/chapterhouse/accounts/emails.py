"""One canonical form for every e-mail address the project stores or compares.

Databases fold case in their own ways (PostgreSQL's ``UPPER('ı')`` is ``'I'``), so a look-up with
``email__iexact`` can match an address that only looks like a stored one and hand over its account. Instead
every address is reduced once, here, to one exact string and compared with ``=``:

- Unicode NFKC, so fullwidth and compatibility forms become the letters they stand for;
- surrounding spaces and a trailing dot on the domain removed;
- the domain lower-cased and IDNA-encoded (UTS #46), so ``gmaıl.com`` is ``xn--gmal-nza.com`` and can never be
  confused with ``gmail.com``;
- the local part lower-cased only when the press says its mail servers ignore case there (the default; almost
  every server does), never case-folded further, so ``ı``, ``İ`` and Cyrillic look-alikes stay distinct.

Plain Python; no Django.
"""

from __future__ import annotations

import unicodedata

import idna


class InvalidEmail(ValueError):
    """The text cannot be an e-mail address; the message says why."""


def canonical_email(raw: str, *, fold_local_case: bool = True) -> str:
    """The canonical form of ``raw``; raises InvalidEmail for text that is not an address."""
    text = unicodedata.normalize("NFKC", raw or "").strip()
    if not text:
        raise InvalidEmail("The e-mail address is empty.")
    if any(ch.isspace() or unicodedata.category(ch).startswith("C") for ch in text):
        raise InvalidEmail("An e-mail address cannot contain spaces or control characters.")
    local, at, domain = text.rpartition("@")
    if not at or not local or not domain:
        raise InvalidEmail("An e-mail address looks like name@example.org.")
    domain = domain.rstrip(".")
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii").lower()
    except (idna.IDNAError, UnicodeError) as error:
        raise InvalidEmail(f"The part after @ is not a valid domain name ({error}).") from None
    if "." not in ascii_domain:
        raise InvalidEmail("The part after @ needs a dot, like example.org.")
    if fold_local_case:
        local = local.lower()
    return f"{local}@{ascii_domain}"


def canonical_or_none(raw: str, *, fold_local_case: bool = True) -> str | None:
    """The canonical form, or None when ``raw`` is not an address (for look-ups that must simply not match)."""
    try:
        return canonical_email(raw, fold_local_case=fold_local_case)
    except InvalidEmail:
        return None
