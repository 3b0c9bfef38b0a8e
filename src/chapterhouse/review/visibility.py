"""What a reviewer may see of a proposal: the one place that decides it.

Review pages never receive a Proposal; they receive a ``ProposalForReviewer`` built here. Under a
double-blind call it holds no author names, affiliations or e-mails, and the attachment is served under a
neutral name (``FMS-0007-attachment.docx``) as a new file written from what was read of the author's
(:mod:`chapterhouse.review.blind_copy`: text, notes, tables and pictures' pixels; a PDF's pages only), with the
authors' names, addresses and affiliations in a Word file's text replaced by "[author]". Under single-blind
the names and affiliations are shown, never the e-mail addresses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404

from chapterhouse.review.blind_copy import CopyNotWritten, reviewer_copy
from chapterhouse.review.models import ReviewAssignment
from chapterhouse.review.states import DECLINED, WITHDRAWN
from chapterhouse.screening.identities import identity_pattern


@dataclass(frozen=True)
class AuthorForReviewer:
    name: str
    affiliation: str


@dataclass(frozen=True)
class ProposalForReviewer:
    reference: str
    title: str
    abstract: str
    keywords: tuple[str, ...]
    theme: str
    double_blind: bool
    authors: tuple[AuthorForReviewer, ...]
    attachment_name: str  # "" when there is no attachment


def assignment_for_reviewer(user, pk: int) -> ReviewAssignment:
    """The reviewer's own live assignment, or 404 (another reviewer's, a withdrawn one or a guess)."""
    item = get_object_or_404(ReviewAssignment.objects.select_related("proposal__call", "proposal__theme"), pk=pk)
    if item.reviewer_id != user.pk or item.status in (WITHDRAWN,):
        raise Http404("No such assignment.")
    return item


def proposal_for_reviewer(item: ReviewAssignment) -> ProposalForReviewer:
    proposal = item.proposal
    double_blind = proposal.call.definition.review.double_blind
    authors = () if double_blind else tuple(AuthorForReviewer(a.name, a.affiliation) for a in proposal.authors.all())
    stored = getattr(proposal, "attachment", None)
    return ProposalForReviewer(
        reference=proposal.reference, title=proposal.title, abstract=proposal.abstract,
        keywords=tuple(proposal.keyword_list), theme=proposal.theme.name, double_blind=double_blind,
        authors=authors, attachment_name=f"{proposal.reference}-attachment.{stored.kind}" if stored else "",
    )


class AttachmentWithheld(Exception):
    """Under double-blind review the attachment could not be rewritten for reviewers, so none is given."""


def attachment_for_reviewer(item: ReviewAssignment) -> tuple[bytes, str, str]:
    """(bytes, file name, content type) as the reviewer may download them; declined assignments get nothing.

    Under double-blind review the reviewer never receives the author's file, only the copy chapterhouse writes
    from what it read of it (:func:`~chapterhouse.review.blind_copy.reviewer_copy`). A file that cannot be read
    for a copy is not served at all (:class:`AttachmentWithheld`, with the reason), rather than served as it came."""
    if item.status == DECLINED:
        raise Http404("You declined this assignment.")
    stored = getattr(item.proposal, "attachment", None)
    if stored is None:
        raise Http404("This proposal has no attachment.")
    with stored.file.open("rb") as handle:
        data = handle.read()
    view = proposal_for_reviewer(item)
    if view.double_blind:
        try:
            data = reviewer_copy(stored.kind, data, authors_identity(item.proposal)).data
        except CopyNotWritten as error:
            raise AttachmentWithheld(f"This attachment cannot be given to you: {error}. Ask the editors for the "
                                     "proposal's text.") from None
    return data, view.attachment_name, stored.content_type or "application/octet-stream"


def authors_identity(proposal) -> re.Pattern | None:
    """The identity pattern of a stored proposal's authors: names, addresses, affiliations and account names."""
    authors = list(proposal.authors.all())
    contact = getattr(proposal, "contact_user", None)
    return identity_pattern([a.name for a in authors], [a.email for a in authors], [a.affiliation for a in authors],
                            [contact.username] if contact is not None else [])
