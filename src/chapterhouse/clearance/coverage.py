"""What the security review has cleared of a volume, and what a galley build sets beyond it.

Launch reads this (``launch_problems``): every chapter and every text besides the chapters (front matter, part
introductions) that the published build sets must be in a request the office cleared — cleared as amended only
once every amendment is confirmed — and any change made to a chapter after clearance (a copyedit, a proof
correction) or to another text must have been read by the security reviewer (``LaterChangesSeen``,
``LaterTextChangesSeen``). Anything carried by no request
is what a follow-up request is for (``uncarried``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from chapterhouse.clearance.later_changes import cleared_version
from chapterhouse.clearance.models import ClearanceRequest, LaterChangesSeen, RequestChapter, RequestText
from chapterhouse.clearance.states import AS_AMENDED, CLEARED_STATES, CONFIRMED, OBJECTION


def _open_or_cleared(call, excluding: ClearanceRequest | None = None):
    """The call's requests that carry their texts towards clearance (an objection's texts are not carried)."""
    requests = ClearanceRequest.objects.filter(call=call).exclude(status=OBJECTION)
    return requests.exclude(pk=excluding.pk) if excluding is not None else requests


def carried(call, excluding: ClearanceRequest | None = None) -> tuple[set[int], set[tuple[str, str]]]:
    """Chapter ids and (text key, sha256) already carried by a request of the call, other than ``excluding``."""
    requests = _open_or_cleared(call, excluding)
    chapters = set(RequestChapter.objects.filter(request__in=requests).values_list("chapter_id", flat=True))
    texts = set(RequestText.objects.filter(request__in=requests).values_list("key", "sha256"))
    return chapters, texts


@dataclass
class Uncarried:
    """What the volume has that no request carries: the content of a follow-up request."""

    chapters: list = field(default_factory=list)
    texts: list = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.chapters or self.texts)

    @property
    def titles(self) -> list[str]:
        return [c.title for c in self.chapters] + [t.title for t in self.texts]


def uncarried(call, excluding: ClearanceRequest | None = None) -> Uncarried:
    from chapterhouse.clearance.prepare import volume_chapters
    from chapterhouse.production.volume import volume_texts

    chapter_ids, texts = carried(call, excluding)
    return Uncarried([c for c in volume_chapters(call) if c.pk not in chapter_ids],
                     [t for t in volume_texts(call) if (t.key, t.sha256) not in texts])


def _status_words(request: ClearanceRequest) -> str:
    return f"request {request.pk}, which is “{request.status_label}”"


def chapter_problems(entry: dict) -> tuple[list[str], list[str]]:
    """(not cleared, changed after clearance and not read) for one chapter of a build's inputs."""
    title, chapter_id = entry.get("title", "A chapter"), entry.get("chapter")
    items = list(RequestChapter.objects.filter(chapter_id=chapter_id).select_related("request", "chapter", "version")
                 .order_by("-request__created_at", "-request__pk"))
    if not items:
        return [f"“{title}” is in no clearance request: prepare a follow-up request for it."], []
    item = next((i for i in items if i.request.status in CLEARED_STATES), None)
    if item is None:
        return [f"“{title}” is not cleared yet ({_status_words(items[0].request)})."], []
    clearance = item.request
    if clearance.status == AS_AMENDED:
        waiting = clearance.amendments.filter(chapter_id=chapter_id).exclude(status=CONFIRMED).count()
        if waiting:
            return [f"“{title}”: {waiting} amendment(s) the office required are not confirmed by the security "
                    f"reviewer ({_status_words(clearance)})."], []
    cleared = cleared_version(clearance, item.chapter)
    if entry.get("sha256") == cleared.sha256:
        return [], []
    if entry.get("version", 0) < cleared.number:
        return [f"“{title}”: the build sets version {entry.get('version')}, older than the cleared version "
                f"{cleared.number}: build the galleys again."], []
    if LaterChangesSeen.objects.filter(request=clearance, chapter_id=chapter_id,
                                       version__sha256=entry.get("sha256")).exists():
        return [], []
    return [], [f"“{title}”: version {entry.get('version')} changes the cleared version {cleared.number} (copyedits "
                f"or proof corrections) and the security reviewer has not read the changes ({_status_words(clearance)})."]


def text_problems(call, entry: dict) -> tuple[list[str], list[str]]:
    """(not cleared, changed after clearance and not read) for one front-matter text or part introduction of a
    build. A text changed after the office cleared it needs the security reviewer to read the changes, as a
    chapter's copyedits do (or a follow-up request that clears the new text)."""
    from chapterhouse.clearance.later_changes import text_read

    title = entry.get("title", "A text")
    if not entry.get("sha256") or not entry.get("key"):
        return [f"“{title}”: this build was made before front matter was checked against clearance: build again."], []
    carrying = list(RequestText.objects.filter(request__call=call, key=entry["key"]).select_related("request")
                    .order_by("-request__created_at", "-request__pk"))
    same = [t for t in carrying if t.sha256 == entry["sha256"]]
    if any(t.request.status in CLEARED_STATES for t in same):
        return [], []
    cleared = next((t for t in carrying if t.request.status in CLEARED_STATES), None)
    if cleared is not None:
        if text_read(cleared.request, entry["key"], entry["sha256"]):
            return [], []
        return [], [f"“{title}” changed after clearance and the security reviewer has not read the changes "
                    f"({_status_words(cleared.request)})."]
    if same:
        return [f"“{title}” is not cleared yet ({_status_words(same[0].request)})."], []
    if carrying:
        return [f"“{title}” has changed since request {carrying[0].request.pk} carried it: prepare a follow-up "
                "request for the new text."], []
    return [f"“{title}” is in no clearance request: prepare a follow-up request for it."], []


@dataclass
class BuildClearance:
    """A build's texts against the security review: what is not cleared and what changed unread since."""

    uncleared: list[str] = field(default_factory=list)
    unread: list[str] = field(default_factory=list)


def build_clearance(build) -> BuildClearance:
    found = BuildClearance()
    inputs = build.inputs or {}
    if "parts" not in inputs:
        found.uncleared.append(f"Build {build.number} was made before its part introductions were recorded: build "
                               "again so they can be checked against clearance.")
    for entry in [*inputs.get("front_matter", []), *inputs.get("parts", [])]:
        uncleared, unread = text_problems(build.call, entry)
        found.uncleared += uncleared
        found.unread += unread
    for entry in inputs.get("chapters", []):
        uncleared, unread = chapter_problems(entry)
        found.uncleared += uncleared
        found.unread += unread
    return found
