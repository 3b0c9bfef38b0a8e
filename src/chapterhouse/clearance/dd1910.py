"""The DD Form 1910 (Clearance Request for Public Release of Department of Defense Information) as data.

A press lists the form's fields in its call file (``[[clearance.form]]``); each field has a key, the label the
form prints, a help text, and where its first value comes from: a fact of the volume (``source = "title"``,
``"pages"``…) or ``"free"`` with an optional default ``value``. Editors then edit every value before the request
is submitted; the package carries the edited values. Plain Python; no Django.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator
from pydantic_core import PydanticCustomError

from chapterhouse.tomlschema import StrictModel

# What a field can be filled from; "free" fields start from their own ``value`` (often empty).
SOURCES = {
    "title": "the volume's title and subtitle",
    "pages": "the page count of the combined PDF",
    "subject": "the volume's themes",
    "authors": "every chapter's authors with their affiliation",
    "venue": "the publisher",
    "publication_date": "the launch milestone's date",
    "point_of_contact": "the first volume editor and organisation",
    "date_needed": "the line-editing milestone's date (when the cleared text is needed)",
    "free": "nothing: editors type it",
}
Source = Literal[tuple(SOURCES)]
Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class FormField(StrictModel):
    key: Key
    label: Text
    help: str = ""
    source: Source = "free"
    value: str = ""  # a free field's default text


DEFAULT_FORM = (
    FormField(key="request_type", label="1a. Type of document", value="Book manuscript (edited volume)",
              help="What is submitted: speech, article, book manuscript, website…"),
    FormField(key="title", label="1b. Title", source="title"),
    FormField(key="pages", label="1c. Page count", source="pages",
              help="Pages of the combined manuscript PDF in the package."),
    FormField(key="subject", label="1d. Subject area", source="subject"),
    FormField(key="authors", label="2. Author(s), office and agency", source="authors",
              help="Each author's name with their office or agency; one a line."),
    FormField(key="venue", label="3a. Publication venue", source="venue"),
    FormField(key="publication_date", label="3b. Publication date", source="publication_date"),
    FormField(key="point_of_contact", label="4. Point of contact (name, telephone)", source="point_of_contact",
              help="Add a telephone number: DOPSR calls it with questions."),
    FormField(key="prior_coordination", label="5. Prior coordination (name, agency, telephone)",
              help="Offices that have already reviewed the text, if any."),
    FormField(key="remarks", label="6. Remarks"),
    FormField(key="date_needed", label="7b. Clearance requested by (date)", source="date_needed"),
)


class ClearanceRules(StrictModel):
    """The call file's optional ``[clearance]`` table: where the manuscript goes and what the form asks."""

    office: Text = "Defense Office of Prepublication and Security Review (DOPSR)"
    # Duty days the office is given to answer; 30 is the editors' default for a book manuscript.
    lead_time_duty_days: Annotated[int, Field(ge=1, le=365)] = 30
    form: Annotated[list[FormField], Field(min_length=1)] = list(DEFAULT_FORM)

    @field_validator("form")
    @classmethod
    def _unique_keys(cls, fields: list[FormField]) -> list[FormField]:
        keys = [f.key for f in fields]
        for key in keys:
            if keys.count(key) > 1:
                raise PydanticCustomError("duplicate", "two fields share the key '{key}'", {"key": key})
        return fields


@dataclass(frozen=True)
class VolumeFacts:
    """What the volume knows that the form asks; the Django side gathers it from the call and the chapters."""

    title: str
    subtitle: str = ""
    publisher: str = ""
    subjects: tuple[str, ...] = ()
    authors: tuple[tuple[str, str], ...] = ()  # (name, affiliation), in the volume's order, each once
    contact: tuple[str, str] = ("", "")  # (name, organisation)
    pages: int | None = None
    publication_date: dt.date | None = None
    date_needed: dt.date | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _date(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def source_value(source: str, facts: VolumeFacts) -> str:
    """The text a field starts with when it is filled from ``source``."""
    if source == "title":
        return f"{facts.title}: {facts.subtitle}" if facts.subtitle else facts.title
    if source == "pages":
        return str(facts.pages) if facts.pages else ""
    if source == "subject":
        return "; ".join(facts.subjects)
    if source == "authors":
        return "\n".join(f"{name}, {office}" if office else name for name, office in facts.authors)
    if source == "venue":
        return facts.publisher
    if source == "publication_date":
        return _date(facts.publication_date)
    if source == "point_of_contact":
        return ", ".join(part for part in facts.contact if part)
    if source == "date_needed":
        return _date(facts.date_needed)
    return ""


def initial_values(fields: list[FormField] | tuple[FormField, ...], facts: VolumeFacts) -> dict[str, str]:
    """Every field's first value: the volume's fact, or a free field's default text."""
    return {f.key: facts.extra.get(f.key) or (f.value if f.source == "free" else source_value(f.source, facts))
            for f in fields}


def refill(fields, values: dict[str, str], facts: VolumeFacts) -> dict[str, str]:
    """Values with empty fact-sourced fields filled again (e.g. the page count once the PDF exists)."""
    fresh = initial_values(fields, facts)
    return {f.key: values.get(f.key, "").strip() or fresh[f.key] for f in fields}


def form_record(fields, values: dict[str, str]) -> list[dict[str, str]]:
    """The form as the package's JSON carries it: each field's key, label and value, in the form's order."""
    return [{"key": f.key, "label": f.label, "value": values.get(f.key, "")} for f in fields]


def missing(fields, values: dict[str, str], optional: frozenset[str] = frozenset({"prior_coordination", "remarks"})
            ) -> list[FormField]:
    """Fields still empty that the office will expect filled (prior coordination and remarks may stay empty)."""
    return [f for f in fields if f.key not in optional and not values.get(f.key, "").strip()]
