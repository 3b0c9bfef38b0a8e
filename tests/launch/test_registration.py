"""Registering the DOIs with Crossref: the deposit client against a local stand-in that speaks the deposit
protocol (upload, then a result that is queued at first and then says Success or Failure per DOI), end to end
through the editors' button and the worker; a DOI is a link only once a result says it is registered; a chapter
taken out of the book is deposited as withdrawn, its DOI leading to the notice, and no other export lists it."""

from __future__ import annotations

import io
import json
import socket

import bibtexparser
import pytest
import rispy
from django.urls import reverse
from lxml import etree

from chapterhouse.launch.metadata import deposit as client_core
from chapterhouse.launch.models import ChapterDOI, DepositedDOI, DOIDeposit, Publication
from chapterhouse.launch.registration import SEND_DEPOSIT, read_results
from chapterhouse.outbox import jobs
from chapterhouse.outbox.models import Job
from chapterhouse.workflow.transitions import history

from tests.launch.crossref_server import LOGIN, PASSWORD
from tests.launch.test_gates import choose_build, launch, shorter_build

CR = {"c": "http://www.crossref.org/schema/5.3.1"}
PREFIX = "10.5555/dscu-fms-2024"


# -- the client alone --------------------------------------------------------------------------------------------

COMPLETED = b"""<?xml version="1.0" encoding="UTF-8"?>
<doi_batch_diagnostic status="completed" sp="cr5.crossref.org">
  <submission_id>1430450123</submission_id>
  <batch_id>fms-20250515</batch_id>
  <record_diagnostic status="Success"><doi>10.5555/fms</doi><msg>Successfully added</msg></record_diagnostic>
  <record_diagnostic status="Failure"><doi>10.5555/fms.ch01</doi>
    <msg>Record not processed because submitted version: 2025 is less or equal to previously submitted version</msg>
  </record_diagnostic>
  <batch_data><record_count>2</record_count><success_count>1</success_count><warning_count>0</warning_count>
    <failure_count>1</failure_count></batch_data>
</doi_batch_diagnostic>"""


def test_a_completed_result_gives_each_dois_outcome_and_the_submission_id():
    result = client_core.parse_result(COMPLETED)
    assert result.completed and result.submission_id == "1430450123" and result.batch_id == "fms-20250515"
    assert [(r.doi, r.registered) for r in result.records] == [("10.5555/fms", True), ("10.5555/fms.ch01", False)]
    assert result.records[1].message.startswith("Record not processed because submitted version")


def test_a_result_not_yet_processed_is_not_completed_and_anything_else_is_refused_with_what_it_was():
    queued = client_core.parse_result(b'<doi_batch_diagnostic status="queued"><submission_id>7</submission_id>'
                                      b'</doi_batch_diagnostic>')
    assert not queued.completed and queued.records == ()
    with pytest.raises(client_core.DepositRefused, match="not XML"):
        client_core.parse_result(b"<html><body>Service unavailable")
    with pytest.raises(client_core.DepositRefused, match="not a doi_batch_diagnostic but <html>"):
        client_core.parse_result(b"<html><body>Log in</body></html>")


def test_the_client_uploads_with_the_login_and_reads_the_result(crossref):
    xml = (f'<doi_batch xmlns="http://www.crossref.org/schema/5.3.1"><head><doi_batch_id>b-1</doi_batch_id></head>'
           f'<body><doi_data><doi>{PREFIX}</doi></doi_data></body></doi_batch>').encode()
    endpoint = client_core.Endpoint(crossref.url + "/", LOGIN, PASSWORD)
    assert "successfully received" in client_core.upload(endpoint, "b-1.xml", xml)
    assert crossref.submissions["b-1"].xml == xml
    assert not client_core.result(endpoint, "b-1")[0].completed  # queued at first
    done, body = client_core.result(endpoint, "b-1")
    assert done.completed and [r.doi for r in done.records if r.registered] == [PREFIX] and b"<batch_data>" in body


def test_a_wrong_login_is_refused_and_an_endpoint_that_does_not_answer_is_unreachable(crossref):
    with pytest.raises(client_core.DepositRefused, match=r"refused the login \(HTTP 401\).*Authentication failed"):
        client_core.upload(client_core.Endpoint(crossref.url, LOGIN, "wrong"), "x.xml", b"<doi_batch/>")
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    with pytest.raises(client_core.DepositUnreachable, match="could not be reached"):
        client_core.upload(client_core.Endpoint(f"http://127.0.0.1:{closed}", LOGIN, PASSWORD), "x.xml", b"<x/>",
                           timeout=5)
    assert crossref.uploads == 0


# -- end to end: the button, the worker, the pages ---------------------------------------------------------------

def register(client, people, call, capture):
    """The editor presses "Register DOIs"; the worker sends the deposit once the request's transaction commits."""
    client.force_login(people["editor"])
    with capture(execute=True):
        response = client.post(reverse("launch_register_dois", args=[call.slug]))
    assert response.status_code == 302 and response.url.endswith("#registration")
    client.logout()
    return DOIDeposit.objects.filter(publication__call=call).first()


def chapter_page(client, call, number):
    return client.get(reverse("chapter_page", args=[call.slug, number])).content.decode()


@pytest.mark.django_db
def test_dois_are_plain_text_until_crossref_registers_them_and_links_after(
        client, call, people, launched, crossref, django_capture_on_commit_callbacks):
    page = chapter_page(client, call, 1)
    assert f'{PREFIX}.ch01 <span class="muted">(registration pending)</span>' in page and "doi.org/" not in page
    api = client.get(reverse("api_volume", args=[call.slug])).json()
    assert api["doi"] is None and api["doi_pending"] == PREFIX and api["contents"][0]["doi_pending"] == f"{PREFIX}.ch01"
    assert "DO  -" not in client.get(reverse("chapter_citation", args=[call.slug, 1, "ris"])).content.decode()

    deposit = register(client, people, call, django_capture_on_commit_callbacks)
    assert deposit.status == "submitted" and "successfully received" in deposit.receipt and deposit.sent_at
    sent = crossref.submissions[deposit.batch_id]
    assert sent.xml == deposit.xml.encode()
    assert sorted(sent.dois) == sorted([PREFIX] + [f"{PREFIX}.ch0{n}" for n in (1, 2, 3)])
    assert jobs.latest_about(deposit).state == "done"
    assert "registration pending" in chapter_page(client, call, 1)  # sent is not registered

    assert read_results() == {deposit.batch_id: "submitted"}  # Crossref has it queued
    deposit.refresh_from_db()
    assert deposit.checked_at and set(deposit.outcomes.values_list("outcome", flat=True)) == {"pending"}

    assert read_results() == {deposit.batch_id: "registered"}
    deposit.refresh_from_db()
    assert deposit.submission_id == sent.submission_id and "<record_diagnostic" in deposit.result_xml
    assert set(deposit.outcomes.values_list("outcome", flat=True)) == {"registered"}
    assert [e.action for e in history(deposit)] == ["Registration of the DOIs requested", "Sent to Crossref",
                                                    "Crossref registered every DOI"]
    assert {"DOI registration requested", "Crossref deposit sent", "Crossref result read"} <= {
        e.action for e in history(launched)}
    assert read_results() == {}  # nothing left to ask about

    page = chapter_page(client, call, 1)
    assert f'<a href="https://doi.org/{PREFIX}.ch01">{PREFIX}.ch01</a>' in page and "registration pending" not in page
    assert f"https://doi.org/{PREFIX}.ch01." in page  # the citation gives it too
    volume = client.get(reverse("volume_page", args=[call.slug])).content.decode()
    assert f'<a href="https://doi.org/{PREFIX}">{PREFIX}</a>' in volume
    ris = rispy.load(io.StringIO(client.get(reverse("chapter_citation", args=[call.slug, 1, "ris"])).content.decode()))
    assert ris[0]["doi"] == f"{PREFIX}.ch01"
    api = client.get(reverse("api_volume", args=[call.slug])).json()
    assert api["doi"] == PREFIX and [c["doi"] for c in api["contents"]] == [f"{PREFIX}.ch0{n}" for n in (1, 2, 3)]

    client.force_login(people["editor"])
    manage = client.get(reverse("launch_manage", args=[call.slug])).content.decode()
    assert "Deposit " + deposit.batch_id in manage and f"Crossref submission {sent.submission_id}" in manage
    assert f"{PREFIX}.ch02 (Chapter 2:" in manage and "Successfully added" in manage


@pytest.mark.django_db
def test_a_doi_crossref_refuses_stays_unregistered_with_crossrefs_message(
        client, call, people, launched, crossref, django_capture_on_commit_callbacks):
    why = "Record not processed because submitted version: 20250515 is less or equal to previously submitted version"
    crossref.pending_reads = 0
    crossref.refuse = {f"{PREFIX}.ch02": why}
    deposit = register(client, people, call, django_capture_on_commit_callbacks)
    assert read_results() == {deposit.batch_id: "failed"}
    outcomes = dict(deposit.outcomes.values_list("doi", "outcome"))
    assert outcomes.pop(f"{PREFIX}.ch02") == "refused" and set(outcomes.values()) == {"registered"}
    assert deposit.outcomes.get(doi=f"{PREFIX}.ch02").message == why
    assert history(deposit)[-1].reason.startswith("3 of 4 DOIs registered")

    assert "registration pending" in chapter_page(client, call, 2)
    assert f'<a href="https://doi.org/{PREFIX}.ch01">' in chapter_page(client, call, 1)
    client.force_login(people["editor"])
    manage = client.get(reverse("launch_manage", args=[call.slug])).content.decode()
    assert "Not registered" in manage and why in manage and "Register DOIs</button>" in manage  # may send again


@pytest.mark.django_db
def test_a_deposit_crossref_will_not_take_fails_at_once_with_the_reason_and_registers_nothing(
        client, call, people, launched, crossref, settings, django_capture_on_commit_callbacks):
    settings.CHAPTERHOUSE_CROSSREF_PASSWORD = "not-the-password"
    deposit = register(client, people, call, django_capture_on_commit_callbacks)
    deposit.refresh_from_db()
    assert deposit.status == "failed" and "refused the login (HTTP 401)" in deposit.problem
    assert set(deposit.outcomes.values_list("outcome", flat=True)) == {"refused"} and crossref.uploads == 0
    assert jobs.latest_about(deposit).state == "failed"
    assert history(deposit)[-1].action == "Not sent" and read_results() == {}
    assert "registration pending" in chapter_page(client, call, 1)


@pytest.mark.django_db
def test_the_button_says_what_is_missing_and_sends_nothing(client, call, people, launched, settings,
                                                           django_capture_on_commit_callbacks):
    settings.CHAPTERHOUSE_CROSSREF_LOGIN = ""
    client.force_login(people["editor"])
    manage = client.get(reverse("launch_manage", args=[call.slug])).content.decode()
    assert "No Crossref login is set" in manage and "Register DOIs</button>" not in manage
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("launch_register_dois", args=[call.slug]), follow=True)
    assert "The DOIs were not sent: No Crossref login is set" in response.content.decode()
    assert not DOIDeposit.objects.exists() and not Job.objects.filter(kind=SEND_DEPOSIT.path).exists()


@pytest.mark.django_db
def test_a_second_deposit_waits_for_the_first(client, call, people, launched, crossref,
                                              django_capture_on_commit_callbacks):
    first = register(client, people, call, django_capture_on_commit_callbacks)
    client.force_login(people["editor"])
    response = client.post(reverse("launch_register_dois", args=[call.slug]), follow=True)
    assert "already on its way" in response.content.decode() and DOIDeposit.objects.get() == first


# -- a chapter taken out of a launched book (issue 17) ------------------------------------------------------------

@pytest.mark.django_db
def test_a_withdrawn_chapter_is_deposited_as_withdrawn_leading_to_its_notice_and_no_other_export_lists_it(
        client, call, people, launchable, crossref, django_capture_on_commit_callbacks):
    build = launchable["build"]
    client.force_login(people["editor"])
    choose_build(client, call, build)
    launch(client, call)
    removed = ChapterDOI.objects.get(number=2)
    notice = "Chapter 2 was withdrawn at the request of its author."
    client.post(reverse("launch_replace", args=[call.slug]), {"build": shorter_build(build, removed.chapter_id).pk,
                                                              "kind": "correction", "notice": notice})
    client.logout()
    assert Publication.objects.get(call=call).errata.count() == 1

    deposit = etree.fromstring(client.get(reverse("volume_metadata", args=[call.slug, "crossref"])).content)
    items = {i.findtext("c:doi_data/c:doi", namespaces=CR): i for i in deposit.iterfind(".//c:content_item", CR)}
    assert sorted(items) == [f"{PREFIX}.ch0{n}" for n in (1, 2, 3)]  # the withdrawn DOI is kept, and updated
    withdrawn = items[f"{PREFIX}.ch02"]
    assert withdrawn.findtext("c:titles/c:title", namespaces=CR) == f"WITHDRAWN: {removed.title}"
    assert withdrawn.findtext("c:doi_data/c:resource", namespaces=CR).endswith(
        reverse("chapter_page", args=[call.slug, 2]))
    assert notice in "".join(withdrawn.itertext()) and withdrawn.find("c:contributors", CR) is None
    assert client.get(reverse("chapter_page", args=[call.slug, 2])).status_code == 410  # the notice page

    csl = json.loads(client.get(reverse("volume_metadata", args=[call.slug, "csl"])).content)
    ris = client.get(reverse("volume_metadata", args=[call.slug, "ris"])).content.decode()
    bib = bibtexparser.parse_string(client.get(reverse("volume_metadata", args=[call.slug, "bibtex"])).content.decode())
    onix = client.get(reverse("volume_metadata", args=[call.slug, "onix"])).content.decode()
    api = client.get(reverse("api_volume", args=[call.slug])).json()
    for listing in (json.dumps(csl), ris, json.dumps([dict(e.fields_dict) for e in bib.entries], default=str), onix,
                    json.dumps(api)):
        assert removed.title not in listing and f"{PREFIX}.ch02" not in listing
    assert len(csl) == 3 and len(api["contents"]) == 2

    sent = register(client, people, call, django_capture_on_commit_callbacks)
    assert sent.outcomes.get(doi=f"{PREFIX}.ch02").what == f"Withdrawn chapter: {removed.title}"
    crossref.pending_reads = 0
    assert read_results() == {sent.batch_id: "registered"}
    assert DepositedDOI.objects.filter(deposit=sent, outcome="registered").count() == 4
