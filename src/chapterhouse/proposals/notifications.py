"""The mail a submission sets off: a receipt to every author, a set-password link for the contact, a note to editors.

Queued in the outbox inside the submission's transaction, so a stored proposal always has its mail.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.call.timeline import format_date
from chapterhouse.proposals.models import Proposal, ProposalAuthor, ScreeningResult
from chapterhouse.outbox.mail import queue_mail


def set_password_url(user, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url + reverse("password_set", kwargs={"uidb64": uid, "token": token})


def announce_submission(proposal: Proposal, base_url: str, authors: Sequence[ProposalAuthor],
                        screenings: Sequence[ScreeningResult]) -> None:
    """Queues the receipts and the editors' note; call inside the transaction that stores the proposal, with
    the author and screening rows it stored (not read back)."""
    authors = sorted(authors, key=lambda a: a.position)
    contact_user = proposal.contact_user
    notified = proposal.call.definition.milestone("authors_notified")
    context = {
        "contact_name": next((a.name for a in authors if a.is_contact), ""),
        "notified_by": format_date(notified.date, notified.precision) if notified else "",
        "proposal": proposal,
        "authors": authors,
        "call": proposal.call,
        "base_url": base_url,
        "status_url": base_url + reverse("my_proposal", kwargs={"reference": proposal.reference}),
    }
    for author in authors:
        extra = {"author": author, "is_contact": author.is_contact}
        to = author.email
        if author.is_contact:
            # The set-password link goes only to the address stored on the account, never to a typed one.
            to = contact_user.email
            extra["set_password_url"] = (
                None if contact_user.has_usable_password() else set_password_url(contact_user, base_url)
            )
            extra["login_url"] = base_url + reverse("login")
        queue_mail("proposals/email/receipt.txt", {**context, **extra}, [to], about=proposal,
                   kind="proposal.receipt")
    editors = editor_addresses()
    if editors:
        desk_url = base_url + reverse("desk_proposal", kwargs={"reference": proposal.reference})
        queue_mail("proposals/email/editors_new_proposal.txt", {**context, "desk_url": desk_url,
                   "screenings": sorted(screenings, key=lambda s: s.kind)},  # the model's own order
               editors, about=proposal, kind="proposal.new")


def editor_addresses() -> list[str]:
    return list(
        get_user_model().objects.filter(groups__name=EDITOR, is_active=True).exclude(email="").values_list("email", flat=True)
    )


def announce_withdrawal(proposal: Proposal, by) -> None:
    """Tells the editors an author withdrew; runs inside the withdrawal's transaction (via state_changed)."""
    from django.conf import settings

    from chapterhouse.workflow.transitions import history

    editors = editor_addresses()
    if not editors:
        return
    entries = history(proposal)
    last = entries[-1] if entries else None
    desk_url = settings.CHAPTERHOUSE_BASE_URL + reverse("desk_proposal", kwargs={"reference": proposal.reference})
    queue_mail("proposals/email/editors_withdrawn.txt",
               {"proposal": proposal, "by_name": (by.get_full_name() or by.get_username()) if by else "its author",
                "reason": last.reason if last and last.to_state == proposal.status else "", "desk_url": desk_url},
               editors, about=proposal, kind="proposal.withdrawn")
