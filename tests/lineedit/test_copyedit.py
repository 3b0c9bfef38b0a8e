"""A copyedit round: production sends the copyedited chapter, the author answers queries and then approves, the
approved text (changes accepted) becomes the typeset version, and after clearance the security reviewer sees
what changed."""

import pytest
from django.urls import reverse

from chapterhouse.outbox.models import Message
from chapterhouse.production.lineedit.models import CopyeditRound
from chapterhouse.production.volume import typeset_version
from tests.clearance.conftest import chapter_file, cleared
from tests.lineedit.conftest import upload

pytestmark = pytest.mark.django_db


def test_a_copyedit_goes_to_the_author_who_answers_then_approves_and_the_approved_text_is_typeset(
        client, people, volume, copyedited):
    chapter = volume["a"]
    client.force_login(people["production"])
    upload(client, chapter, copyedited, note="Chicago style applied throughout.")
    round_ = CopyeditRound.objects.get()
    item = round_.latest_file
    assert round_.status == "with_author" and item.tracked_changes == 2
    assert item.queries == [{"author": "Reviewer", "text": "AU: please confirm the number of aircraft."}]
    told = Message.objects.get(kind="lineedit.sent")
    assert told.to == people["author_a"].email and reverse("my_copyedit", args=[chapter.pk]) in told.body

    client.force_login(people["author_a"])
    page = client.get(reverse("my_copyedit", args=[chapter.pk])).content.decode()
    assert "please confirm the number of aircraft" in page and "2 tracked changes" in page
    client.post(reverse("my_copyedit", args=[chapter.pk]), {"action": "answer", "reason": "Forty is right."})
    round_.refresh_from_db()
    assert round_.status == "answered" and Message.objects.filter(kind="lineedit.answered").exists()

    client.force_login(people["production"])
    assert "Forty is right." in client.get(reverse("copyedit_chapters", args=[chapter.call.slug])).content.decode()
    upload(client, chapter, copyedited, name="copyedit-2.docx")
    round_.refresh_from_db()
    assert round_.status == "with_author" and round_.files.count() == 2

    client.force_login(people["author_a"])
    client.post(reverse("my_copyedit", args=[chapter.pk]), {"action": "approve"})
    round_.refresh_from_db()
    version = round_.approved_version
    assert round_.status == "approved" and version.is_final and typeset_version(chapter) == version
    assert version.report["passed"] and version.number == 2
    assert not any(f["rule"].startswith("sanitization.") for f in version.report["findings"])


def test_production_cannot_send_another_copyedit_while_the_author_has_one(client, people, volume, copyedited):
    client.force_login(people["production"])
    upload(client, volume["a"], copyedited)
    response = upload(client, volume["a"], copyedited)
    assert CopyeditRound.objects.get().files.count() == 1
    assert "wait for their approval" in client.get(response.url).content.decode()


def test_a_copyedit_with_markings_is_refused_and_not_stored(client, people, volume):
    client.force_login(people["production"])
    response = upload(client, volume["a"], chapter_file(extra="SECRET//NOFORN order of battle."))
    assert not CopyeditRound.objects.exists()
    assert "was not stored" in client.get(response.url).content.decode()


def test_after_clearance_the_security_reviewer_sees_the_copyedits_changes_flagged(client, call, people, volume,
                                                                                  copyedited):
    clearance = cleared(call, people)
    client.force_login(people["production"])
    upload(client, volume["a"], copyedited)
    client.force_login(people["author_a"])
    client.post(reverse("my_copyedit", args=[volume["a"].pk]), {"action": "approve"})
    assert set(Message.objects.filter(kind="lineedit.approved").values_list("to", flat=True)) == {
        people["production"].email, people["security"].email}

    client.force_login(people["security"])
    page = client.get(reverse("clearance_chapter", args=[clearance.pk, volume["a"].pk])).content.decode()
    assert "Changes after clearance" in page
    assert "newly inserted words" in page and "May change the meaning" in page
