"""The life of a copyedit round. Plain Python; no Django.

Production uploads the copyedited chapter (tracked changes and queries expected); the chapter's author
("owner") approves it or answers the queries; production answers with a revised copyedit.
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

WITH_AUTHOR, ANSWERED, APPROVED = "with_author", "answered", "approved"
PRODUCTION, OWNER = frozenset({"production", "editor"}), frozenset({"owner"})

COPYEDIT_WORKFLOW = StateMachine(
    "copyedit",
    states={WITH_AUTHOR: "With the author", ANSWERED: "Queries answered", APPROVED: "Approved"},
    initial=WITH_AUTHOR,
    transitions=[
        Transition(WITH_AUTHOR, APPROVED, OWNER, "Approve the copyedit"),
        Transition(WITH_AUTHOR, ANSWERED, OWNER, "Answer the queries", needs_reason=True),
        Transition(ANSWERED, WITH_AUTHOR, PRODUCTION, "Send the revised copyedit"),
    ],
)
