"""The editors' board: chapters by state (and on whom each waits), each chapter against the call's
milestones, and the words of each chapter's latest version against the range with the volume's total."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from chapterhouse.call.models import Call
from chapterhouse.chapters.deadlines import current_deadline
from chapterhouse.chapters.models import Chapter, ManuscriptVersion
from chapterhouse.chapters.report_view import word_bar
from chapterhouse.web.prefetch import prefetch_lists
from chapterhouse.chapters.states import CHAPTER_WORKFLOW, FINAL, REVISING, SUBMITTED, WAITING_ON, WITHDRAWN, WRITING

# The milestones a chapter passes, and the first state in which it has passed each.
CHAPTER_MILESTONES = [("final_chapters_due", {SUBMITTED, REVISING, FINAL}),
                      ("editor_feedback", {REVISING, FINAL}),
                      ("revised_chapters_due", {FINAL})]


def missing_records(chapter: Chapter) -> list[str]:
    """What the desk still waits for: permissions not granted (or without their document), funding not
    decided, access to officials not yet held or declined."""
    missing = [f"Permission: {p.material}" for p in chapter.permissions.all() if p.missing]
    missing += [f"Funding: {f.purpose}" for f in chapter.funding.all() if f.missing]
    missing += [f"Access: {a.officials}" for a in chapter.access_requests.all() if a.missing]
    return missing


def board_context(call: Call | None = None) -> dict:
    # The newest call with chapters (a call still taking proposals has none to show), else the newest call.
    call = call or Call.objects.filter(chapters__isnull=False).distinct().first() or Call.objects.first()
    if call is None:
        return {"call": None}
    today = timezone.localdate()
    chapters = list(Chapter.objects.filter(call=call).select_related("theme").prefetch_related(
        Prefetch("versions", queryset=ManuscriptVersion.objects.order_by("-number"), to_attr="newest_first")))
    # As lists, not a QuerySet per chapter and relation (``web.prefetch``): the same queries, a third of the time.
    prefetch_lists(chapters, "authors", "extensions", "rounds", "permissions", "funding", "access_requests",
                   "late_arrivals")
    rules = call.definition.manuscript
    for chapter in chapters:
        chapter.call = call  # each chapter's deadlines read the call's timeline: this call, not a query a chapter
    timeline = {m.kind: m for m in call.milestones.all()}
    columns = [{"state": state, "label": label, "waiting_on": WAITING_ON[state],
                "chapters": [c for c in chapters if c.status == state]}
               for state, label in CHAPTER_WORKFLOW.choices()]
    rows, total = [], 0
    for chapter in chapters:
        latest = chapter.newest_first[0] if chapter.newest_first else None
        deadline = current_deadline(chapter)
        marks, late_by_kind = [], {arrival.kind: arrival for arrival in chapter.late_arrivals.all()}
        for kind, done_states in CHAPTER_MILESTONES:
            milestone = timeline.get(kind)
            if milestone is None:
                continue
            done = chapter.status in done_states
            late = not done and chapter.status != WITHDRAWN and deadline is not None and deadline.kind == kind \
                and deadline.due_on < today
            marks.append({"label": milestone.label, "date": milestone.date,
                          "state": "done" if done else "late" if late else "open",
                          "arrived_late": late_by_kind.get(kind) if done else None})
        words = latest.report.get("words") if latest else None
        bar = word_bar(words, rules)
        if bar and chapter.status != WITHDRAWN:
            total += bar["count"]
        rows.append({"chapter": chapter, "latest": latest, "deadline": deadline, "marks": marks, "bar": bar,
                     "overdue": bool(deadline and deadline.due_on < today), "missing": missing_records(chapter)})
    active = [c for c in chapters if c.status != WITHDRAWN]
    return {
        "call": call, "columns": columns, "rows": rows, "today": today,
        "milestones": [timeline[kind] for kind, _ in CHAPTER_MILESTONES if kind in timeline],
        "total_words": total, "rules": rules, "active": len(active),
        "volume_range": (rules.min_words * len(active), rules.max_words * len(active)),
        "counts": {state: sum(c.status == state for c in chapters) for state in (WRITING, SUBMITTED, REVISING, FINAL)},
    }
