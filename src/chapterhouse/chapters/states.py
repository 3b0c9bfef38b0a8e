"""The life of a chapter, from the author's first draft to the version the editors accept as final.
Plain Python; no Django.

"owner" is any author of the chapter with an account; "editor" is a volume editor. Later stages (security
review, line editing) start from "final".
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

WRITING, SUBMITTED, REVISING, FINAL, WITHDRAWN = "writing", "submitted", "revising", "final", "withdrawn"
EDITOR, OWNER = frozenset({"editor"}), frozenset({"owner"})

CHAPTER_WORKFLOW = StateMachine(
    "chapter",
    states={
        WRITING: "Being written",
        SUBMITTED: "With the editors",
        REVISING: "Being revised",
        FINAL: "Accepted as final",
        WITHDRAWN: "Withdrawn",
    },
    initial=WRITING,
    transitions=[
        Transition(WRITING, SUBMITTED, EDITOR | OWNER, "Send to the editors"),
        Transition(REVISING, SUBMITTED, EDITOR | OWNER, "Send the revision to the editors"),
        Transition(SUBMITTED, REVISING, EDITOR, "Ask for revisions"),
        Transition(SUBMITTED, FINAL, EDITOR, "Accept as final"),
        Transition(FINAL, REVISING, EDITOR, "Reopen for revision", needs_reason=True),
        Transition(WRITING, WITHDRAWN, EDITOR, "Withdraw", needs_reason=True),
        Transition(SUBMITTED, WITHDRAWN, EDITOR, "Withdraw", needs_reason=True),
        Transition(REVISING, WITHDRAWN, EDITOR, "Withdraw", needs_reason=True),
        Transition(WITHDRAWN, WRITING, EDITOR, "Reinstate", needs_reason=True),
    ],
)

# Who the chapter is waiting on in each state (the editors' board groups by this).
WAITING_ON = {WRITING: "author", SUBMITTED: "editors", REVISING: "author", FINAL: "", WITHDRAWN: ""}
