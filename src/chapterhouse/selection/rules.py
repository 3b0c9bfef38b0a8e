"""The call file's optional ``[selection]`` table: the volume's size, a funding budget, and the decision
letters' templates with their merge fields. Plain Python; no Django.

A letter template is a subject and a body with merge fields written ``{{ field }}``; an unknown field is an
error in the call file (named by its path), never a blank in a letter an author reads. A paragraph whose merge
fields are all empty is left out, so one template reads well with and without reviewers' comments or the
editors' words: "What the reviewers wrote for you:\n{{ reviewer_comments }}" disappears when there are none.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from chapterhouse.tomlschema import StrictModel

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
MERGE_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")
MERGE_FIELDS = {
    "author_names": "every author's name, joined with “and”",
    "title": "the proposal's title",
    "reference": "the proposal's reference (FMS-0007)",
    "theme": "the theme's name",
    "decision": "the decision in words (Accepted, Accepted with revisions, …)",
    "message": "the editors' words to the author for this proposal",
    "reviewer_comments": "every reviewer's comments meant for the author, one after another",
    "next_deadline": "the author's next milestone and its date (an accepted author's; empty otherwise)",
    "chapter_url": "the address of the author's chapter page (where an accepted author uploads the chapter)",
    "call_url": "the address of the call's page (manuscript rules and timeline)",
    "call_title": "the call's title",
    "editors": "the volume editors' names",
}


def merge(template: str, values: dict[str, str]) -> str:
    """Fills ``{{ field }}`` from ``values``; plain substitution, no expressions, so a template runs no code."""
    return MERGE_FIELD.sub(lambda match: values.get(match.group(1), ""), template)


def merge_letter(template: str, values: dict[str, str]) -> str:
    """Merges a letter's body paragraph by paragraph, leaving out a paragraph whose merge fields are all empty,
    and ends every line without trailing space."""
    kept = []
    for paragraph in re.split(r"\n\s*\n", template.strip()):
        fields = MERGE_FIELD.findall(paragraph)
        if fields and not any(values.get(name, "").strip() for name in fields):
            continue
        kept.append("\n".join(line.rstrip() for line in merge(paragraph, values).strip().splitlines()))
    return "\n\n".join(kept) + "\n"


class LetterTemplate(StrictModel):
    subject: Text
    body: Text

    @field_validator("subject", "body")
    @classmethod
    def _known_fields(cls, text: str) -> str:
        for name in MERGE_FIELD.findall(text):
            if name not in MERGE_FIELDS:
                raise PydanticCustomError("merge_field", "unknown merge field {{{{ {name} }}}} (known: {known})",
                                          {"name": name, "known": ", ".join(sorted(MERGE_FIELDS))})
        return text


_CLOSING = "\n\nWith thanks for your proposal,\n{{ editors }}\n"
_LINKS = ("\n\nYour chapter's page, where you upload the chapter and see its deadlines: {{ chapter_url }}\n"
          "The call, with the manuscript rules and the timeline: {{ call_url }}")
DEFAULT_LETTERS = {
    "accept": LetterTemplate(
        subject="{{ reference }}: your proposal is accepted",
        body="Dear {{ author_names }},\n\nWe are delighted to accept your proposal “{{ title }}” for {{ call_title }}."
             "\n\n{{ message }}\n\nReviewers' comments:\n{{ reviewer_comments }}\n\nNext: {{ next_deadline }}." + _LINKS
             + _CLOSING),
    "accept_revisions": LetterTemplate(
        subject="{{ reference }}: your proposal is accepted with revisions",
        body="Dear {{ author_names }},\n\nWe are pleased to accept your proposal “{{ title }}” for {{ call_title }}, "
             "with the revisions below.\n\n{{ message }}\n\nReviewers' comments:\n{{ reviewer_comments }}\n\n"
             "Next: {{ next_deadline }}." + _LINKS + _CLOSING),
    "alternate": LetterTemplate(
        subject="{{ reference }}: your proposal is an alternate",
        body="Dear {{ author_names }},\n\nYour proposal “{{ title }}” is an alternate for {{ call_title }}: if a "
             "place opens in the theme “{{ theme }}”, we will write to you.\n\n{{ message }}\n\nReviewers' comments:\n"
             "{{ reviewer_comments }}" + _CLOSING),
    "decline": LetterTemplate(
        subject="{{ reference }}: the editors' decision on your proposal",
        body="Dear {{ author_names }},\n\nThank you for proposing “{{ title }}” for {{ call_title }}. We are sorry "
             "that we cannot include it in the volume.\n\n{{ message }}\n\nReviewers' comments:\n"
             "{{ reviewer_comments }}" + _CLOSING),
    "decline_without_review": LetterTemplate(
        subject="{{ reference }}: the editors' decision on your proposal",
        body="Dear {{ author_names }},\n\nThank you for proposing “{{ title }}” for {{ call_title }}. The editors read "
             "every proposal against the call's scope and themes before review; yours was not sent to reviewers, and "
             "we are sorry that we cannot include it in the volume.\n\n{{ message }}" + _CLOSING),
}


class Letters(StrictModel):
    accept: LetterTemplate = DEFAULT_LETTERS["accept"]
    accept_revisions: LetterTemplate = DEFAULT_LETTERS["accept_revisions"]
    alternate: LetterTemplate = DEFAULT_LETTERS["alternate"]
    decline: LetterTemplate = DEFAULT_LETTERS["decline"]
    # A decline before any reviewer read the proposal (on the desk): no reviews to quote, no "strong field".
    decline_without_review: LetterTemplate = DEFAULT_LETTERS["decline_without_review"]


class SelectionRules(StrictModel):
    max_total: Annotated[int, Field(ge=1)] | None = None  # default: the sum of the themes' maximums
    min_total: Annotated[int, Field(ge=0)] = 0  # the volume's minimum: a target for the solver, like the themes' minimums
    budget: Annotated[float, Field(ge=0)] | None = None
    one_per_contact: bool = True
    min_score: float | None = None
    letters: Letters = Letters()
