"""A small fixed-window rate limit, to slow down form spam and keep public forms from being used to flood an
inbox (:func:`limit_public_mail`).

Each key's count in the current window is a row of ``RateCount`` (``models.py``), shared by every server process
through the database: a counted request is one conditional UPDATE (two queries when it opens the window), exact
under concurrency. Django's database cache was the store before; it ran ``SELECT COUNT(*)`` over its table on
every write. The worker deletes the rows of ended windows (``periodic.py``).
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from chapterhouse.accounts.emails import canonical_or_none
from chapterhouse.web.models import RateCount

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()[:1]]


def allow(scope: str, key: str, rate: str) -> bool:
    """True while ``key`` has made fewer than the rate's count of calls in the current window."""
    limit, seconds = parse_rate(rate)
    if limit < 1:
        return False
    window = int(time.time() // seconds)
    row_key = f"{scope}:{key}:{window}"[:255]
    if _counted(row_key, limit):
        return True
    try:
        with transaction.atomic():  # the first request of the window
            RateCount.objects.create(key=row_key, count=1,
                                     expires_at=datetime.fromtimestamp((window + 1) * seconds, UTC))
        return True
    except IntegrityError:  # the row is there: at the limit, or another request opened the window just now
        return _counted(row_key, limit)


def _counted(row_key: str, limit: int) -> bool:
    """Adds one to the window's count if it is below ``limit``: one UPDATE, atomic in the database."""
    return bool(RateCount.objects.filter(key=row_key, count__lt=limit).update(count=F("count") + 1))


def sweep(now: datetime) -> int:
    """Deletes the counts of windows that have ended; returns how many."""
    return RateCount.objects.filter(expires_at__lt=now).delete()[0]


def seconds_until_reset(rate: str) -> int:
    """Seconds until the current window of ``rate`` ends and a blocked sender may try again."""
    _, seconds = parse_rate(rate)
    return max(1, int(seconds - time.time() % seconds))


def client_ip(request) -> str | None:
    """The client's address: REMOTE_ADDR, which waitress takes from the connection or, behind a trusted proxy
    (``chapterhouse serve --trusted-proxy``), from that proxy's X-Forwarded-For; never from a header a client
    could forge. The log-in lock-out (django-axes) reads it too."""
    return request.META.get("REMOTE_ADDR") or None


def client_address(request) -> str:
    return client_ip(request) or "unknown"


# --- public forms that send mail ------------------------------------------------------------------------------

MAIL_TO_SCOPE = "mail-to"  # one count per address, whichever public form asks to write to it


@dataclass(frozen=True)
class MailRefused:
    """A public request that would send mail, held back: by its client's count or by a target address's."""

    wait: int  # seconds until the window that refused it ends
    address: str  # the address whose count refused it; "" when it was the client's

    def again(self) -> str:
        """When the sender may try again, in words: "from 14:05 (Europe/London), in about 12 minutes"."""
        at = timezone.localtime() + timedelta(seconds=self.wait)
        minutes = max(1, round(self.wait / 60))
        return (f"from {at:%H:%M} ({timezone.get_current_timezone_name()}), "
                f"in about {minutes} minute{'s' if minutes > 1 else ''}")


def address_key(address: str) -> str:
    """The cache key part for an address: its canonical form (local part case folded), hashed."""
    canonical = canonical_or_none(address) or (address or "").strip().lower()
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


def limit_public_mail(request, scope: str, addresses: Iterable[str], client_rate: str | None = None) -> MailRefused | None:
    """Counts one request that sends mail and says whether it may: at most ``client_rate`` (default
    CHAPTERHOUSE_MAIL_RATE_PER_CLIENT) per client for this ``scope``, and at most CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS
    for each target address over every such form together (so no form can be used to flood someone's inbox):
    the public ones (password links, proposal receipts) and the co-author invitation, which can be repeated.

    Addresses are counted whether or not an account has them, so the answer reveals nothing about accounts."""
    client_rate = client_rate or settings.CHAPTERHOUSE_MAIL_RATE_PER_CLIENT
    if not allow(scope, client_address(request), client_rate):
        return MailRefused(seconds_until_reset(client_rate), "")
    address_rate = settings.CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS
    for address in dict.fromkeys(a for a in addresses if a):
        if not allow(MAIL_TO_SCOPE, address_key(address), address_rate):
            return MailRefused(seconds_until_reset(address_rate), address)
    return None
