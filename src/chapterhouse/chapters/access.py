"""Which chapters a person may see, and their roles for one chapter. Every chapter view goes through here."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.accounts.roles import EDITOR, PRODUCTION, SECURITY_REVIEWER, roles_of
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import FINAL

OWNER = "owner"
# Security reviewers and production staff see chapters once they reach their stage of the pipeline.
STAGE_STATES = {SECURITY_REVIEWER: {FINAL}, PRODUCTION: {FINAL}}


def chapters_for(user):
    """The one query for the chapters ``user`` may see: editors all, authors their own, later stages theirs."""
    if not getattr(user, "is_authenticated", False):
        return Chapter.objects.none()
    roles = roles_of(user)
    if EDITOR in roles:
        return Chapter.objects.all()
    states = set().union(*(STAGE_STATES.get(role, set()) for role in roles))
    from django.db.models import Q

    visible = Q(authors__user=user)
    if states:
        visible |= Q(status__in=states)
    return Chapter.objects.filter(pk__in=Chapter.objects.filter(visible).values("pk"))


def chapter_roles(user, chapter: Chapter) -> set[str]:
    """Roles for this chapter: "editor" for volume editors, "owner" for any of its authors with an account."""
    roles = set()
    if not getattr(user, "is_authenticated", False):
        return roles
    held = roles_of(user)
    if EDITOR in held:
        roles.add(EDITOR)
    if chapter.authors.filter(user=user).exists():
        roles.add(OWNER)
    for role, states in STAGE_STATES.items():
        if role in held and chapter.status in states:
            roles.add(role)
    return roles


def chapter_for(user, pk: int, *, allowed: set[str], queryset=None) -> Chapter:
    """The chapter if ``user`` holds one of ``allowed`` for it; otherwise 404, so others cannot learn it exists."""
    chapter = get_object_or_404(queryset if queryset is not None else Chapter.objects.select_related("call", "theme"),
                                pk=pk)
    roles = chapter_roles(user, chapter)
    if not roles & allowed:
        raise Http404("No such chapter.")
    chapter.viewer_roles = (getattr(user, "pk", None), chapter.status, frozenset(roles))  # for the page, once
    return chapter


def viewer_roles(user, chapter: Chapter) -> set[str]:
    """``chapter_roles``, from what ``chapter_for`` found when it read this chapter for this user (one query less)."""
    known = getattr(chapter, "viewer_roles", None)
    if known is not None and known[0] == getattr(user, "pk", None) and known[1] == chapter.status:
        return set(known[2])
    return chapter_roles(user, chapter)
