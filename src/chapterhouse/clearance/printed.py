"""The papers a press signs and sends with the manuscript: the DD Form 1910 laid out like the form, and the cover
letter to the reviewing office, both PDFs typeset by the galleys' Typst runner.

The form's values are the request's (``ClearanceRequest.form_values``), by the keys of the call file's
``[[clearance.form]]``: a key the printed form has a box for fills that box (``KNOWN_KEYS``); any other field a press
adds is printed in block 6, Remarks, under its own label, so nothing the editors filled in is left off. The
signature and the date signed are left empty to sign. Plain Python; no Django.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources

from chapterhouse.production.galleys.typeset import typeset_document

# The call file's keys the printed form has a box for (block 6 prints every other one).
KNOWN_KEYS = frozenset({"request_type", "title", "pages", "subject", "authors", "venue", "publication_date",
                        "point_of_contact", "prior_coordination", "remarks", "date_needed"})
RECOMMENDATION = ("The information is technically accurate, contains no classified information and no controlled "
                  "unclassified information, and is recommended for public release.")
# A telephone number at the end of a point of contact ("Nathan Toronto, DSCU, +1 555 0100").
PHONE = re.compile(r"(?:,\s*|\s+)(?:tel\.?\s*|telephone\s*|phone\s*)?"
                   r"(\+?\(?\d[\d\s().-]{5,}\d(?:\s*(?:x|ext\.?)\s*\d+)?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Signer:
    """Who signs block 7 and the cover letter: the volume's first editor (the others sign the letter too)."""

    name: str
    organisation: str
    title: str = "Volume editor"


@dataclass(frozen=True)
class Papers:
    """What the form and the letter say beyond the form's values."""

    volume: str  # title and subtitle
    publisher: str
    office: str
    request: int
    editors: tuple[Signer, ...]
    on: dt.date  # the day the package is made: the letter's date
    follows_request: int | None = None
    enclosures: tuple[str, ...] = ()  # what the package holds, as the letter lists it
    labels: dict[str, str] = field(default_factory=dict)  # key → the call's label, for fields printed in remarks


def split_phone(text: str) -> tuple[str, str]:
    """(the rest, the telephone number) of a point of contact; the number is "" when none ends the text."""
    found = PHONE.search(text.strip())
    if found is None:
        return text.strip(), ""
    return text.strip()[:found.start()].strip(" ,;"), found.group(1).strip()


def _box(label: str, value: str = "", width: int = 1, sign: bool = False) -> dict:
    return {"label": label, "value": value, "width": width, "sign": sign}


def _authors(value: str) -> list[list[str]]:
    """Block 2's rows: each line of the authors field as (name, office and agency)."""
    rows = []
    for line in value.splitlines():
        name, _, office = line.strip().partition(", ")
        if name:
            rows.append([name, office])
    return rows


def form_layout(values: dict[str, str], papers: Papers) -> dict:
    """The DD 1910 as the Typst template sets it: the form's seven blocks, every box filled from ``values``."""
    def value(key: str) -> str:
        return values.get(key, "").strip()

    contact, phone = split_phone(value("point_of_contact"))
    signer = papers.editors[0] if papers.editors else Signer("", "")
    own_phone = phone if signer.name and signer.name.casefold() in contact.casefold() else ""
    others = [f"{papers.labels.get(key, key)}: {text.strip()}" for key, text in values.items()
              if key not in KNOWN_KEYS and text.strip()]
    remarks = "\n\n".join(part for part in [value("remarks"), *others] if part)
    reference = f"Clearance request {papers.request}" + (f", following request {papers.follows_request}"
                                                         if papers.follows_request else "")
    return {
        "title": f"DD Form 1910: {papers.volume}", "author": signer.name, "office": papers.office,
        "reference": reference,
        "blocks": [
            {"number": "1", "heading": "Document description", "rows": [
                [_box("a. Type", value("request_type"), 2), _box("b. Title", value("title"), 5)],
                [_box("c. Page count", value("pages"), 2), _box("d. Subject area", value("subject"), 5)]]},
            {"number": "2", "heading": "Author/speaker", "table": {
                "columns": ["a. Name", "b.–e. Rank, title, office and agency"], "rows": _authors(value("authors"))}},
            {"number": "3", "heading": "Presentation/publication data (date, place, event)", "rows": [
                [_box("a. Publication or event", value("venue"), 5),
                 _box("b. Date", value("publication_date"), 2)]]},
            {"number": "4", "heading": "Point of contact", "rows": [
                [_box("a. Name", contact, 5), _box("b. Telephone no.", phone, 2)]]},
            {"number": "5", "heading": "Prior coordination", "rows": [
                [_box("Name, office or agency, telephone no.", value("prior_coordination") or "None", 7)]]},
            {"number": "6", "heading": "Remarks", "rows": [[_box("", remarks, 7)]]},
            {"number": "7", "heading": "Recommendation of submitter's agency/department", "rows": [
                [_box("a. Recommendation", RECOMMENDATION, 5),
                 _box("b. Clearance is requested by", value("date_needed"), 2)],
                [_box("c. Name", signer.name, 3), _box("d. Title", signer.title, 2),
                 _box("e. Telephone no.", own_phone, 2)],
                [_box("f. Office and agency", signer.organisation, 7)],
                [_box("g. Signature", "", 5, sign=True), _box("h. Date signed", "", 2, sign=True)]]},
        ],
    }


def _day(text: str) -> str:
    """An ISO date as a letter writes it ("2025-05-01" → "1 May 2025"); other text as it is."""
    try:
        return dt.date.fromisoformat(text).strftime("%-d %B %Y")
    except ValueError:
        return text


def letter_layout(values: dict[str, str], papers: Papers) -> dict:
    """The cover letter: from the volume's editors to the office, naming the manuscript, its pages, what is
    enclosed and whom to call. Each paragraph is a list of (text, set in italics) runs."""
    contact = values.get("point_of_contact", "").strip()
    pages = values.get("pages", "").strip()
    needed = _day(values.get("date_needed", "").strip())
    what = (f"a follow-up to request {papers.follows_request}, the texts added to or changed in the volume since, "
            if papers.follows_request else "the complete manuscript ")
    asking = [(f"On behalf of {papers.publisher}, we ask the {papers.office} to review for public release {what}"
               "of the edited volume ", False), (papers.volume, True),
              (f", {pages} pages as typeset." if pages else ".", False)]
    answer = (f"We would be grateful for the office's answer by {needed}, so that the cleared text can go to "
              "copyediting and galleys. " if needed else "") + (
        f"Our point of contact for this request is {contact}." if contact else "")
    return {
        "title": f"Cover letter: {papers.volume}", "author": ", ".join(e.name for e in papers.editors),
        "date": papers.on.strftime("%-d %B %Y"), "office": papers.office, "publisher": papers.publisher,
        "subject": f"Request for security and policy review: {papers.volume}",
        "paragraphs": [p for p in [
            asking,
            [("Every chapter's final version was checked against the volume's rules before it was sent: for "
              "classification and controlled unclassified information markings, tracked changes, comments, hidden "
              "text and personal metadata.", False)],
            [(answer, False)] if answer else [],
            [("Every file in the package is listed with its SHA-256 checksum in SHA256SUMS, so that the files can "
              "be checked with sha256sum -c.", False)],
        ] if p],
        "enclosures": list(papers.enclosures),
        "reference": f"Clearance request {papers.request}",
        "signers": [{"name": e.name, "organisation": e.organisation} for e in papers.editors],
    }


def _template(name: str) -> str:
    return resources.files("chapterhouse.clearance").joinpath(f"templates/clearance/print/{name}").read_text(
        encoding="utf-8")


def form_pdf(values: dict[str, str], papers: Papers) -> bytes:
    """The DD 1910 as a printable PDF (no form fields: it is printed, signed and scanned or sent as it is)."""
    return typeset_document(_template("dd1910.typ"), form_layout(values, papers), papers.on)


def letter_pdf(values: dict[str, str], papers: Papers) -> bytes:
    return typeset_document(_template("cover-letter.typ"), letter_layout(values, papers), papers.on)
