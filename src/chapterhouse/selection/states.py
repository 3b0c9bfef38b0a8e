"""The life of a decision letter: drafted with the decision, scheduled for the call's notification date (or
sent now), then sent by the worker; drafted again if the decision changes after it was sent. Plain Python; no Django.
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

DRAFT, SCHEDULED, SENT = "draft", "scheduled", "sent"
EDITOR, WORKER = frozenset({"editor"}), frozenset({"worker"})

LETTER_WORKFLOW = StateMachine(
    "decision letter",
    states={DRAFT: "Draft", SCHEDULED: "Scheduled", SENT: "Sent"},
    initial=DRAFT,
    transitions=[
        Transition(DRAFT, SCHEDULED, EDITOR, "Schedule"),
        Transition(SCHEDULED, DRAFT, EDITOR, "Back to draft"),
        Transition(DRAFT, SENT, EDITOR | WORKER, "Send"),
        Transition(SCHEDULED, SENT, EDITOR | WORKER, "Send"),
        # The decision changed after its letter went out (an alternate accepted on the desk): the author must hear
        # of the new one. What was sent stays in the proposal's mail history.
        Transition(SENT, DRAFT, EDITOR, "New decision: draft its letter", needs_reason=True),
    ],
)
