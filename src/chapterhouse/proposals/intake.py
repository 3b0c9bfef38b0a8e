"""Turns a valid, screened form into a stored proposal, an author account, and the mail that follows.

The order matters: screening runs first and a marking refuses the submission before any row or file is
written; then everything is saved in one transaction; mail is sent only once that transaction has committed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from chapterhouse.accounts.lookup import canonical, user_with_email
from chapterhouse.accounts.roles import AUTHOR, ensure_group
from chapterhouse.call.models import Call
from chapterhouse.proposals import notifications
from chapterhouse.proposals.attachments import CONTENT_TYPES
from chapterhouse.web.storage import files_kept_only_on_success
from chapterhouse.proposals.models import Attachment, Proposal, ProposalAuthor, ReferenceCounter, ScreeningResult
from chapterhouse.proposals.screening import (REFUSED_PROPOSAL, IntakeScreening, markings_refusal_message,
                                             screen_submission)
from chapterhouse.workflow.transitions import record_creation


class SubmissionRefused(Exception):
    """Screening found markings; nothing was stored. The message is for the person who submitted."""


@dataclass(frozen=True)
class Submission:
    """What the form collected, already validated, independent of Django's form classes."""

    title: str
    theme: str
    abstract: str
    keywords: str
    authors: list[dict]
    contact_index: int = 0
    builds_on_existing_work: bool = False
    existing_work_details: str = ""
    permission_status: str = ""
    funding_requested: bool = False
    funding_amount: object = None
    funding_justification: str = ""
    access_requested: bool = False
    access_offices: str = ""
    access_reason: str = ""
    attachment_name: str = ""
    attachment_bytes: bytes | None = None
    inspected_attachment: object = None
    token: str = ""  # the form's one-time token: a repeat of the same submission finds the first proposal

    def labelled_fields(self) -> dict[str, str]:
        return {
            "the description of existing work": self.existing_work_details,
            "the funding justification": self.funding_justification,
            "the offices requested": self.access_offices,
            "the reason for access": self.access_reason,
        }


def screen(call: Call, submission: Submission, refusal: str = REFUSED_PROPOSAL) -> IntakeScreening:
    result = screen_submission(
        call.definition,
        title=submission.title,
        abstract=submission.abstract,
        keywords=submission.keywords,
        chosen_theme=submission.theme,
        other_fields=submission.labelled_fields(),
        authors=submission.authors,
        attachment=submission.inspected_attachment,
        attachment_name=submission.attachment_name,
        attachment_bytes=submission.attachment_bytes,
    )
    if result.refused:
        raise SubmissionRefused(markings_refusal_message(result.refusing_hits, opening=refusal))
    return result


def submit_proposal(call: Call, submission: Submission, base_url: str) -> Proposal:
    """Screens, stores and announces a proposal; raises SubmissionRefused with nothing stored.

    A second POST of the same form (back and resubmit, a double click) carries the same token and returns the
    proposal the first one stored, with ``proposal.repeated`` set, and sends nothing again.
    """
    earlier = _earlier(submission)
    if earlier is not None:
        return earlier
    screening = screen(call, submission)
    try:
        # A file written for a submission whose transaction then fails is deleted, not left as an orphan.
        with files_kept_only_on_success(default_storage) as written, transaction.atomic():
            proposal, authors, screenings = _store(call, submission, screening, written)
            # Queued in the same transaction, from the rows just written rather than read back.
            notifications.announce_submission(proposal, base_url, authors, screenings)
    except IntegrityError:
        earlier = _earlier(submission)  # the same token won a race with this request
        if earlier is None:
            raise
        return earlier
    proposal.repeated = False
    return proposal


def _earlier(submission: Submission) -> Proposal | None:
    if not submission.token:
        return None
    proposal = Proposal.objects.filter(submission_token=submission.token).first()
    if proposal is not None:
        proposal.repeated = True
    return proposal


def next_number(call: Call) -> int:
    """The call's next proposal number, from a counter row locked until the transaction ends.

    Two submissions can never read the same value (the second waits for the first's commit), and a rolled-back
    submission rolls its increment back too, so numbers have no gaps and are never reused.
    """
    counter = ReferenceCounter.objects.select_for_update().filter(call=call).first()
    if counter is None:
        try:
            with transaction.atomic():
                ReferenceCounter.objects.create(call=call, last=call.proposals.aggregate(n=Max("number"))["n"] or 0)
        except IntegrityError:
            pass  # another submission created it first; lock theirs
        counter = ReferenceCounter.objects.select_for_update().get(call=call)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _store(call: Call, submission: Submission, screening: IntakeScreening,
           written: list[str]) -> tuple[Proposal, list[ProposalAuthor], list[ScreeningResult]]:
    """Stores the proposal; returns it with the author and screening rows stored for it."""
    contact = submission.authors[submission.contact_index]
    user = _author_account(contact)
    number = next_number(call)
    themes = {t.slug: t for t in call.themes.all()}
    proposal = Proposal(
        call=call,
        theme=themes[submission.theme],
        number=number,
        reference=f"{call.reference_prefix}-{number:04d}",
        title=submission.title,
        abstract=submission.abstract,
        keywords=submission.keywords,
        builds_on_existing_work=submission.builds_on_existing_work,
        existing_work_details=submission.existing_work_details,
        permission_status=submission.permission_status,
        funding_requested=submission.funding_requested,
        funding_amount=submission.funding_amount if submission.funding_requested else None,
        funding_justification=submission.funding_justification,
        access_requested=submission.access_requested,
        access_offices=submission.access_offices,
        access_reason=submission.access_reason,
        attested_unclassified_at=timezone.now(),
        contact_user=user,
        scope_flagged=bool(screening.scope_flags),
        suggested_theme=themes.get(screening.theme_fit.best.slug) if screening.theme_fit.suggests_other_theme else None,
        abstract_words=len(submission.abstract.split()),
        submission_token=submission.token or None,
    )
    authors = [
        ProposalAuthor(position=i, is_contact=(i == submission.contact_index), email=canonical(a["email"]),
                       **{k: a[k] for k in ("name", "affiliation", "bio")})
        for i, a in enumerate(submission.authors)
    ]
    proposal.search_text = proposal.build_search_text(authors)
    proposal.save()
    for author in authors:
        author.proposal = proposal
    ProposalAuthor.objects.bulk_create(authors)
    if submission.attachment_bytes is not None:
        written.append(_store_attachment(proposal, submission))
    screenings = store_screening(proposal, screening, submission)
    record_creation(proposal, user, "Submitted", "Submitted through the proposal form.")
    return proposal, authors, screenings


def _author_account(contact: dict):
    """The contact author's account: the one whose stored address is exactly this canonical address, or a new
    one without a password (they set one by a link sent to that stored address)."""
    User = get_user_model()
    email = canonical(contact["email"])
    user = user_with_email(email)
    if user is None:
        first, _, last = contact["name"].strip().partition(" ")
        username = base = email[:140]
        suffix = 1
        while User.objects.filter(username=username).exists():
            suffix += 1
            username = f"{base}-{suffix}"
        user = User(username=username, email=email, first_name=first[:150], last_name=last[:150])
        user.set_unusable_password()
        user.save()
    user.groups.add(ensure_group(AUTHOR))
    return user


def _store_attachment(proposal: Proposal, submission: Submission) -> str:
    """Stores the screened bytes under the type the server identified (never the browser's claim); returns the name."""
    data = submission.attachment_bytes
    kind = submission.inspected_attachment.kind
    attachment = Attachment(
        proposal=proposal,
        original_name=submission.attachment_name[:255],
        kind=kind,
        content_type=CONTENT_TYPES[kind],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
    )
    attachment.file.save(f"{attachment.sha256}.{kind}", ContentFile(data), save=False)
    attachment.save()
    return attachment.file.name


def _markings_result(proposal: Proposal, screening: IntakeScreening, scanned: str) -> ScreeningResult:
    """What the editors see of the marking scan: clear, or each doubtful hit with why it was not refused."""
    doubtful = screening.hits_for_editors
    if not doubtful:
        return ScreeningResult(proposal=proposal, kind=ScreeningResult.Kind.MARKINGS,
                               outcome=ScreeningResult.Outcome.CLEAR,
                               summary=f"No classification or CUI markings found ({scanned}).",
                               details={"passages_scanned": screening.places_scanned})
    listed = "; ".join(f"{hit.message()}: “{hit.excerpt}”" for hit in doubtful)
    return ScreeningResult(
        proposal=proposal, kind=ScreeningResult.Kind.MARKINGS, outcome=ScreeningResult.Outcome.FLAGGED,
        summary=(f"Not refused, but for the editors to judge (a marking discussed in prose, or what the text says "
                 f"about CUI): {listed} ({scanned}; the checker warns about the same passages)."),
        details={"passages_scanned": screening.places_scanned,
                 "doubtful": [{"rule": h.rule, "marking": h.marking, "location": h.location, "excerpt": h.excerpt,
                               "doubt": h.doubt} for h in doubtful]})


def store_screening(proposal: Proposal, screening: IntakeScreening, submission: Submission) -> list[ScreeningResult]:
    """Stores the screening's results for the proposal; returns them."""
    scanned = f"{screening.places_scanned} passages"
    if submission.inspected_attachment is not None:
        scanned += f", including {len(submission.inspected_attachment.blocks)} from the attachment"
    fit = screening.theme_fit
    results = [
        _markings_result(proposal, screening, scanned),
        ScreeningResult(
            proposal=proposal,
            kind=ScreeningResult.Kind.SCOPE,
            outcome=ScreeningResult.Outcome.FLAGGED if screening.scope_flags else ScreeningResult.Outcome.CLEAR,
            summary=(
                "May centre on what the call excludes: " + "; ".join(f.summary() for f in screening.scope_flags)
                if screening.scope_flags
                else "Nothing suggests it centres on a topic the call excludes."
            ),
            details={
                "flags": [
                    {"topic": f.topic, "in_title": f.in_title, "sentences": f.sentences, "share": round(f.share, 3),
                     "passages": list(f.passages)}
                    for f in screening.scope_flags
                ]
            },
        ),
        ScreeningResult(
            proposal=proposal,
            kind=ScreeningResult.Kind.THEME_FIT,
            outcome=ScreeningResult.Outcome.ADVICE,
            summary=fit.summary(),
            details={
                "chosen": fit.chosen,
                "suggests_other": fit.suggests_other_theme,
                "ranking": [{"slug": s.slug, "name": s.name, "score": s.score} for s in fit.ranking],
            },
        ),
    ]
    if screening.anonymity is not None:
        anonymity = screening.anonymity
        results.append(ScreeningResult(
            proposal=proposal,
            kind=ScreeningResult.Kind.ANONYMITY,
            outcome=ScreeningResult.Outcome.FLAGGED if anonymity.flagged else ScreeningResult.Outcome.CLEAR,
            summary=anonymity.summary(),  # computed from the reviewers' copy, not promised
            details={"places": list(anonymity.places), "reviewers_copy": anonymity.copy_note},
        ))
    return ScreeningResult.objects.bulk_create(results)
