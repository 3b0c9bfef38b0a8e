"""The call for proposals as data: one TOML file, validated into frozen objects every stage reads.

Another press runs its own call by writing such a file; nothing about the default call is in code.
Validation errors name the field by its path (``themes[2].max_chapters``, indexes counting from 0) and say
what is wrong, so an editor can fix the file without reading this module. Plain Python: no Django here.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, field_validator, model_validator
from pydantic_core import PydanticCustomError

from chapterhouse.clearance.dd1910 import ClearanceRules
from chapterhouse.production.galleys.manifest import isbn_is_valid
from chapterhouse.review.rules import ReviewRules
from chapterhouse.selection.rules import SelectionRules
from chapterhouse.tomlschema import Problem, SchemaFileError, StrictModel, load_toml, parse_toml

__all__ = ["CallDefinition", "CallFileError", "Problem", "load_call", "parse_call"]

SCHEMA_VERSION = 1

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Count = Annotated[int, Field(ge=0)]

MILESTONE_KINDS = (
    "proposals_open",
    "proposals_close",
    "authors_notified",
    "progress_reviews",
    "final_chapters_due",
    "editor_feedback",
    "revised_chapters_due",
    "security_review_submission",
    "line_editing_galleys",
    "galley_proofs",
    "launch",
)
MilestoneKind = Literal[MILESTONE_KINDS]  # a tuple subscript spells out every kind


class CallFileError(SchemaFileError):
    """A call file that cannot be used, with every problem found (not just the first)."""


def not_below(field: str, other: str, floor: int = 0):
    """A validator for a maximum: ``field`` must be at least ``other`` (and ``floor``), named in the message."""

    def check(cls, value: int, info) -> int:
        minimum = info.data.get(other)
        if minimum is not None and value < max(minimum, floor):
            raise PydanticCustomError("range", "must be an integer ≥ {other} ({minimum})",
                                      {"other": other, "minimum": max(minimum, floor)})
        return value

    return field_validator(field)(classmethod(check))


ORCID = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^(\d{4}-\d{4}-\d{4}-\d{3}[\dX])?$")]


class Editor(StrictModel):
    name: Text
    organisation: Text
    orcid: ORCID = ""  # e.g. "0000-0002-1825-0097", carried into ONIX and Crossref


class Theme(StrictModel):
    name: Text
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")] = ""
    introduction: Text
    questions: Annotated[list[Text], Field(min_length=1)]
    min_chapters: Count
    max_chapters: int

    _max_not_below_min = not_below("max_chapters", "min_chapters")

    @model_validator(mode="after")
    def _default_slug(self) -> Theme:
        if not self.slug:
            object.__setattr__(self, "slug", slugify(self.name))
        return self


class ExcludedTopic(StrictModel):
    """Something the call leaves out; ``terms`` are the phrases that show a proposal is about it."""

    topic: Text
    terms: Annotated[list[Text], Field(min_length=1)]


class Scope(StrictModel):
    focus: Text
    included: Annotated[list[Text], Field(min_length=1)]
    exclusion_statement: Text
    excluded: list[ExcludedTopic] = []


class ProposalRules(StrictModel):
    abstract_min_words: Count
    abstract_max_words: int
    max_keywords: Annotated[int, Field(ge=1)] = 8
    max_authors: Annotated[int, Field(ge=1)] = 6
    bio_max_words: Annotated[int, Field(ge=1)] = 150
    attachment_formats: list[Literal["docx", "pdf"]] = ["docx", "pdf"]
    existing_work_allowed: bool = True
    funding_available: bool = False
    official_access_available: bool = False
    attestation: Text

    _max_not_below_min = not_below("abstract_max_words", "abstract_min_words", floor=1)


LineSpacing = Literal["single", "one-and-a-half", "double"]
# For text other than body paragraphs: "same" as the body text's rule, "any" for not checked, or its own spacing.
OtherSpacing = Literal["same", "any", "single", "one-and-a-half", "double"]
SameOrAny = Literal["same", "any"]
Severity = Literal["error", "warning", "info", "off"]


Choice = typing.TypeVar("Choice")


class OtherText(StrictModel, typing.Generic[Choice]):
    """What applies to notes, headings, block quotations, bibliography, captions and table text, part by part:
    ``OtherText[OtherSpacing]`` for line spacing, ``OtherText[SameOrAny]`` for font size."""

    notes: Choice = "any"
    headings: Choice = "any"
    block_quotes: Choice = "any"
    bibliography: Choice = "any"
    captions: Choice = "any"
    tables: Choice = "any"


class SanitizationRules(StrictModel):
    """How serious each thing is that should not travel with a final manuscript ("off" to not report it)."""

    tracked_changes: Severity = "warning"
    comments: Severity = "warning"
    hidden_text: Severity = "warning"
    personal_metadata: Severity = "warning"
    external_links: Severity = "warning"
    embedded_objects: Severity = "warning"
    activex: Severity = "warning"
    alt_chunks: Severity = "warning"
    macros: Severity = "warning"


class ManuscriptRules(StrictModel):
    min_words: Count
    max_words: int
    notes_count: bool = True
    bibliography_counts: bool = True  # Word's own count includes it
    line_spacing: LineSpacing = "double"  # of body text
    font_size_pt: Annotated[float, Field(gt=0, le=72)] = 12  # of body text
    spacing: OtherText[OtherSpacing] = OtherText[OtherSpacing]()
    font_size: OtherText[SameOrAny] = OtherText[SameOrAny]()
    file_format: Literal["docx"] = "docx"
    citation_style: Literal["chicago-notes-bibliography", "chicago-author-date"] = "chicago-notes-bibliography"
    citation_edition: Literal[17, 18] = 17
    note_form: Literal["shortened", "full"] = "shortened"
    classification: Literal["unclassified-no-cui"] = "unclassified-no-cui"
    sanitization: SanitizationRules = SanitizationRules()
    statement: Text

    _max_not_below_min = not_below("max_words", "min_words", floor=1)

    @field_validator("font_size_pt", mode="before")
    @classmethod
    def _int_size_is_fine(cls, value):
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class Term(StrictModel):
    avoid: Text
    prefer: Text
    note: str = ""


class Reference(StrictModel):
    text: Text
    url: str = ""


class Milestone(StrictModel):
    kind: MilestoneKind
    date: dt.date
    label: Text
    # "month" when the call names only a month ("May 2024"); the date is then the month's first day.
    precision: Literal["day", "month"] = "day"
    note: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _plain_date(cls, value):
        if isinstance(value, dt.datetime):
            raise PydanticCustomError("date_only", "must be a date like 2024-01-15, without a time")
        return value


class ReminderRules(StrictModel):
    """When the worker reminds whoever owes a chapter's work: days before and after each deadline."""

    days_before: list[Annotated[int, Field(ge=1, le=365)]] = [14, 3]
    days_after: list[Annotated[int, Field(ge=1, le=365)]] = [1, 7]
    # A reminder missed (the worker was down) is still sent this many days late, unless a later one is due.
    catch_up_days: Annotated[int, Field(ge=0, le=60)] = 3


class LaunchEvent(StrictModel):
    title: str = ""
    starts: dt.datetime | None = None  # local time of the event, e.g. 2025-05-15T14:00:00
    place: str = ""
    url: str = ""
    details: str = ""


class Price(StrictModel):
    """What one format costs in one currency; no ``amount``: given free of charge."""

    format: Literal["print", "pdf", "epub"]
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] = "USD"  # ISO 4217
    amount: Annotated[Decimal, Field(ge=0, decimal_places=2)] | None = None

    @field_validator("amount", mode="before")
    @classmethod
    def _a_number(cls, value):
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return value
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise PydanticCustomError("amount", "must be a number like 24.95") from None


class Subject(StrictModel):
    """A subject code for booksellers' shelves: BISAC (e.g. "POL012000") or Thema (e.g. "JPS")."""

    scheme: Literal["BISAC", "Thema"]
    code: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[A-Z0-9][A-Z0-9.\-]{0,19}$")]
    heading: str = ""


class Publication(StrictModel):
    """How the finished volume is published: its identifiers, trim, metadata deposits and launch event.
    Every field has a default so a call file without this table stays valid."""

    doi_prefix: Annotated[str, StringConstraints(pattern=r"^(10\.\d{4,9})?$")] = ""  # e.g. "10.5555"
    isbn: str = ""  # the print edition's ISBN
    isbn_pdf: str = ""
    isbn_epub: str = ""
    prices: list[Price] = []  # per format; a digital format without one is free when downloads are open
    subjects: list[Subject] = []  # the first of each scheme is the main subject
    place: str = ""
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")] = "en-US"
    trim_width_in: Annotated[float, Field(gt=2, le=20)] = 6.0
    trim_height_in: Annotated[float, Field(gt=2, le=20)] = 9.0
    # Print: the bleed the printer asks for beyond the trim on every side, whether the interior PDF carries crop
    # marks (most print-on-demand printers refuse them), and the paper's pages per inch, which sets the spine
    # width (444 is a common 50 lb / 74 gsm white offset; 50 lb cream is about 434, 60 lb white about 400).
    bleed_in: Annotated[float, Field(ge=0, le=0.5)] = 0.125
    crop_marks: bool = False
    pages_per_inch: Annotated[int, Field(ge=100, le=2000)] = 444
    description: str = ""  # the catalogue's description of the book; the call's purpose when empty
    rights: str = ""
    disclaimer: str = ""  # the views-expressed statement; a standard one naming the publisher when empty
    depositor_name: str = ""  # Crossref deposit head
    depositor_email: str = ""
    launch_event: LaunchEvent = LaunchEvent()

    @field_validator("isbn", "isbn_pdf", "isbn_epub")
    @classmethod
    def _isbn_checksum(cls, value: str) -> str:
        if value and not isbn_is_valid(value):
            raise PydanticCustomError("isbn", "“{value}” is not a valid ISBN-10 or ISBN-13 (check digit)", {"value": value})
        return value

    @field_validator("trim_width_in", "trim_height_in", "bleed_in", mode="before")
    @classmethod
    def _int_is_fine(cls, value):
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value


class CallDefinition(StrictModel):
    schema_version: Literal[1] = Field(alias="schema")
    slug: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
    reference_prefix: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}$")]
    title: Text
    subtitle: str = ""
    publisher: Text
    purpose: Text
    audience: Text
    opportunities: str = ""
    editors: Annotated[list[Editor], Field(min_length=1)]
    themes: Annotated[list[Theme], Field(min_length=1)]
    scope: Scope
    proposals: ProposalRules
    manuscript: ManuscriptRules
    terminology: list[Term] = []
    references: list[Reference] = []
    milestones: Annotated[list[Milestone], Field(min_length=2)]
    reminders: ReminderRules = ReminderRules()
    publication: Publication = Publication()
    clearance: ClearanceRules = ClearanceRules()  # optional [clearance] table: security review and DD 1910
    review: ReviewRules = ReviewRules()  # optional [review] table: blindness, rubric, recommendations
    selection: SelectionRules = SelectionRules()  # optional [selection] table: size, budget, letters

    @field_validator("themes")
    @classmethod
    def _unique_theme_slugs(cls, themes: list[Theme]) -> list[Theme]:
        seen: set[str] = set()
        for theme in themes:
            if theme.slug in seen:
                raise PydanticCustomError("duplicate", "two themes share the slug {slug!r}", {"slug": theme.slug})
            seen.add(theme.slug)
        return themes

    @field_validator("milestones")
    @classmethod
    def _milestones_in_order(cls, milestones: list[Milestone]) -> list[Milestone]:
        kinds = [m.kind for m in milestones]
        for required in ("proposals_open", "proposals_close"):
            if required not in kinds:
                raise PydanticCustomError("missing_kind", "needs a milestone of kind {kind!r}", {"kind": required})
        for kind in set(kinds):
            if kinds.count(kind) > 1:
                raise PydanticCustomError("duplicate", "more than one milestone of kind {kind!r}", {"kind": kind})
        for earlier, later in zip(milestones, milestones[1:]):
            if later.date < earlier.date:
                raise PydanticCustomError(
                    "order",
                    "must be in date order: {later!r} ({later_date}) comes before {earlier!r} ({earlier_date})",
                    {"later": later.kind, "later_date": later.date.isoformat(), "earlier": earlier.kind,
                     "earlier_date": earlier.date.isoformat()},
                )
        return milestones

    # -- reading the call ---------------------------------------------------------------------------

    def milestone(self, kind: str) -> Milestone | None:
        return next((m for m in self.milestones if m.kind == kind), None)

    @property
    def opens_on(self) -> dt.date:
        return self.milestone("proposals_open").date

    @property
    def closes_on(self) -> dt.date:
        return self.milestone("proposals_close").date

    def accepting_proposals(self, today: dt.date) -> bool:
        return self.opens_on <= today <= self.closes_on

    def theme(self, slug: str) -> Theme | None:
        return next((t for t in self.themes if t.slug == slug), None)

    def shifted(self, days: int) -> CallDefinition:
        """The same call with every date in it moved by ``days`` (the milestones and the launch event): reusing a
        past call as a template, or the demo brought to today."""
        if not days:
            return self
        step = dt.timedelta(days=days)
        moved = [m.model_copy(update={"date": m.date + step}) for m in self.milestones]
        event = self.publication.launch_event
        if event.starts is not None:
            event = event.model_copy(update={"starts": event.starts + step})
        publication = self.publication.model_copy(update={"launch_event": event})
        return self.model_copy(update={"milestones": moved, "publication": publication})

    def days_to_open_on(self, day: dt.date) -> int:
        return (day - self.opens_on).days


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "theme"


def parse_call(text: str, source: str = "<call>") -> CallDefinition:
    return parse_toml(CallDefinition, text, source, error=CallFileError)


def load_call(path: str | Path) -> CallDefinition:
    return load_toml(CallDefinition, path, error=CallFileError)

