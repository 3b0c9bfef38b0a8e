"""Registering the volume's DOIs with Crossref, and showing a DOI as a link only once Crossref registered it.

An editor asks for registration on the launch page (``request_registration``): the deposit file is written then
(the site's address is known in the request) and kept on a ``DOIDeposit`` with one ``DepositedDOI`` per DOI,
and the worker sends it (``SendDeposit``, a long job: never inside a request). Crossref processes deposits in a
queue, so the worker asks for the result every few minutes (``read_results``, ``launch/periodic.py``) until it
is complete, and marks each DOI registered or refused as the result says. Every step is audited, on the deposit
and on the publication's history.

Until then a DOI is plain text, "(registration pending)": ``registered_dois`` is the one answer to "does this DOI
resolve", read by the catalogue pages, citations, exports and the API (``registered_only``).
"""

from __future__ import annotations

import dataclasses
import secrets

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from chapterhouse.launch.metadata import deposit as client
from chapterhouse.launch.metadata.crossref import WithdrawnChapter, crossref_deposit
from chapterhouse.launch.metadata.record import VolumeRecord, chapter_doi
from chapterhouse.launch.models import DepositedDOI, DOIDeposit, Publication
from chapterhouse.launch.records import volume_record
from chapterhouse.launch.states import (DEPOSIT_FAILED, DEPOSIT_REGISTERED, DEPOSIT_SUBMITTED, LAUNCHED,
                                        WORKER)
from chapterhouse.outbox import jobs
from chapterhouse.workflow.transitions import record_creation, record_event, transition

REGISTERED = DepositedDOI.Outcome.REGISTERED


# -- what is registered ------------------------------------------------------------------------------------------

def registered_dois(publication: Publication) -> set[str]:
    """Every DOI of the publication that a Crossref result said was registered (DOIs compared without case)."""
    if not publication.pk:
        return set()
    return {doi.lower() for doi in DepositedDOI.objects.filter(deposit__publication=publication, outcome=REGISTERED)
            .values_list("doi", flat=True)}


def is_registered(doi: str, registered: set[str]) -> bool:
    return bool(doi) and doi.lower() in registered


def registered_only(record: VolumeRecord, registered: set[str]) -> VolumeRecord:
    """The record with every DOI Crossref has not registered left out, for what readers and reference managers
    follow (citations, exports, the API): a DOI that does not resolve is not given as one that does."""
    chapters = tuple(c if is_registered(c.doi, registered) else dataclasses.replace(c, doi="") for c in record.chapters)
    return dataclasses.replace(record, doi=record.doi if is_registered(record.doi, registered) else "",
                               chapters=chapters)


# -- the deposit file --------------------------------------------------------------------------------------------

def withdrawn_chapters(publication: Publication, base_url: str) -> tuple[WithdrawnChapter, ...]:
    """Chapter DOIs whose chapter left the book, each resolving to its notice page (which answers 410)."""
    call = publication.call
    prefix = call.definition.publication.doi_prefix
    return tuple(
        WithdrawnChapter(doi=chapter_doi(prefix, call.slug, d.number), title=d.title,
                         url=base_url + reverse("chapter_page", kwargs={"slug": call.slug, "number": d.number}),
                         notice=d.withdrawn_by.notice, withdrawn_on=timezone.localdate(d.withdrawn_by.published_at))
        for d in publication.dois.filter(withdrawn_by__isnull=False).select_related("withdrawn_by")) if prefix else ()


def deposit_file(publication: Publication, base_url: str, batch_id: str,
                 record: VolumeRecord | None = None) -> tuple[bytes, VolumeRecord, tuple[WithdrawnChapter, ...]]:
    """The Crossref deposit of the volume, its chapters and its withdrawn chapters; raises DepositError."""
    record = record or volume_record(publication, base_url)
    withdrawn = withdrawn_chapters(publication, base_url)
    depositor = publication.call.definition.publication
    return (crossref_deposit(record, depositor.depositor_name, depositor.depositor_email, batch_id,
                             withdrawn=withdrawn), record, withdrawn)


def new_batch_id(publication: Publication) -> str:
    return f"{publication.call.slug[:60]}-{timezone.now():%Y%m%d%H%M%S}-{secrets.token_hex(3)}"


# -- asking for registration -------------------------------------------------------------------------------------

class RegistrationRefused(Exception):
    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def endpoint(url: str | None = None) -> client.Endpoint:
    return client.Endpoint(url or settings.CHAPTERHOUSE_CROSSREF_URL, settings.CHAPTERHOUSE_CROSSREF_LOGIN,
                           settings.CHAPTERHOUSE_CROSSREF_PASSWORD)


def registration_problems(publication: Publication) -> list[str]:
    problems = []
    if publication.status != LAUNCHED:
        problems.append("The book is not launched: its DOIs would lead to a page the public cannot see.")
    if not settings.CHAPTERHOUSE_CROSSREF_LOGIN or not settings.CHAPTERHOUSE_CROSSREF_PASSWORD:
        problems.append("No Crossref login is set: the site's administrator sets CHAPTERHOUSE_CROSSREF_LOGIN and "
                        "CHAPTERHOUSE_CROSSREF_PASSWORD (see docs/deploy.md).")
    if publication.deposits.filter(status__in=[DOIDeposit.workflow.initial, DEPOSIT_SUBMITTED]).exists():
        problems.append("A deposit is already on its way: wait for Crossref's result.")
    return problems


def request_registration(publication: Publication, base_url: str, by) -> DOIDeposit:
    """Writes the deposit, records it and hands it to the worker; raises RegistrationRefused (or DepositError
    from the file) naming what stops it, and then records nothing."""
    problems = registration_problems(publication)
    if problems:
        raise RegistrationRefused(problems)
    batch_id = new_batch_id(publication)
    xml, record, withdrawn = deposit_file(publication, base_url, batch_id)
    with transaction.atomic():
        deposit = DOIDeposit.objects.create(publication=publication, batch_id=batch_id, xml=xml.decode(),
                                            endpoint=settings.CHAPTERHOUSE_CROSSREF_URL, requested_by=by)
        DepositedDOI.objects.bulk_create(
            [DepositedDOI(deposit=deposit, doi=record.doi, what="The book")]
            + [DepositedDOI(deposit=deposit, doi=c.doi, what=f"Chapter {c.number}: {c.title}"[:300])
               for c in record.chapters]
            + [DepositedDOI(deposit=deposit, doi=w.doi, what=f"Withdrawn chapter: {w.title}"[:300]) for w in withdrawn])
        record_creation(deposit, by, "Registration of the DOIs requested", why=f"{len(record.chapters) + 1} DOIs, "
                        f"{len(withdrawn)} withdrawn, to {deposit.endpoint}")
        record_event(publication, by, "DOI registration requested", why=f"Crossref deposit {batch_id}")
        jobs.start(SEND_DEPOSIT, deposit, by)
    return deposit


# -- the worker: sending, then reading the result ----------------------------------------------------------------

class SendDeposit(jobs.LongJob):
    model = DOIDeposit
    noun = "Crossref deposit"

    def run(self, deposit: DOIDeposit, attempt: jobs.Attempt) -> str:
        try:
            said = client.upload(endpoint(deposit.endpoint), deposit.filename, deposit.xml.encode())
        except (client.DepositRefused, client.DepositUnreachable) as error:
            raise jobs.JobFailed([str(error)]) from error
        with attempt.committing():
            DOIDeposit.objects.filter(pk=deposit.pk).update(sent_at=timezone.now(), receipt=said)
            transition(deposit, DEPOSIT_SUBMITTED, None, WORKER, said)
            record_event(deposit.publication, None, "Crossref deposit sent", why=f"{deposit.batch_id}: {said}")
        return DEPOSIT_SUBMITTED

    def queued_again(self, deposit: DOIDeposit, why: str, by, roles) -> None:
        record_event(deposit, by, "Sending again", why=why)

    def failed(self, deposit: DOIDeposit, problems: list[str]) -> None:
        why = " ".join(problems)
        DOIDeposit.objects.filter(pk=deposit.pk).update(problem=why)
        deposit.outcomes.filter(outcome=DepositedDOI.Outcome.PENDING).update(
            outcome=DepositedDOI.Outcome.REFUSED, message="Not sent: " + why)
        transition(deposit, DEPOSIT_FAILED, None, WORKER, why)
        record_event(deposit.publication, None, "Crossref deposit not sent", why=f"{deposit.batch_id}: {why}")


SEND_DEPOSIT = jobs.register(SendDeposit)


def read_result(deposit: DOIDeposit) -> str:
    """Asks Crossref for the deposit's result; once it is complete, marks each DOI as the result says and moves
    the deposit to registered (every DOI) or not registered. Returns the deposit's state afterwards."""
    now = timezone.now()
    try:
        result, body = client.result(endpoint(deposit.endpoint), deposit.batch_id)
    except (client.DepositRefused, client.DepositUnreachable) as error:
        DOIDeposit.objects.filter(pk=deposit.pk).update(checked_at=now, problem=f"The result could not be read: {error}")
        return deposit.status
    if not result.completed:
        DOIDeposit.objects.filter(pk=deposit.pk).update(checked_at=now, problem="")
        return deposit.status
    said = {r.doi.lower(): r for r in result.records}
    with transaction.atomic():
        locked = DOIDeposit.objects.select_for_update().get(pk=deposit.pk)
        if locked.status != DEPOSIT_SUBMITTED:
            return locked.status  # another worker read it first
        for outcome in locked.outcomes.all():
            record = said.get(outcome.doi.lower())
            outcome.outcome = (REGISTERED if record and record.registered else DepositedDOI.Outcome.REFUSED)
            outcome.message = record.message if record else "Crossref's result does not mention this DOI."
            outcome.save(update_fields=["outcome", "message"])
        DOIDeposit.objects.filter(pk=locked.pk).update(checked_at=now, problem="", result_xml=body.decode("utf-8", "replace"),
                                                       submission_id=result.submission_id[:40])
        outcomes = list(locked.outcomes.values_list("outcome", flat=True))
        done = sum(o == REGISTERED for o in outcomes)
        summary = f"{done} of {len(outcomes)} DOIs registered (submission {result.submission_id or '—'})"
        target = DEPOSIT_REGISTERED if done == len(outcomes) else DEPOSIT_FAILED
        transition(locked, target, None, WORKER, summary)
        record_event(locked.publication, None, "Crossref result read", why=f"{locked.batch_id}: {summary}")
    return target


def read_results() -> dict[str, str]:
    """Every sent deposit's result, read once (the worker runs this every few minutes)."""
    return {d.batch_id: read_result(d) for d in DOIDeposit.objects.filter(status=DEPOSIT_SUBMITTED)
            .select_related("publication")}
