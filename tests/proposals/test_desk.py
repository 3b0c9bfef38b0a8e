"""The editors' desk: filters, search, sort, the quota chart, the CSV export, a proposal's page and moves."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from chapterhouse.proposals.models import Proposal
from chapterhouse.proposals.states import ACCEPTED, UNDER_REVIEW
from chapterhouse.workflow.transitions import transition

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, people):
    client.force_login(people["editor"])
    return client


@pytest.fixture
def three(people, make_proposal):
    a = make_proposal(people["author_a"], title="Offsets and coproduction after Ukraine", theme="industry",
                      abstract="Offsets and coproduction with allies expand the defense industrial base. " * 15)
    b = make_proposal(people["author_b"], title="Direct commercial sales compared", theme="partnership",
                      abstract="Direct commercial sales are faster. DCS licensing differs. DCS helps partners. " * 10)
    c = make_proposal(people["author_a"], title="=HYPERLINK(\"http://evil\") Technology release reform", theme="process")
    return a, b, c


def rows(response):
    return [r.strip() for r in response.content.decode().split('<td class="ref">')[1:]]


def test_list_shows_every_proposal_with_authors_and_flags(editor_client, call, three):
    page = editor_client.get(reverse("desk_list", args=[call.slug])).content.decode()
    for proposal in three:
        assert proposal.reference in page
    assert "3 proposals." in page
    assert '<span class="flag">scope</span>' in page  # the direct commercial sales proposal


@pytest.mark.parametrize("query,expected", [
    ({"theme": "industry"}, ["FMS-0001"]),
    ({"flag": "scope"}, ["FMS-0002"]),
    ({"q": "coproduction allies"}, ["FMS-0001"]),
    ({"q": "author_b"}, ["FMS-0002"]),
    ({"status": "accepted"}, []),
    ({"sort": "title"}, ["FMS-0003", "FMS-0002", "FMS-0001"]),
    ({"sort": "oldest"}, ["FMS-0001", "FMS-0002", "FMS-0003"]),
])
def test_filters_search_and_sort(editor_client, call, three, query, expected):
    response = editor_client.get(reverse("desk_list", args=[call.slug]), query)
    assert [r[r.index(">") + 1:r.index("</a>")] for r in rows(response)] == expected


def test_unknown_filter_values_are_ignored_with_a_note(editor_client, call, three):
    page = editor_client.get(reverse("desk_list", args=[call.slug]), {"status": "lost", "sort": "random"}).content.decode()
    assert "Ignored unknown status “lost”." in page and "3 proposals." in page


def test_the_chart_counts_proposals_and_accepted_against_quotas(editor_client, call, three, people):
    transition(three[0], UNDER_REVIEW, people["editor"], {"editor"})
    transition(three[0], ACCEPTED, people["editor"], {"editor"})
    page = editor_client.get(reverse("desk_list", args=[call.slug])).content.decode()
    assert 'aria-label="Industry: 1 proposals, 1 accepted; quota 3 to 5 chapters"' in page
    assert 'aria-label="Law and Policy: 0 proposals, 0 accepted; quota 3 to 5 chapters"' in page


def test_csv_export_has_every_filtered_row_and_defuses_formulas(editor_client, call, three):
    response = editor_client.get(reverse("desk_csv", args=[call.slug]), {"sort": "reference"})
    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode())))
    assert table[0][:3] == ["reference", "submitted", "status"]
    assert [r[0] for r in table[1:]] == ["FMS-0001", "FMS-0002", "FMS-0003"]
    assert table[3][5].startswith("'=HYPERLINK")
    filtered = editor_client.get(reverse("desk_csv", args=[call.slug]), {"theme": "industry"})
    assert len(list(csv.reader(io.StringIO(filtered.content.decode())))) == 2


def test_the_proposal_page_shows_everything_submitted_screening_and_history(editor_client, three):
    page = editor_client.get(reverse("desk_proposal", args=[three[1].reference])).content.decode()
    for text in ("Direct commercial sales compared", "Classification and CUI markings", "No classification or CUI markings found",
                 "May centre on what the call excludes", "Direct commercial sales", "Theme fit", "Submitted through the proposal form",
                 "Start review", "Decline without review", "Unclassified, no CUI"):
        assert text in page, text


def test_an_editor_moves_a_proposal_and_the_history_records_why(editor_client, three):
    url = reverse("desk_transition", args=[three[0].reference])
    editor_client.post(url, {"to": "under_review"})
    response = editor_client.post(url, {"to": "declined", "reason": "Outside the volume's scope."}, follow=True)
    three[0].refresh_from_db()
    assert three[0].status == "declined"
    page = response.content.decode()
    assert "is now “Declined”" in page and "Outside the volume&#x27;s scope." in page
    assert "Under review → Declined" in page


def test_a_move_that_needs_a_reason_is_refused_without_one(editor_client, three):
    response = editor_client.post(reverse("desk_transition", args=[three[0].reference]), {"to": "declined"}, follow=True)
    three[0].refresh_from_db()
    assert three[0].status == "submitted"
    assert "needs a reason" in response.content.decode()


def test_an_impossible_move_is_refused_with_a_message(editor_client, three):
    response = editor_client.post(reverse("desk_transition", args=[three[0].reference]), {"to": "accepted"}, follow=True)
    assert "cannot go from “Submitted” to “Accepted”" in response.content.decode()


def test_the_list_uses_the_same_number_of_queries_for_5_and_60_proposals(editor_client, call, people, make_proposal):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(reverse("desk_list", args=[call.slug])).status_code == 200
        return len(queries)

    for n in range(5):
        make_proposal(people["author_a"], title=f"Proposal {n}")
    few = count_queries()
    for n in range(55):
        make_proposal(people["author_b"], title=f"More {n}")
    assert Proposal.objects.count() == 60
    assert count_queries() == few
