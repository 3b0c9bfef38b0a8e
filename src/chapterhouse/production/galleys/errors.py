"""The one error a galley build raises for bad input: every problem, each naming its file or manifest field."""

from __future__ import annotations


class GalleyError(Exception):
    """Input the build cannot use. ``problems`` are sentences for the editor, not tracebacks."""

    def __init__(self, problems: list[str], heading: str = "Cannot build the galleys"):
        self.problems = list(problems)
        self.heading = heading
        super().__init__(f"{heading}: " + "; ".join(self.problems))
