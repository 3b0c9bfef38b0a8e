"""Proof mail through the outbox, to stored addresses: authors, editors and (for flagged corrections) the
security reviewers."""

from __future__ import annotations

from chapterhouse.accounts.roles import EDITOR, SECURITY_REVIEWER
from chapterhouse.clearance.notify import addresses_of, chapter_addresses, mailer


_queue = mailer("proofs")


def proofs_ready(round_) -> None:
    for proof in round_.proofs.select_related("chapter"):
        _queue("ready", {"round": round_, "chapter": proof.chapter}, chapter_addresses(proof.chapter), proof)


def proof_answered(proof) -> None:
    _queue("answered", {"proof": proof, "chapter": proof.chapter}, addresses_of(EDITOR), proof)


def flagged_for_security(proof, corrections) -> None:
    from chapterhouse.clearance.later_changes import cleared_request

    _queue("flagged", {"proof": proof, "chapter": proof.chapter, "corrections": corrections,
                       "cleared": cleared_request(proof.chapter)}, addresses_of(SECURITY_REVIEWER), proof)
