"""What the security review covers, as launch reads it: an amendment not yet confirmed and a change after
clearance nobody has read each keep a chapter from being launched."""

import pytest

from tests.clearance.conftest import cleared

pytestmark = pytest.mark.django_db


def test_an_unconfirmed_amendment_or_an_unread_change_after_clearance_stops_launch(call, people, volume,
                                                                                    store_version):
    from chapterhouse.clearance.amending import record_amendment
    from chapterhouse.clearance.coverage import chapter_problems
    from chapterhouse.clearance.models import LaterChangesSeen
    from tests.clearance.conftest import chapter_file

    clearance = cleared(call, people, "cleared_as_amended", "One change.")
    chapter = volume["b"]
    version = chapter.final_version
    entry = {"chapter": chapter.pk, "version": version.number, "sha256": version.sha256, "title": chapter.title}
    assert chapter_problems(entry) == ([], [])
    record_amendment(clearance, chapter, "p. 2", "Norfolk", "a naval station", people["security"])
    uncleared, _ = chapter_problems(entry)
    assert uncleared == [f"“{chapter.title}”: 1 amendment(s) the office required are not confirmed by the security "
                         f"reviewer (request {clearance.pk}, which is “Cleared as amended”)."]

    copyedited = store_version(volume["a"], chapter_file(1, extra="A sentence the copyeditor added."))
    entry = {"chapter": volume["a"].pk, "version": copyedited.number, "sha256": copyedited.sha256,
             "title": volume["a"].title}
    assert "the security reviewer has not read the changes" in chapter_problems(entry)[1][0]
    LaterChangesSeen.objects.create(request=clearance, chapter=volume["a"], version=copyedited,
                                    seen_by=people["security"])
    assert chapter_problems(entry) == ([], [])
