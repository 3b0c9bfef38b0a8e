"""Who gets what: every proposal view for anonymous visitors, two authors, a reviewer and an editor.

Author A owns the proposal under test. Another author's proposal must be invisible (404, not 403, so its
existence does not leak); the editors' desk is for editors only (403 for other signed-in people).
"""

import pytest
from django.urls import reverse

from chapterhouse.proposals.attachments import inspect_attachment
from tests.fixtures.files import word_file
from tests.matrix import LOGIN, WHO, assert_outcome

pytestmark = pytest.mark.django_db


# view name, method, expected outcome per person (an int status, or LOGIN for a redirect to the log-in page)
MATRIX = {
    ("home", "get"): dict.fromkeys(WHO, 302),
    ("call_page", "get"): dict.fromkeys(WHO, 200),
    ("call_calendar", "get"): dict.fromkeys(WHO, 200),
    ("propose", "get"): dict.fromkeys(WHO, 200),
    ("proposal_receipt", "get"): dict.fromkeys(WHO, 404),
    ("my_proposals", "get"): {**dict.fromkeys(WHO, 200), "anonymous": LOGIN},
    ("my_proposal", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200},
    ("my_proposal_edit", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200},
    ("my_proposal_edit", "post"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 400},  # empty form
    ("my_proposal_withdraw", "post"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 302},
    ("proposal_attachment", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200, "editor": 200},
    ("desk", "get"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302},
    ("desk_list", "get"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 200},
    ("desk_csv", "get"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 200},
    ("desk_proposal", "get"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 200},
    ("desk_transition", "post"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302},
    ("desk_mail_resend", "post"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302},
    ("desk_bulk", "get"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302},  # nothing chosen: the list
    ("desk_bulk", "post"): {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 302},
}


@pytest.fixture
def owned(people, make_proposal):
    outline = word_file("Outline")
    proposal = make_proposal(
        people["author_a"], attachment_name="outline.docx", attachment_bytes=outline,
        inspected_attachment=inspect_attachment("outline.docx", outline, ["docx"], 10**7),
    )
    make_proposal(people["author_b"], title="Author B's own proposal on offsets")
    return proposal


def url_for(name, call, proposal):
    kwargs = {
        "call_page": {"slug": call.slug}, "call_calendar": {"slug": call.slug}, "propose": {"slug": call.slug},
        "desk_list": {"slug": call.slug}, "desk_csv": {"slug": call.slug}, "desk_bulk": {"slug": call.slug},
    }.get(name)
    if kwargs is None and name in {"proposal_receipt", "my_proposal", "my_proposal_edit", "my_proposal_withdraw", "proposal_attachment",
                                   "desk_proposal", "desk_transition"}:
        kwargs = {"reference": proposal.reference}
    if name == "desk_mail_resend":
        from chapterhouse.outbox.mail import messages_about

        kwargs = {"reference": proposal.reference, "message_id": messages_about(proposal).first().pk}
    return reverse(name, kwargs=kwargs or {})


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, call, people, owned, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    url = url_for(view, call, owned)
    data = {"to": "under_review"} if view == "desk_transition" else {}
    response = getattr(client, method)(url, data)
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")



def test_an_author_lists_only_their_own_proposals(client, people, owned):
    client.force_login(people["author_b"])
    page = client.get(reverse("my_proposals")).content.decode()
    assert "Author B" in page and owned.title not in page


def test_only_editors_move_a_proposal_and_the_owner_may_only_withdraw(client, people, owned):
    client.force_login(people["author_a"])
    client.post(reverse("desk_transition", args=[owned.reference]), {"to": "accepted"})
    owned.refresh_from_db()
    assert owned.status == "submitted"
    client.post(reverse("my_proposal_withdraw", args=[owned.reference]), {"reason": "Found another venue.", "confirm": "yes"})
    owned.refresh_from_db()
    assert owned.status == "withdrawn"


def test_the_desk_csv_needs_the_editor_role_even_with_a_guessed_url(client, people, call):
    client.force_login(people["reviewer"])
    assert client.get(reverse("desk_csv", args=[call.slug])).status_code == 403
