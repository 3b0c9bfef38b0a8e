"""The demo: one story told through the stages' own services, run to two points — the default call brought to
today (proposals open, some reviewed, chapters under way) and a past call carried to its launch. One module per
stage of the story; ``story.seed_demo`` runs them in order. Idempotent: a second run creates nothing twice."""
