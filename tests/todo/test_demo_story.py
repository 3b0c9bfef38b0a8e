"""Issue 17: the demo must not contradict the rules. It once showed chapters for two proposals the desk still
listed as "Under review", and a "Book launch 15 May 2025" beside a publication date in 2028."""

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_every_demo_chapter_comes_from_an_accepted_proposal_and_the_launch_event_moves_with_the_launch():
    from chapterhouse.call.models import Call
    from chapterhouse.chapters.models import Chapter
    from chapterhouse.proposals.models import Proposal
    from chapterhouse.workflow.transitions import history

    call_command("setup_site", demo=True, verbosity=0)
    chapters = list(Chapter.objects.select_related("proposal__decision__letter"))
    assert len(chapters) == 8  # five in the call in its chapter stage, three in the launched past volume
    for chapter in chapters:
        proposal = chapter.proposal
        assert proposal is not None and proposal.status == "accepted", chapter.title
        assert proposal.decision.kind == "accept" and proposal.decision.letter.status == "sent", chapter.title
        assert [e.to_state for e in history(proposal)][-2:] == ["under_review", "accepted"], chapter.title
    under_review = Proposal.objects.filter(status="under_review")
    assert under_review.exists() and not under_review.filter(chapter__isnull=False).exists()

    # The same site (set up once: it takes a while): the launch event moved with the shifted launch date.
    for call in Call.objects.all():
        definition = call.definition
        event, launch = definition.publication.launch_event.starts, definition.milestone("launch")
        if event is not None and launch is not None:
            assert event.date() == launch.date, call.slug
