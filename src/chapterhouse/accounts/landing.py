"""Where each person lands after logging in: the page of the role that has work for them.

A stage that builds a role's page adds one line (in its ``apps.py`` ``ready()``, or at import of its views)::

    from chapterhouse.accounts.landing import land
    land(REVIEWER, "review_home")

Roles are tried in ``ROLE_ORDER``; the first with a registered page wins. A signed-in person whose roles
have no page yet lands on ``waiting``, which says what will come to them and when (from the call's timeline).
"""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from chapterhouse.accounts.roles import AUTHOR, EDITOR, PRODUCTION, REVIEWER, SECURITY_REVIEWER, roles_of

# Most specific work first: an editor who also wrote a proposal lands on the desk.
ROLE_ORDER = [EDITOR, PRODUCTION, SECURITY_REVIEWER, REVIEWER, AUTHOR]

LANDING_PAGES: dict[str, str] = {EDITOR: "desk", AUTHOR: "my_proposals"}

# What each role without a page of its own is told, and the call milestone that says when.
WAITING_FOR = {
    REVIEWER: ("Proposals to review will be listed here once the call closes.", "proposals_close"),
    SECURITY_REVIEWER: ("The volume's chapters come to you for security and policy review.", "security_review_submission"),
    PRODUCTION: ("Line editing, galleys and proofs start once the chapters are cleared.", "line_editing_galleys"),
    AUTHOR: ("Your proposals and chapters will be listed here.", "authors_notified"),
    EDITOR: ("Proposals will be listed on the editors' desk.", "proposals_open"),
}


def land(role: str, url_name: str) -> None:
    """Registers ``url_name`` (a URL without arguments) as the page people with ``role`` land on."""
    LANDING_PAGES[role] = url_name


def home_for(user) -> str:
    """The URL ``user`` should see first: their role's page, a waiting page, or the public home page."""
    roles = roles_of(user)
    if not roles:
        return reverse("waiting") if getattr(user, "is_authenticated", False) else reverse("home")
    for role in ROLE_ORDER:
        if role in roles and role in LANDING_PAGES:
            try:
                return reverse(LANDING_PAGES[role])
            except NoReverseMatch:
                continue  # a registered page whose app is not installed here
    return reverse("waiting")
