"""An author's edits to their own proposal until the call closes: screened like the form, each one versioned.

Screening runs before anything is written: a marking refuses the edit and the proposal keeps its stored text.
A kept edit saves the answers it replaces as a ProposalVersion, applies the new ones, replaces the screening
results and records an audit row, all in one transaction.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from chapterhouse.call.timeline import format_date
from chapterhouse.proposals.attachments import AttachmentRefused, inspect_attachment
from chapterhouse.proposals.intake import Submission, store_screening, screen
from chapterhouse.proposals.models import Proposal, ProposalVersion, ScreeningResult
from chapterhouse.proposals.states import SUBMITTED
from chapterhouse.workflow.transitions import record_event

# What the form asked and an edit may change; the authors and the attachment stay as submitted.
EDITABLE = (
    "title", "abstract", "keywords", "builds_on_existing_work", "existing_work_details", "permission_status",
    "funding_requested", "funding_amount", "funding_justification", "access_requested", "access_offices",
    "access_reason",
)


REFUSED_EDIT = "Your edit was not saved and your proposal still holds its earlier text"


class EditClosed(Exception):
    """The proposal can no longer be edited; the message says why."""


@dataclass(frozen=True)
class EditWindow:
    open: bool
    closes_on: str = ""
    closed_on: str = ""
    why: str = ""


def edit_window(proposal: Proposal, today) -> EditWindow:
    """Open while the call takes proposals and the editors have not yet moved the proposal on."""
    call = proposal.call
    if today > call.closes_on:
        return EditWindow(False, closed_on=format_date(call.closes_on), why="the call closed")
    if proposal.status != SUBMITTED:
        return EditWindow(False, closed_on=format_date(timezone.localtime(proposal.status_changed_at).date())
                          if proposal.status_changed_at else format_date(call.closes_on),
                          why=f"the proposal is now “{proposal.status_label.lower()}”")
    if not call.accepting_proposals(today):
        return EditWindow(False)
    return EditWindow(True, closes_on=format_date(call.closes_on))


def answers_of(proposal: Proposal) -> dict:
    """The editable answers as JSON-safe values, with the theme by slug."""
    answers = {name: getattr(proposal, name) for name in EDITABLE}
    answers["funding_amount"] = str(proposal.funding_amount) if proposal.funding_amount is not None else None
    answers["theme"] = proposal.theme.slug
    return answers


def _stored_attachment(proposal: Proposal, rules) -> dict:
    """The stored attachment read back and inspected again, so the new screening covers it as the first did."""
    stored = getattr(proposal, "attachment", None)
    if stored is None:
        return {}
    with stored.file.open("rb") as handle:
        data = handle.read()
    try:
        inspected = inspect_attachment(stored.original_name, data, list(rules.attachment_formats),
                                       settings.CHAPTERHOUSE_MAX_UPLOAD_MB * 1024 * 1024)
    except AttachmentRefused:
        return {}
    return {"attachment_name": stored.original_name, "attachment_bytes": data, "inspected_attachment": inspected}


def edit_proposal(proposal: Proposal, edit: Submission, by, today) -> ProposalVersion:
    """Screens and applies ``edit`` (raises SubmissionRefused or EditClosed with nothing written)."""
    if not edit_window(proposal, today).open:
        raise EditClosed("This proposal can no longer be edited: " + (edit_window(proposal, today).why or "the call is not open") + ".")
    authors = [{k: getattr(a, k) for k in ("name", "email", "affiliation", "bio")} for a in proposal.authors.all()]
    edit = dataclasses.replace(edit, authors=authors, **_stored_attachment(proposal, proposal.call.definition.proposals))
    screening = screen(proposal.call, edit, refusal=REFUSED_EDIT)
    themes = {t.slug: t for t in proposal.call.themes.all()}
    with transaction.atomic():
        locked = Proposal.objects.select_for_update().select_related("call", "theme").get(pk=proposal.pk)
        if locked.status != SUBMITTED:
            raise EditClosed(f"This proposal can no longer be edited: it is now “{locked.status_label.lower()}”.")
        number = locked.versions.count() + 1
        version = ProposalVersion.objects.create(proposal=locked, number=number, answers=answers_of(locked), replaced_by=by)
        for name in EDITABLE:
            setattr(locked, name, getattr(edit, name))
        locked.theme = themes[edit.theme]
        if not edit.funding_requested:
            locked.funding_amount = None
        locked.attested_unclassified_at = timezone.now()
        locked.scope_flagged = bool(screening.scope_flags)
        fit = screening.theme_fit
        locked.suggested_theme = themes.get(fit.best.slug) if fit.suggests_other_theme else None
        locked.abstract_words = len(edit.abstract.split())
        locked.search_text = locked.build_search_text(list(locked.authors.all()))
        locked.save()
        ScreeningResult.objects.filter(proposal=locked).delete()
        store_screening(locked, screening, edit)
        record_event(locked, by, "Edited by the author",
                     f"The answers it replaced are kept as version {number}; screened again.")
    return version
