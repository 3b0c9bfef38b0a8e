"""Who gets what at launch: the catalogue, chapter pages, downloads, exports and API are public once a volume
is launched (and 404 before, except to editors); only editors manage and launch it."""

import pytest
from django.urls import reverse

from chapterhouse.launch import offprints
from chapterhouse.launch.models import Publication

from tests.matrix import LOGIN, WHO, assert_outcome

pytestmark = pytest.mark.django_db

PUBLIC = dict.fromkeys(WHO, 200)
EDITORS = {**dict.fromkeys(WHO, 403), "anonymous": LOGIN, "editor": 200}

MATRIX = {
    ("catalogue", "get"): PUBLIC,
    ("volume_page", "get"): PUBLIC,
    ("volume_cover", "get"): PUBLIC,
    ("volume_download", "get"): PUBLIC,
    ("volume_metadata", "get"): PUBLIC,
    ("chapter_page", "get"): PUBLIC,
    ("chapter_citation", "get"): PUBLIC,
    ("chapter_offprint", "get"): PUBLIC,
    ("launch_manage", "get"): EDITORS,
    ("launch_move", "post"): {**EDITORS, "editor": 302},
    ("launch_replace", "post"): {**EDITORS, "editor": 400},  # no build offered in this fixture: the form again
    ("launch_register_dois", "post"): {**EDITORS, "editor": 302},  # back to the launch page, saying what is missing
    ("api_docs", "get"): PUBLIC,
    ("api_catalogue", "get"): PUBLIC,
    ("api_volume", "get"): PUBLIC,
    ("api_contributors", "get"): PUBLIC,
}
# Before launch the public pages answer 404 to everyone but editors (their preview).
NOT_LAUNCHED = {"volume_page", "volume_cover", "volume_download", "volume_metadata", "chapter_page", "chapter_citation",
                "chapter_offprint", "api_volume", "api_contributors"}


def url_for(name, call):
    args = {"volume_download": [call.slug, "pdf"], "volume_metadata": [call.slug, "onix"],
            "chapter_page": [call.slug, 1], "chapter_citation": [call.slug, 1, "ris"],
            "chapter_offprint": [call.slug, 1]}.get(name)
    if name in {"catalogue", "api_docs", "api_catalogue"}:
        args = []
    return reverse(name, args=args if args is not None else [call.slug])


@pytest.fixture
def publication(call, stored_build):
    from chapterhouse.launch.ledger import show

    launched = Publication.objects.create(call=call, build=stored_build["build"], downloads_open=True,
                                          status="launched")
    show(launched)  # its chapters' DOIs, as launching records them
    offprints.bring_up_to_date(launched)  # as the worker makes them after launch
    return launched


@pytest.mark.parametrize("view,method", list(MATRIX))
@pytest.mark.parametrize("who", WHO)
def test_who_gets_what(client, call, people, publication, view, method, who):
    if who != "anonymous":
        client.force_login(people[who])
    url = url_for(view, call)
    data = {"launch_move": {"to": "withdrawn", "reason": "Recalled"},
            "launch_replace": {"kind": "correction", "notice": "A typo in chapter 1 corrected."}}.get(view, {})
    response = getattr(client, method)(url, data)
    assert_outcome(response, MATRIX[(view, method)][who], f"{who} {method.upper()} {url}")


@pytest.mark.parametrize("view", sorted(NOT_LAUNCHED))
@pytest.mark.parametrize("who", ["anonymous", "author_a", "production", "editor"])
def test_before_launch_only_editors_see_the_public_pages(client, call, people, stored_build, view, who):
    offprints.bring_up_to_date(Publication.objects.create(call=call, build=stored_build["build"], downloads_open=True))
    if who != "anonymous":
        client.force_login(people[who])
    status = client.get(url_for(view, call)).status_code
    if view.startswith("api_"):
        assert status == 404  # the API lists launched volumes only, for everyone
    else:
        assert status == (200 if who == "editor" else 404)
