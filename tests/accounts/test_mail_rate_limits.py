"""Issue 18 §4: every public POST that sends mail is limited per client and per target address.

The probe sent 15 password-reset POSTs for one address from one client and 15 mails went out. Now the address's
count (CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS, over every public form together) and the client's count per form
(CHAPTERHOUSE_MAIL_RATE_PER_CLIENT) hold the rest back with a 429 that says when to try again and keeps what was
typed. The counts are the same for an address with no account, so the answer reveals nothing about accounts.
"""

import pytest
from django.urls import reverse

from chapterhouse.outbox.models import Message
from chapterhouse.proposals.models import Proposal
from tests.conftest import SAMPLE_ABSTRACT
from tests.proposals.test_propose_view import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rates(settings):
    settings.CHAPTERHOUSE_MAIL_RATE_PER_CLIENT = "10/h"
    settings.CHAPTERHOUSE_MAIL_RATE_PER_ADDRESS = "5/h"
    settings.CHAPTERHOUSE_SUBMISSION_RATE = "10/h"


def password_links() -> int:
    return Message.objects.filter(kind="account.password_link").count()


def reset(client, email, client_ip="203.0.113.7"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=client_ip)


def test_fifteen_resets_for_one_address_from_one_client_send_five_mails(client, people):
    codes = [reset(client, people["author_a"].email).status_code for _ in range(15)]
    assert codes == [302] * 5 + [429] * 10
    assert password_links() == 5


def test_the_refusal_says_when_to_try_again_and_keeps_the_address(client, people):
    for _ in range(5):
        reset(client, people["author_a"].email)
    response = reset(client, people["author_a"].email)
    page = response.content.decode()
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert "Too many password links" in page and "Nothing was sent" in page and "You can ask again from" in page
    assert f'value="{people["author_a"].email}"' in page


def test_one_address_from_many_clients_is_still_limited(client, people):
    codes = [reset(client, people["author_a"].email, f"198.51.100.{n}").status_code for n in range(8)]
    assert codes == [302] * 5 + [429] * 3 and password_links() == 5


def test_one_client_asking_for_many_addresses_is_limited(client, make_user):
    users = [make_user(f"person{n}") for n in range(12)]
    codes = [reset(client, user.email).status_code for user in users]
    assert codes == [302] * 10 + [429] * 2 and password_links() == 10


def test_an_address_without_an_account_is_counted_the_same(client, people):
    known = [reset(client, people["author_a"].email, "192.0.2.1").status_code for _ in range(6)]
    unknown = [reset(client, "nobody@example.org", "192.0.2.2").status_code for _ in range(6)]
    assert known == unknown == [302] * 5 + [429]


def test_another_spelling_of_an_address_shares_its_count(client, people):
    email = people["author_a"].email
    codes = [reset(client, spelling).status_code for spelling in [email, email.upper(), f" {email} "] * 2]
    assert codes == [302] * 5 + [429]


def test_proposal_receipts_to_one_address_are_limited_whichever_client_sends_them(client, call):
    url = reverse("propose", kwargs={"slug": call.slug})
    responses = []
    for n in range(6):
        data = form_data(**{"authors-1-email": f"co{n}@example.edu", "title": f"Technology release case {n}"})
        responses.append(client.post(url, data, REMOTE_ADDR=f"198.51.100.{n}"))
    assert [r.status_code for r in responses] == [302] * 5 + [429]
    assert Proposal.objects.count() == 5
    assert Message.objects.filter(kind="proposal.receipt", to__contains="jordan.ellis@example.edu").count() == 5
    page = responses[-1].content.decode()
    assert int(responses[-1]["Retry-After"]) > 0 and "Nothing was saved" in page and "jordan.ellis@example.edu" in page
    assert "Technology release case 5" in page and SAMPLE_ABSTRACT[:60] in page and "co5@example.edu" in page
