import datetime as dt

import pytest

from tests.volume_fixtures import final_volume, stored_build  # noqa: F401  (fixtures)


def real_build(call, people, number=None):
    """A galley build of the volume as it stands, run the way the worker runs it."""
    from chapterhouse.production.models import GalleyBuild
    from chapterhouse.production.tasks import run_galley_build

    number = number or GalleyBuild.objects.filter(call=call).count() + 1
    build = GalleyBuild.objects.create(call=call, number=number, requested_by=people["production"])
    run_galley_build.call(build.pk)
    build.refresh_from_db()
    assert build.status == "built", build.problems
    return build


def proofs_answered(build, people, close=True):
    """A proof round on ``build`` where every chapter's author approved their pages, closed by an editor."""
    from chapterhouse.production.proofs.corrections import open_round, send_or_approve
    from chapterhouse.workflow.transitions import transition

    round_ = open_round(build, dt.date.today() + dt.timedelta(days=14), people["editor"])
    for proof in round_.proofs.select_related("chapter"):
        author = proof.chapter.authors.filter(user__isnull=False).first()
        send_or_approve(proof, "approved", author.user, {"owner"})
    if close:
        transition(round_, "closed", people["editor"], {"editor"})
    return round_


@pytest.fixture
def launchable(call, people, final_volume):
    """The final volume cleared by the security review, built, and its proofs answered and closed: what launch
    needs, each step made through the services the pages use."""
    from tests.clearance.conftest import cleared

    clearance = cleared(call, people)
    build = real_build(call, people)
    proofs_answered(build, people)
    return {"clearance": clearance, "build": build}


@pytest.fixture
def crossref(settings):
    """Crossref's deposit system, stood in for on 127.0.0.1, with the site set to send there with its login."""
    from tests.launch.crossref_server import LOGIN, PASSWORD, serve

    state, server, thread = serve()
    settings.CHAPTERHOUSE_CROSSREF_URL = state.url
    settings.CHAPTERHOUSE_CROSSREF_LOGIN = LOGIN
    settings.CHAPTERHOUSE_CROSSREF_PASSWORD = PASSWORD
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def launched(client, call, people, launchable):
    """The volume launched from the editors' launch page (build chosen, details saved, then "Launch")."""
    from django.urls import reverse

    from chapterhouse.launch.models import Publication

    build = launchable["build"]
    client.force_login(people["editor"])
    response = client.post(reverse("launch_manage", args=[call.slug]),
                           {"build": build.pk, "description": "Essays on foreign military sales.",
                            "downloads_open": "on", "published_on": "2025-05-15"})
    assert response.status_code == 302
    assert client.post(reverse("launch_move", args=[call.slug]), {"to": "launched"}).status_code == 302
    client.logout()
    publication = Publication.objects.get(call=call)
    assert publication.status == "launched"
    return publication
