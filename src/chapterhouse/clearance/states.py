"""The life of a clearance request and of each amendment it requires. Plain Python; no Django.

Roles: "editor" (volume editors prepare, submit and appeal), "security_reviewer" (records what the office
answered and each required change), "owner" (an author of the amended chapter).
"""

from chapterhouse.workflow.statemachine import Condition, StateMachine, Transition

PREPARED, SUBMITTED, IN_REVIEW = "prepared", "submitted", "in_review"
CLEARED, RECOMMENDATIONS, AS_AMENDED, OBJECTION, APPEALED = (
    "cleared", "cleared_recommendations", "cleared_as_amended", "objection", "appealed")
EDITOR, SECURITY, OWNER = frozenset({"editor"}), frozenset({"security_reviewer"}), frozenset({"owner"})
ANSWERS = {CLEARED: "Cleared", RECOMMENDATIONS: "Cleared with recommendations", AS_AMENDED: "Cleared as amended",
           OBJECTION: "Objection"}
CLEARED_STATES = frozenset({CLEARED, RECOMMENDATIONS, AS_AMENDED})


def _answers(source: str) -> list[Transition]:
    """The office's possible answers from ``source``, recorded by a security reviewer (or an editor)."""
    return [Transition(source, target, SECURITY | EDITOR, f"Record: {label.lower()}", needs_reason=target != CLEARED)
            for target, label in ANSWERS.items()]


READY_TO_SUBMIT = Condition(
    "Every chapter re-checked without problems, the DD 1910 filled in and the package built from what it carries",
    lambda request, context: context.get("blockers", []))

CLEARANCE_WORKFLOW = StateMachine(
    "clearance request",
    states={
        PREPARED: "Prepared",
        SUBMITTED: "Submitted",
        IN_REVIEW: "In review",
        **ANSWERS,
        APPEALED: "Appealed",
    },
    initial=PREPARED,
    transitions=[
        Transition(PREPARED, SUBMITTED, EDITOR, "Submit to the office", conditions=(READY_TO_SUBMIT,)),
        Transition(SUBMITTED, PREPARED, EDITOR, "Take back", needs_reason=True),
        Transition(SUBMITTED, IN_REVIEW, SECURITY | EDITOR, "Record that review started"),
        *_answers(IN_REVIEW),
        Transition(OBJECTION, APPEALED, EDITOR, "Appeal", needs_reason=True),
        *[t for t in _answers(APPEALED) if t.target != OBJECTION],
        Transition(APPEALED, OBJECTION, SECURITY | EDITOR, "Record: objection upheld", needs_reason=True),
    ],
)

REQUIRED, AMENDED, RETURNED, CONFIRMED = "required", "amended", "returned", "confirmed"

AMENDMENT_WORKFLOW = StateMachine(
    "amendment",
    states={REQUIRED: "Required", AMENDED: "Amended version uploaded", RETURNED: "Returned to the author",
            CONFIRMED: "Confirmed"},
    initial=REQUIRED,
    transitions=[
        Transition(REQUIRED, AMENDED, OWNER | EDITOR, "Upload the amended version"),
        Transition(RETURNED, AMENDED, OWNER | EDITOR, "Upload the amended version again"),
        Transition(AMENDED, CONFIRMED, SECURITY, "Confirm"),
        Transition(AMENDED, RETURNED, SECURITY, "Return to the author", needs_reason=True),
    ],
)
