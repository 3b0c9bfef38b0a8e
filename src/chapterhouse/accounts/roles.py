"""The people who work on a volume, as Django groups, and the checks every view uses to let them in."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.models import Group
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

EDITOR = "editor"
REVIEWER = "reviewer"
SECURITY_REVIEWER = "security_reviewer"
PRODUCTION = "production"
AUTHOR = "author"

ROLES = {
    EDITOR: "Volume editor",
    REVIEWER: "Reviewer",
    SECURITY_REVIEWER: "Security reviewer",
    PRODUCTION: "Production editor",
    AUTHOR: "Author",
}


def ensure_groups() -> dict[str, Group]:
    return {role: ensure_group(role) for role in ROLES}


def ensure_group(role: str) -> Group:
    """The one group a new account joins: one query, where ``ensure_groups()`` makes one per role."""
    return Group.objects.get_or_create(name=role)[0]


def roles_of(user) -> set[str]:
    """The user's roles, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_chapterhouse_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True)) & set(ROLES)
        if user.is_superuser:
            cached.add(EDITOR)
        user._chapterhouse_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles_of(user)


def role_required(*roles: str):
    """Anonymous visitors go to the log-in page; signed-in people without the role get a 403 page."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not roles_of(request.user) & set(roles):
                raise PermissionDenied("This page is for " + " or ".join(ROLES[r].lower() + "s" for r in roles) + ".")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
