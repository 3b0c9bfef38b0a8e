"""The life of a proof round, of one chapter's proofs and of each correction. Plain Python; no Django.

Editors open a round on a galley build and close it; each chapter's author ("owner") approves their pages or
sends corrections, or an editor passes the pages without the author's answer (with the reason, kept in the
history); editors accept or reject each correction. A round closes only when every chapter is answered or
passed and every correction decided (the facts come from ``ProofRound.gate_context``).
"""

from chapterhouse.workflow.statemachine import Condition, StateMachine, Transition

EDITOR, OWNER = frozenset({"editor"}), frozenset({"owner"})
OPEN, CLOSED = "open", "closed"

PENDING, APPROVED, CORRECTED, PASSED = "pending", "approved", "corrected", "passed"
ANSWERED = frozenset({APPROVED, CORRECTED, PASSED})


def _every_chapter_answered(round_, context) -> list[str]:
    return [f"{title}: {authors or 'its authors'} {'has' if ',' not in authors else 'have'} not answered, and no "
            "editor has passed the pages with a reason." for title, authors in context.get("unanswered", [])]


def _every_correction_decided(round_, context) -> list[str]:
    return [f"{title}: the correction on {where} is not decided." for title, where in context.get("undecided", [])]


ROUND_CLOSE_CONDITIONS = (
    Condition("Every author has answered (approved or sent corrections) or an editor passed their pages, with the "
              "reason recorded", _every_chapter_answered),
    Condition("Every correction is accepted or rejected", _every_correction_decided),
)

ROUND_WORKFLOW = StateMachine(
    "proof round", states={OPEN: "Open", CLOSED: "Closed"}, initial=OPEN,
    transitions=[Transition(OPEN, CLOSED, EDITOR, "Close the proof round", conditions=ROUND_CLOSE_CONDITIONS)])

PROOF_WORKFLOW = StateMachine(
    "chapter proof",
    states={PENDING: "Waiting for the author", APPROVED: "Approved as it stands", CORRECTED: "Corrections sent",
            PASSED: "Passed by the editors without the author's answer"},
    initial=PENDING,
    transitions=[
        Transition(PENDING, APPROVED, OWNER, "Approve the proofs"),
        Transition(PENDING, CORRECTED, OWNER, "Send the corrections"),
        Transition(CORRECTED, PENDING, EDITOR, "Reopen for the author", needs_reason=True),
        Transition(PENDING, PASSED, EDITOR, "Pass without the author's answer", needs_reason=True),
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
