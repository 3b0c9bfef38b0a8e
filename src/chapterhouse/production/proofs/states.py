"""The life of a proof round, of one chapter's proofs and of each correction. Plain Python; no Django.

Editors open a round on a galley build and close it; each chapter's author ("owner") approves their pages or
sends corrections; editors accept or reject each correction.
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

EDITOR, OWNER = frozenset({"editor"}), frozenset({"owner"})
OPEN, CLOSED = "open", "closed"
ROUND_WORKFLOW = StateMachine(
    "proof round", states={OPEN: "Open", CLOSED: "Closed"}, initial=OPEN,
    transitions=[Transition(OPEN, CLOSED, EDITOR, "Close the proof round")])

PENDING, APPROVED, CORRECTED = "pending", "approved", "corrected"
PROOF_WORKFLOW = StateMachine(
    "chapter proof",
    states={PENDING: "Waiting for the author", APPROVED: "Approved as it stands", CORRECTED: "Corrections sent"},
    initial=PENDING,
    transitions=[
        Transition(PENDING, APPROVED, OWNER, "Approve the proofs"),
        Transition(PENDING, CORRECTED, OWNER, "Send the corrections"),
        Transition(CORRECTED, PENDING, EDITOR, "Reopen for the author", needs_reason=True),
    ],
)

FILED, ACCEPTED, REJECTED = "filed", "accepted", "rejected"
CORRECTION_WORKFLOW = StateMachine(
    "correction",
    states={FILED: "Filed", ACCEPTED: "Accepted", REJECTED: "Rejected"},
    initial=FILED,
    transitions=[
        Transition(FILED, ACCEPTED, EDITOR, "Accept"),
        Transition(FILED, REJECTED, EDITOR, "Reject", needs_reason=True),
    ],
)
