"""The demo: one story told through the stages' own services (``story.py``: ordered steps keyed to the call's
milestones), run on each demo call to the point its clock has reached — the default call open for proposals
today, a call in its chapter stage, and a past call carried to its launch. One module per stage of the story.
Idempotent: a second run creates nothing twice."""
