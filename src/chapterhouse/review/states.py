"""The life of a review assignment: assigned to a reviewer, then reviewed, declined or withdrawn.

"reviewer" is the assigned reviewer; "editor" a volume editor. Plain Python; no Django.
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

ASSIGNED, SUBMITTED, DECLINED, WITHDRAWN = "assigned", "submitted", "declined", "withdrawn"
EDITOR, REVIEWER = frozenset({"editor"}), frozenset({"reviewer"})

ASSIGNMENT_WORKFLOW = StateMachine(
    "review assignment",
    states={ASSIGNED: "Assigned", SUBMITTED: "Review submitted", DECLINED: "Declined by the reviewer",
            WITHDRAWN: "Withdrawn by the editors"},
    initial=ASSIGNED,
    transitions=[
        Transition(ASSIGNED, SUBMITTED, REVIEWER, "Submit review"),
        Transition(ASSIGNED, DECLINED, REVIEWER, "Decline", needs_reason=True),
        Transition(ASSIGNED, WITHDRAWN, EDITOR, "Withdraw", needs_reason=True),
        Transition(SUBMITTED, ASSIGNED, EDITOR, "Reopen", needs_reason=True),
    ],
)

OPEN = (ASSIGNED, SUBMITTED)  # assignments that count against a reviewer's load
