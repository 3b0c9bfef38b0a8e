"""The editors' desk queries: filtering, searching, sorting, the quota chart and the CSV export.

Kept apart from the views so the list page and the CSV export filter the same way, and so the number of
queries stays fixed however many proposals there are (a test holds it there).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.functions import Lower, Trim

from chapterhouse.call.models import Call
from chapterhouse.proposals.duplicates import Candidate, DuplicateOf, find_duplicates
from chapterhouse.proposals.models import Proposal, ProposalAuthor
from chapterhouse.proposals.states import ACCEPTED, DECLINED, PROPOSAL_WORKFLOW, WITHDRAWN

SORTS = {
    "newest": ("Newest first", ["-submitted_at", "-pk"]),
    "oldest": ("Oldest first", ["submitted_at", "pk"]),
    "reference": ("Reference", ["number"]),
    "title": ("Title A–Z", ["title", "pk"]),
    "theme": ("Theme", ["theme__position", "-submitted_at"]),
    "status": ("Status", ["status", "-submitted_at"]),
}
FLAGS = {
    "scope": ("Scope flagged", Q(scope_flagged=True)),
    "theme": ("Theme may not fit", Q(suggested_theme__isnull=False)),
    "attachment": ("Has attachment", Q(attachment__isnull=False)),
    "funding": ("Requests funding", Q(funding_requested=True)),
    "access": ("Requests access to officials", Q(access_requested=True)),
    "existing": ("Builds on existing work", Q(builds_on_existing_work=True)),
}


@dataclass
class DeskFilters:
    theme: str = ""
    status: str = ""
    flag: str = ""
    q: str = ""
    sort: str = "newest"
    problems: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params, call: Call) -> DeskFilters:
        """Unknown values are dropped with a note rather than failing: a stale bookmark should still open."""
        filters = cls(q=params.get("q", "").strip()[:200])
        theme_slugs = {t.slug for t in call.definition.themes}
        for name, allowed in (("theme", theme_slugs), ("status", set(PROPOSAL_WORKFLOW.states)), ("flag", set(FLAGS)), ("sort", set(SORTS))):
            value = params.get(name, "")
            if value and value not in allowed:
                filters.problems.append(f"Ignored unknown {name} “{value}”.")
            elif value:
                setattr(filters, name, value)
        return filters

    def apply(self, queryset: QuerySet) -> QuerySet:
        if self.theme:
            queryset = queryset.filter(theme__slug=self.theme)
        if self.status:
            queryset = queryset.filter(status=self.status)
        if self.flag:
            queryset = queryset.filter(FLAGS[self.flag][1])
        for term in self.q.lower().split():
            queryset = queryset.filter(search_text__contains=term)
        return queryset.order_by(*SORTS[self.sort][1])

    @property
    def active(self) -> bool:
        return bool(self.theme or self.status or self.flag or self.q)


def desk_queryset(call: Call, filters: DeskFilters) -> QuerySet:
    contacts = Prefetch("authors", queryset=ProposalAuthor.objects.order_by("position"), to_attr="author_list")
    return (
        filters.apply(Proposal.objects.filter(call=call))
        .select_related("theme", "suggested_theme", "attachment")
        .prefetch_related(contacts)
    )


def duplicates_in_call(call: Call, among: list[int] | None = None) -> dict[str, list[DuplicateOf]]:
    """Proposals of the call that repeat another from the same contact, by reference; one query. Withdrawn and
    declined ones are left out: the editors have dealt with them.

    ``among`` (proposal ids: the desk's page, or one proposal) reads only the proposals that share a contact
    address with those, enough to say what each of them repeats; the whole call's titles and abstracts were
    read for every page (2,000 abstracts for one proposal's page).

    The page's addresses are read first, as a list: given as a subquery, PostgreSQL without fresh statistics
    planned a nested loop that rescanned the authors once per row (1 s for a page of 50 among 2,000)."""
    rows = (ProposalAuthor.objects.filter(proposal__call=call, is_contact=True)
            .exclude(proposal__status__in=(WITHDRAWN, DECLINED)))
    if among is not None:
        contacts = set(ProposalAuthor.objects.filter(proposal__in=among, is_contact=True)
                       .annotate(address=Lower(Trim("email"))).values_list("address", flat=True))
        if not contacts:
            return {}
        rows = rows.annotate(address=Lower(Trim("email"))).filter(address__in=sorted(contacts))
    rows = rows.values_list("proposal__reference", "email", "proposal__title", "proposal__abstract")
    return find_duplicates(Candidate(*row) for row in rows)


@dataclass(frozen=True)
class ThemeBar:
    slug: str
    name: str
    proposals: int
    accepted: int
    min_chapters: int
    max_chapters: int
    scale: int = 1

    def _percent(self, value: int) -> float:
        return round(100 * value / self.scale, 1)

    @property
    def proposals_width(self) -> float:
        return self._percent(self.proposals)

    @property
    def accepted_width(self) -> float:
        return self._percent(self.accepted)

    @property
    def quota_left(self) -> float:
        return self._percent(self.min_chapters)

    @property
    def quota_width(self) -> float:
        return self._percent(self.max_chapters - self.min_chapters)

    @property
    def quota_state(self) -> str:
        if self.accepted > self.max_chapters:
            return "over"
        if self.accepted >= self.min_chapters:
            return "met"
        return "short"


def theme_chart(call: Call) -> list[ThemeBar]:
    """Proposals (not withdrawn) and accepted ones per theme, beside the call's quotas, on one scale."""
    counts = {
        row["theme_id"]: row
        for row in Proposal.objects.filter(call=call)
        .exclude(status=WITHDRAWN)
        .values("theme_id")
        .annotate(total=Count("pk"), accepted=Count("pk", filter=Q(status=ACCEPTED)))
    }
    themes = list(call.themes.all())
    scale = max([row["total"] for row in counts.values()] + [t.max_chapters for t in themes] + [1])
    return [
        ThemeBar(t.slug, t.name, counts.get(t.pk, {}).get("total", 0), counts.get(t.pk, {}).get("accepted", 0),
                 t.min_chapters, t.max_chapters, scale)
        for t in themes
    ]


CSV_COLUMNS = [
    "reference", "submitted", "status", "theme", "suggested theme", "title", "contact", "contact e-mail",
    "authors", "affiliations", "keywords", "abstract words", "scope flagged", "builds on existing work",
    "permissions", "funding requested (US$)", "access requested", "attachment",
    "reviews in", "reviews assigned", "recommendations", "mean review score", "decision",
]


def _cell(value) -> str:
    """Spreadsheets run cells that start with = + - @ as formulas; a leading apostrophe keeps them text."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _decision_label(proposal) -> str:
    decision = getattr(proposal, "decision", None)  # the selection stage's, when there is one
    return decision.get_kind_display() if decision else ""


def _review_cells(summary, score) -> list:
    if summary is None:
        return [0, 0, "", score if score is not None else ""]
    return [summary.submitted, summary.assigned, summary.recommendations_text, score if score is not None else ""]


def csv_export(queryset: QuerySet, scores: dict | None = None, reviews: dict | None = None) -> str:
    """The desk's table as CSV; ``scores`` (mean review score) and ``reviews`` (ReviewSummary) by proposal pk."""
    scores, reviews = scores or {}, reviews or {}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for p in queryset:
        authors = p.author_list
        contact = next((a for a in authors if a.is_contact), None)
        attachment = getattr(p, "attachment", None)
        writer.writerow(_cell(v) for v in [
            p.reference, p.submitted_at.isoformat(timespec="minutes"), p.status_label, p.theme.name,
            p.suggested_theme.name if p.suggested_theme else "", p.title,
            contact.name if contact else "", contact.email if contact else "",
            "; ".join(a.name for a in authors), "; ".join(a.affiliation for a in authors),
            p.keywords, p.abstract_words, "yes" if p.scope_flagged else "no",
            "yes" if p.builds_on_existing_work else "no", p.get_permission_status_display(),
            p.funding_amount if p.funding_requested else "", "yes" if p.access_requested else "no",
            attachment.original_name if attachment else "",
            *_review_cells(reviews.get(p.pk), scores.get(p.pk)),
            _decision_label(p),
        ])
    return out.getvalue()
