"""A real galley build of the two-chapter volume (the clearance fixtures), run the way the worker runs it."""

import pytest

from tests.clearance.conftest import chapter_file, final_chapter, store_version, volume  # noqa: F401  (fixtures)


@pytest.fixture
def built(call, people, volume):
    from chapterhouse.production.models import GalleyBuild
    from chapterhouse.production.tasks import run_galley_build

    build = GalleyBuild.objects.create(call=call, number=1, requested_by=people["editor"])
    run_galley_build.call(build.pk)
    build.refresh_from_db()
    assert build.status == "built", build.problems
    return build


@pytest.fixture
def proof_round(built, people):
    import datetime as dt

    from chapterhouse.production.proofs.corrections import open_round

    return open_round(built, dt.date.today() + dt.timedelta(days=14), people["editor"])
