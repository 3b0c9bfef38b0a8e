"""Proof mail through the outbox, to stored addresses: authors, editors and (for flagged corrections) the
security reviewers."""

from __future__ import annotations

from django.conf import settings

from chapterhouse.accounts.roles import EDITOR, SECURITY_REVIEWER
from chapterhouse.clearance.notify import addresses_of, chapter_addresses


def _queue(template: str, context: dict, to, about) -> None:
    from chapterhouse.outbox.mail import queue_mail

    to = sorted({a for a in to if a})
    if to:
        queue_mail(f"proofs/email/{template}.txt", {**context, "base_url": settings.CHAPTERHOUSE_BASE_URL}, to,
                   about=about, kind=f"proofs.{template}")


def proofs_ready(round_) -> None:
    for proof in round_.proofs.select_related("chapter"):
        _queue("ready", {"round": round_, "chapter": proof.chapter}, chapter_addresses(proof.chapter), proof)


def proof_answered(proof) -> None:
    _queue("answered", {"proof": proof, "chapter": proof.chapter}, addresses_of(EDITOR), proof)


def flagged_for_security(proof, corrections) -> None:
    from chapterhouse.clearance.later_changes import cleared_request

    _queue("flagged", {"proof": proof, "chapter": proof.chapter, "corrections": corrections,
                       "cleared": cleared_request(proof.chapter)}, addresses_of(SECURITY_REVIEWER), proof)
