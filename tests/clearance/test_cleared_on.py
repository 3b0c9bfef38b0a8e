"""The date the office cleared the manuscript, kept on the request with its case number: the copyright page's
clearance statement prints both (issue 20)."""

import datetime as dt

import pytest
from django.urls import reverse

from chapterhouse.clearance.models import ClearanceRequest
from chapterhouse.production.publication.settings import clearance_statement
from chapterhouse.workflow.models import AuditEntry

pytestmark = pytest.mark.django_db

OFFICE = "Defense Office of Prepublication and Security Review (DOPSR)"


@pytest.fixture
def in_review(call, people, volume):
    from chapterhouse.clearance.prepare import start_request
    from chapterhouse.workflow.transitions import transition

    clearance = start_request(call, people["editor"])
    transition(clearance, "submitted", people["editor"], {"editor"}, context={"blockers": []})
    transition(clearance, "in_review", people["security"], {"security_reviewer"})
    return clearance


def test_recording_the_clearance_keeps_its_date_and_case_number(client, call, people, in_review):
    assert clearance_statement(call) == ""
    client.force_login(people["security"])
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "Date cleared (as the office's letter gives it)" in page
    client.post(reverse("clearance_move", args=[in_review.pk]),
                {"to": "cleared", "on": "2025-03-14", "office_reference": "25-SB-0142"})
    in_review.refresh_from_db()
    assert in_review.status == "cleared" and in_review.cleared_on == dt.date(2025, 3, 14)
    assert clearance_statement(call) == f"Cleared for public release by {OFFICE} (case number 25-SB-0142, March 14, 2025)."


def test_the_case_number_and_date_are_corrected_on_the_request_page_audited(client, call, people, in_review):
    client.force_login(people["security"])
    client.post(reverse("clearance_move", args=[in_review.pk]), {"to": "cleared", "on": "2025-03-14"})
    page = client.get(in_review.get_absolute_url()).content.decode()
    assert "Clearance record" in page and 'name="cleared_on"' in page
    response = client.post(reverse("clearance_record", args=[in_review.pk]),
                           {"office_reference": "25-SB-0199", "cleared_on": "2025-03-17"})
    assert response.status_code == 302
    in_review.refresh_from_db()
    assert (in_review.office_reference, in_review.cleared_on) == ("25-SB-0199", dt.date(2025, 3, 17))
    entry = AuditEntry.objects.get(action="Clearance record corrected")
    assert entry.actor == people["security"] and "25-SB-0199" in entry.reason
    assert "(case number 25-SB-0199, March 17, 2025)" in clearance_statement(call)


def test_a_request_not_yet_cleared_has_no_clearance_record_and_a_bad_date_is_named(client, call, people, in_review):
    client.force_login(people["editor"])
    client.post(reverse("clearance_record", args=[in_review.pk]),
                {"office_reference": "25-SB-0199", "cleared_on": "2025-03-17"})
    in_review.refresh_from_db()
    assert in_review.cleared_on is None and in_review.office_reference == ""
    ClearanceRequest.objects.filter(pk=in_review.pk).update(status="cleared")
    response = client.post(reverse("clearance_record", args=[in_review.pk]),
                           {"office_reference": "25-SB-0199", "cleared_on": "next week"}, follow=True)
    assert "Date cleared: Enter a date like 2025-03-01." in response.content.decode()
