"""To-do items of production: the cover to upload and the galleys to build (again, after a failed build or a
text approved since the last one), before the proofs are due."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import PRODUCTION
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.chapters.models import Chapter
from chapterhouse.chapters.states import FINAL
from chapterhouse.production.models import Cover, GalleyBuild
from chapterhouse.production.states import FAILED

STAGE, DUE = "Production", "galley_proofs"


@contributes(PRODUCTION)
def covers_and_builds(user, today):
    for call in calls_in_progress():
        if not Chapter.objects.filter(call=call, status=FINAL).exists():
            continue
        due = milestone_dates(call).get(DUE)
        if not Cover.objects.filter(call=call).exists():
            yield Item(STAGE, f"Upload the cover of {call.title}", reverse("production_volume", args=[call.slug]) + "#cover-heading", due=due)
        latest = GalleyBuild.objects.filter(call=call).order_by("-number").first()
        if latest is None:
            yield Item(STAGE, f"Build the galleys of {call.title}", reverse("production_volume", args=[call.slug]),
                       due=due)
        elif latest.status == FAILED:
            yield Item(STAGE, f"Galley build {latest.number} of {call.title} failed: fix and build again",
                       reverse("galley_build", args=[call.slug, latest.number]), due=due)
