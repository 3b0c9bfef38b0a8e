"""Whether a SECRET_KEY is strong enough to sign sessions and password-reset links in production.

Plain Python, imported by the settings before Django is configured.
"""

from __future__ import annotations

import math
from collections import Counter

MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 12
MIN_ENTROPY_BITS = 200  # estimated from the key's own character frequencies


def weak_secret_key_problem(key: str) -> str:
    """Why ``key`` is too weak, or "" when it will do."""
    if len(key) < MIN_LENGTH:
        return f"it is {len(key)} characters long; use at least {MIN_LENGTH}."
    if key.startswith("django-insecure"):
        return "it is Django's insecure development key."
    if (key + key).find(key, 1) < len(key):
        return "it is one short pattern repeated."
    counts = Counter(key)
    if len(counts) < MIN_UNIQUE_CHARACTERS:
        return f"it uses only {len(counts)} different characters."
    bits = -sum(n * math.log2(n / len(key)) for n in counts.values())
    if bits < MIN_ENTROPY_BITS:
        return f"it holds about {bits:.0f} bits of randomness; at least {MIN_ENTROPY_BITS} are needed (a random key)."
    return ""
