"""To-do items of the launch: once a volume has built galleys, the editors' launch checklist, by the launch date."""

from __future__ import annotations

from django.urls import reverse

from chapterhouse.accounts.roles import EDITOR
from chapterhouse.accounts.todo import Item, calls_in_progress, contributes, milestone_dates
from chapterhouse.production.models import GalleyBuild


@contributes(EDITOR)
def launch_checklist(user, today):
    for call in calls_in_progress():
        if GalleyBuild.latest_built(call) is not None:
            yield Item("Launch", f"Go through the launch checklist of {call.title}",
                       reverse("launch_manage", args=[call.slug]), due=milestone_dates(call).get("launch"),
                       detail="Choose the build, check the details and the exports, then launch.")
