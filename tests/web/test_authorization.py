"""Site-wide URLs that belong to no stage: the favicon, for everyone."""

import pytest
from django.urls import reverse

from tests.matrix import WHO, assert_outcome

pytestmark = pytest.mark.django_db

MATRIX = {
    ("favicon", "get"): dict.fromkeys(WHO, 301),
}


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    response = getattr(client, method)(reverse(view))
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {view}")
