"""The life of a volume's publication: prepared by the editors, launched (its catalogue page public), and
withdrawn if it must come down. Plain Python; no Django.

Launching (and launching again) needs what a press must be able to stand behind; the facts come from
``launch/gates.py`` through ``Publication.gate_context``. A launched volume's text then changes only through a
recorded correction or a new edition (``launch/ledger.py``), which must meet the same conditions.
"""

from chapterhouse.workflow.statemachine import Condition, StateMachine, Transition

PREPARING, LAUNCHED, WITHDRAWN = "preparing", "launched", "withdrawn"
EDITOR = frozenset({"editor"})


def _facts(key):
    return lambda publication, context: context.get(key, [])


LAUNCH_CONDITIONS = (
    Condition("A built galley build is chosen as the published book", _facts("build")),
    Condition("Every chapter, front matter and part introduction the build sets is cleared by the security review "
              "(cleared as amended only once every amendment is confirmed)", _facts("uncleared")),
    Condition("Every change to that text after clearance (copyedits, proof corrections, edits to front matter "
              "and part introductions) has been read by the security reviewer", _facts("unread")),
    Condition("The proofs are closed, every author answered or an editor passed their pages with a reason, and the "
              "build carries every accepted correction", _facts("proofs")),
)

PUBLICATION_WORKFLOW = StateMachine(
    "publication",
    states={PREPARING: "Being prepared", LAUNCHED: "Launched", WITHDRAWN: "Withdrawn"},
    initial=PREPARING,
    transitions=[
        Transition(PREPARING, LAUNCHED, EDITOR, "Launch", conditions=LAUNCH_CONDITIONS),
        Transition(LAUNCHED, WITHDRAWN, EDITOR, "Withdraw", needs_reason=True),
        Transition(WITHDRAWN, LAUNCHED, EDITOR, "Launch again", conditions=LAUNCH_CONDITIONS),
    ],
)

CORRECTION, EDITION = "correction", "edition"
CHANGE_KINDS = {CORRECTION: "Correction (errata)", EDITION: "New edition"}

# A Crossref deposit (``launch/registration.py``): queued by an editor, sent by the worker, then its result read
# by the worker until Crossref has processed it. Failed is final for that deposit; registering again is a new one.
DEPOSIT_QUEUED, DEPOSIT_SUBMITTED, DEPOSIT_REGISTERED, DEPOSIT_FAILED = "queued", "submitted", "registered", "failed"
WORKER = frozenset({"worker"})

DEPOSIT_WORKFLOW = StateMachine(
    "Crossref deposit",
    states={DEPOSIT_QUEUED: "Waiting to be sent", DEPOSIT_SUBMITTED: "Sent; waiting for Crossref's result",
            DEPOSIT_REGISTERED: "Registered", DEPOSIT_FAILED: "Not registered"},
    initial=DEPOSIT_QUEUED,
    transitions=[
        Transition(DEPOSIT_QUEUED, DEPOSIT_SUBMITTED, WORKER, "Sent to Crossref"),
        Transition(DEPOSIT_QUEUED, DEPOSIT_FAILED, WORKER, "Not sent"),
        Transition(DEPOSIT_SUBMITTED, DEPOSIT_REGISTERED, WORKER, "Crossref registered every DOI"),
        Transition(DEPOSIT_SUBMITTED, DEPOSIT_FAILED, WORKER, "Crossref refused some or all DOIs"),
    ],
)
