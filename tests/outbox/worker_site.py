"""A site for real worker processes: run inside ``chapterhouse shell`` against a test's own data folder.

``volume_with_a_queued_build()`` stores the default call, a chapter accepted as final (made as the galley
tests make them) and one galley build queued through the outbox's long jobs, exactly as the "Build galleys"
button does; it prints the build's id.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.db import transaction

from tests.conftest import SAMPLE_ABSTRACT
from tests.volume_fixtures import CHAPTERS, accept_as_final, add_final_version, docx_bytes

DEFAULT_CALL = Path(__file__).resolve().parents[2] / "calls" / "dscu-fms-2024.toml"


def volume_with_a_queued_build(chapters: int = 1) -> int:
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from chapterhouse.accounts.roles import ensure_groups
    from chapterhouse.call.loading import install_call_file
    from chapterhouse.chapters.start import start_chapter
    from chapterhouse.production.models import GalleyBuild
    from chapterhouse.production.tasks import queue_build
    from chapterhouse.proposals.intake import Submission, submit_proposal

    call = install_call_file(DEFAULT_CALL, open_on=timezone.localdate() - dt.timedelta(days=7))
    groups = ensure_groups()
    users = get_user_model().objects
    editor = users.create_user("editor", "editor@example.org", "correct-horse-battery", first_name="Editor")
    editor.groups.add(groups["editor"])
    with tempfile.TemporaryDirectory() as scratch:
        for number, (title, theme, *_rest) in enumerate(CHAPTERS[:chapters], 1):
            author = users.create_user(f"author{number}", f"author{number}@example.org", "correct-horse-battery",
                                       first_name=f"Author{number}")
            author.groups.add(groups["author"])
            proposal = submit_proposal(call, Submission(
                title=title, theme=theme, abstract=SAMPLE_ABSTRACT, keywords="technology release, process",
                authors=[{"name": f"Author {number}", "email": author.email, "affiliation": "Example University",
                          "bio": "Writes on security cooperation."}]), "http://testserver")
            chapter = start_chapter(proposal, editor)
            add_final_version(chapter, docx_bytes(Path(scratch), number, title), author)
            accept_as_final(chapter, editor)
    with transaction.atomic():
        build = GalleyBuild.objects.create(call=call, number=1, requested_by=editor)
        queue_build(build)
    print(f"build {build.pk}")
    return build.pk
