"""The life of a volume's publication: prepared by the editors, launched (its catalogue page public), and
withdrawn if it must come down. Plain Python; no Django."""

from chapterhouse.workflow.statemachine import StateMachine, Transition

PREPARING, LAUNCHED, WITHDRAWN = "preparing", "launched", "withdrawn"
EDITOR = frozenset({"editor"})

PUBLICATION_WORKFLOW = StateMachine(
    "publication",
    states={PREPARING: "Being prepared", LAUNCHED: "Launched", WITHDRAWN: "Withdrawn"},
    initial=PREPARING,
    transitions=[
        Transition(PREPARING, LAUNCHED, EDITOR, "Launch"),
        Transition(LAUNCHED, WITHDRAWN, EDITOR, "Withdraw", needs_reason=True),
        Transition(WITHDRAWN, LAUNCHED, EDITOR, "Launch again"),
    ],
)
