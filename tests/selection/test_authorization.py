"""Who gets what in selection: the editors' selection, decision and letter pages × every role, and the
author's own decision letter (another author's is a 404, as is anyone else's)."""

import pytest
from django.urls import reverse

from tests.fixtures.review import review_world  # noqa: F401  (fixture)
from tests.matrix import LOGIN, WHO, assert_outcome

pytestmark = pytest.mark.django_db

EDITOR_ONLY = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN}

MATRIX = {
    ("selection_page", "get"): {**EDITOR_ONLY, "editor": 200},
    ("selection_run", "post"): {**EDITOR_ONLY, "editor": 302},
    ("selection_mark", "post"): {**EDITOR_ONLY, "editor": 302},
    ("selection_commit", "post"): {**EDITOR_ONLY, "editor": 302},
    ("selection_letters_schedule", "post"): {**EDITOR_ONLY, "editor": 302},
    ("decision_edit", "get"): {**EDITOR_ONLY, "editor": 200},
    ("decision_letter_action", "post"): {**EDITOR_ONLY, "editor": 302},
    ("my_decision", "get"): {**dict.fromkeys(WHO, 404), "anonymous": LOGIN, "author_a": 200},
}


def url_for(name, world):
    proposal, call = world["proposal"], world["proposal"].call
    kwargs = {
        "selection_page": {"slug": call.slug}, "selection_run": {"slug": call.slug},
        "selection_mark": {"slug": call.slug}, "selection_letters_schedule": {"slug": call.slug},
        "selection_commit": {"slug": call.slug, "number": world["selection_run"].number},
    }.get(name) or {"reference": proposal.reference}
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, people, review_world, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    data = {"selection_mark": {"proposal": review_world["proposal"].reference, "kind": "pin"},
            "decision_letter_action": {"action": "send"}}.get(view, {})
    url = url_for(view, review_world)
    response = getattr(client, method)(url, data)
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")
