"""The life of a proposal, from the public form to the editors' decision. Plain Python; no Django.

"owner" is the proposal's contact author; "editor" is a volume editor. Later stages (selection, decision
letters) start from "accepted"; "alternate" waits for a place to open.
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

SUBMITTED, UNDER_REVIEW, ACCEPTED, DECLINED, WITHDRAWN = "submitted", "under_review", "accepted", "declined", "withdrawn"
ALTERNATE = "alternate"  # kept in reserve: accepted if a selected author drops out
EDITOR, OWNER = frozenset({"editor"}), frozenset({"owner"})

PROPOSAL_WORKFLOW = StateMachine(
    "proposal",
    states={
        SUBMITTED: "Submitted",
        UNDER_REVIEW: "Under review",
        ACCEPTED: "Accepted",
        DECLINED: "Declined",
        ALTERNATE: "Alternate",
        WITHDRAWN: "Withdrawn",
    },
    initial=SUBMITTED,
    transitions=[
        Transition(SUBMITTED, UNDER_REVIEW, EDITOR, "Start review"),
        Transition(SUBMITTED, DECLINED, EDITOR, "Decline without review", needs_reason=True),
        Transition(UNDER_REVIEW, ACCEPTED, EDITOR, "Accept"),
        Transition(UNDER_REVIEW, DECLINED, EDITOR, "Decline", needs_reason=True),
        Transition(UNDER_REVIEW, ALTERNATE, EDITOR, "Keep as alternate"),
        Transition(ALTERNATE, ACCEPTED, EDITOR, "Accept"),
        Transition(ALTERNATE, DECLINED, EDITOR, "Decline", needs_reason=True),
        Transition(ALTERNATE, UNDER_REVIEW, EDITOR, "Reconsider", needs_reason=True),
        Transition(ACCEPTED, UNDER_REVIEW, EDITOR, "Reconsider", needs_reason=True),
        Transition(DECLINED, UNDER_REVIEW, EDITOR, "Reopen", needs_reason=True),
        Transition(SUBMITTED, WITHDRAWN, EDITOR | OWNER, "Withdraw", reason_required_for=EDITOR),
        Transition(UNDER_REVIEW, WITHDRAWN, EDITOR | OWNER, "Withdraw", reason_required_for=EDITOR),
    ],
)
