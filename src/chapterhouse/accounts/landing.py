"""Where each person lands after logging in: their to-do page (``accounts/todo.py`` gathers every stage's items),
which links each of their roles' own page, registered here.

A stage that builds a role's page adds one line (in its ``apps.py`` ``ready()``, or at import of its views)::

    from chapterhouse.accounts.landing import land
    land(REVIEWER, "review_home")

Anyone with a role lands on ``todo``; the to-do page lists the roles in ``ROLE_ORDER`` and, for a role with
nothing to do yet, what will come to them and when (from the call's timeline). A signed-in person with no role
lands on ``waiting``.
"""

from __future__ import annotations

from django.urls import reverse

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
    """The URL ``user`` should see first: their to-do page, a waiting page, or the public home page."""
    roles = roles_of(user)
    if not roles:
        return reverse("waiting") if getattr(user, "is_authenticated", False) else reverse("home")
    return reverse("todo")

