"""A launched book changes only on the record: every chapter DOI once shown is kept (``ChapterDOI``), and the
published build is replaced only through a correction or a new edition (``Erratum``) whose notice readers see,
under the same conditions as launching. A chapter the new build drops is marked withdrawn by that notice, so
its DOI's page says what happened instead of pointing nowhere."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import receiver

from chapterhouse.launch.gates import launch_context
from chapterhouse.launch.models import ChapterDOI, Erratum, Publication
from chapterhouse.launch.states import CHANGE_KINDS, LAUNCH_CONDITIONS, LAUNCHED
from chapterhouse.workflow.statemachine import ConditionsUnmet, TransitionNotAllowed
from chapterhouse.workflow.transitions import record_event, state_changed


def build_chapters(build) -> list[tuple[int, int, str]]:
    """(position, chapter id, title) of the chapters a build sets, in book order."""
    return [(e["number"], e["chapter_id"], e.get("title", "")) for e in (build.summary or {}).get("chapters", [])
            if e.get("chapter_id")]


def show(publication: Publication) -> None:
    """Gives every chapter of the published build its DOI, kept from then on: the first launch numbers them in
    book order; a chapter added later takes the next number never used, so no DOI ever names another chapter."""
    shown = {d.chapter_id: d for d in publication.dois.all()}
    first_launch = not shown
    highest = max((d.number for d in shown.values()), default=0)
    for position, chapter_id, title in build_chapters(publication.build):
        known = shown.get(chapter_id)
        if known is None:
            highest = position if first_launch else highest + 1
            ChapterDOI.objects.create(publication=publication, number=highest, chapter_id=chapter_id, title=title)
        elif known.withdrawn_by_id:
            ChapterDOI.objects.filter(pk=known.pk).update(withdrawn_by=None)


@receiver(state_changed, sender=Publication, dispatch_uid="launch.show_dois_on_launch")
def _show_on_launch(sender, obj, target, **kwargs):
    if target == LAUNCHED:
        show(obj)


def replacement_unmet(publication: Publication, build) -> list[str]:
    return [problem for condition in LAUNCH_CONDITIONS for problem in condition.unmet(publication,
                                                                                     launch_context(build))]


def replace_build(publication: Publication, build, kind: str, notice: str, by) -> Erratum:
    """Publishes ``build`` in place of the current one as a correction or a new edition with ``notice``.
    Raises TransitionNotAllowed (ConditionsUnmet naming every unmet condition) and changes nothing then."""
    if kind not in CHANGE_KINDS:
        raise TransitionNotAllowed("Choose whether this is a correction or a new edition.")
    if not notice.strip():
        raise TransitionNotAllowed("Write the notice readers will see: what changed and why.")
    if build is None or build.pk == publication.build_id:
        raise TransitionNotAllowed("Choose a build other than the one published.")
    unmet = replacement_unmet(publication, build)
    if unmet:
        raise ConditionsUnmet(f"publish build {build.number} as a {CHANGE_KINDS[kind].lower()}", unmet)
    with transaction.atomic():
        locked = Publication.objects.select_for_update().get(pk=publication.pk)
        erratum = Erratum.objects.create(publication=locked, kind=kind, notice=notice.strip(),
                                         build_before=locked.build, build_after=build, recorded_by=by)
        kept = {chapter_id for _, chapter_id, _ in build_chapters(build)}
        locked.dois.filter(withdrawn_by__isnull=True).exclude(chapter_id__in=kept).update(withdrawn_by=erratum)
        Publication.objects.filter(pk=locked.pk).update(build=build)
        publication.build = locked.build = build
        show(locked)
        before = erratum.build_before.number if erratum.build_before else "—"
        record_event(locked, by, f"{CHANGE_KINDS[kind]}: build {build.number} replaces build {before}",
                     why=notice.strip())
    return erratum
