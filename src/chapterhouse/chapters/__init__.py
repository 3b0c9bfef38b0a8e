"""Chapters: the volume after selection — chapters, their authors, manuscript versions, feedback rounds,
deadlines and reminders (the "manuscripts" stage's web side; ``manuscripts/`` stays the plain-Python checker)."""
