"""The life of a galley build, as the production page shows it. Plain Python; no Django.

A build is queued by production staff or an editor, run by the worker, and ends built or failed; a failed
build is kept (with its problems) and a new build is a new row, so every build stays on record. A build whose
worker died goes back to the queue (``outbox/jobs.py`` takes it back); a failed one can be tried again by the
people who may start builds, its failures staying in its history.
"""

from chapterhouse.workflow.statemachine import StateMachine, Transition

QUEUED, RUNNING, BUILT, FAILED = "queued", "running", "built", "failed"
WORKER = frozenset({"worker"})
STAFF = frozenset({"editor", "production"})

GALLEY_BUILD_WORKFLOW = StateMachine(
    "galley build",
    states={QUEUED: "Queued", RUNNING: "Building", BUILT: "Built", FAILED: "Failed"},
    initial=QUEUED,
    transitions=[
        Transition(QUEUED, RUNNING, WORKER, "Start"),
        Transition(RUNNING, BUILT, WORKER, "Finish"),
        Transition(RUNNING, FAILED, WORKER, "Fail"),
        Transition(QUEUED, FAILED, WORKER, "Fail"),
        Transition(RUNNING, QUEUED, WORKER, "Take back from a stopped worker"),
        Transition(FAILED, QUEUED, STAFF, "Try again"),
    ],
)
