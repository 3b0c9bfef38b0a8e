"""Who may do what with one proposal. Every proposal view goes through here; nothing checks roles inline."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.accounts.roles import EDITOR, roles_of
from chapterhouse.proposals.models import Proposal

OWNER = "owner"


def proposal_roles(user, proposal: Proposal) -> set[str]:
    """Roles for this proposal: "editor" for volume editors, "owner" for its contact author."""
    roles = set()
    if EDITOR in roles_of(user):
        roles.add(EDITOR)
    if getattr(user, "is_authenticated", False) and proposal.contact_user_id == user.pk:
        roles.add(OWNER)
    return roles


def proposal_for(user, reference: str, *, allowed: set[str], queryset=None) -> Proposal:
    """The proposal if ``user`` holds one of ``allowed`` for it; otherwise 404, so others cannot learn it exists."""
    proposal = get_object_or_404(queryset if queryset is not None else Proposal.objects.all(), reference=reference)
    if not proposal_roles(user, proposal) & allowed:
        raise Http404("No such proposal.")
    return proposal
