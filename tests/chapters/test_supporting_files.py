"""Supporting files (permission letters, session drafts and slides) follow the one marking rule the checker and
intake use: a marking in marking position is refused with nothing stored; a marking word discussed in prose is
kept, and the uploader is shown the warning rather than passing it in silence."""

import pytest
from django.urls import reverse

from chapterhouse.chapters.upload import UploadRefused, screen_attachment
from tests.chapters.test_uploads import _upload
from tests.fixtures.files import word_file

pytestmark = pytest.mark.django_db

PROSE = "The retired FOUO marking was replaced by CUI in 2016, which this letter mentions only as history."


def test_a_marking_in_marking_position_is_refused():
    with pytest.raises(UploadRefused):
        screen_attachment("slides.docx", word_file("SECRET//NOFORN", "Briefing slides"))


def test_a_marking_word_in_prose_is_kept_with_a_warning():
    screened = screen_attachment("letter.docx", word_file("Permission letter", PROSE))
    assert screened.kind == "docx" and screened.warnings
    assert all(w.startswith("Check before it is shared") for w in screened.warnings)


def test_the_editor_sees_the_warning_of_a_kept_permission_letter(client, chapter_a, people):
    client.force_login(people["editor"])
    response = client.post(reverse("chapter_records", args=[chapter_a.pk]), {
        "kind": "permission", "permission-new-material": "Map", "permission-new-rights_holder": "Atlas Press",
        "permission-new-status": "granted",
        "permission-new-document": _upload("letter.docx", word_file("Permission letter", PROSE))}, follow=True)
    page = response.content.decode()
    assert "Saved." in page and "Check before it is shared" in page
    assert chapter_a.permissions.get().document
