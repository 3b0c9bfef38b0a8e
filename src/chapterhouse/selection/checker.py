"""The state of a selection against the call's rules, counted in plain Python: per theme "n of min–max", the
volume's size, the funding against the budget, contacts with more than one chapter, pins left out, exclusions
and low scores let in.

One code path for every selection: the solver checks its own answer with it (independently of HiGHS), and the
decision pages show editors the state of their hand-made decisions with it before they save them. No Django.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from chapterhouse.selection.solver import SelectionProblem

TOLERANCE = 1e-9


def plural(count: int, word: str, words: str = "") -> str:
    return f"{count} {word if count == 1 else (words or word + 's')}"


def joined(items: list[str]) -> str:
    """“a”, “a and b”, “a, b and c”."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def money(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


@dataclass(frozen=True)
class ThemeCount:
    id: str
    name: str
    count: int
    min: int
    max: int

    @property
    def missing(self) -> int:
        return max(0, self.min - self.count)

    @property
    def excess(self) -> int:
        return max(0, self.count - self.max)

    @property
    def quota(self) -> str:
        return f"{self.min}–{self.max}" if self.min != self.max else f"{self.min}"

    @property
    def standing(self) -> str:
        """“met”, “1 short” or “2 over”, beside the count."""
        return f"{self.missing} short" if self.missing else f"{self.excess} over" if self.excess else "met"

    @property
    def shortfall_text(self) -> str:
        """“Law and Policy: 1 of at least 3”, the words the issue asked for."""
        return f"{self.name}: {self.count} of at least {self.min}"


@dataclass(frozen=True)
class ContactClash:
    contact: str
    proposals: tuple[str, ...]


@dataclass
class RuleState:
    """What a set of chosen proposals does to every rule; ``broken`` lists the hard rules it breaks."""

    themes: list[ThemeCount]
    total: int
    min_total: int
    max_total: int
    funding: float
    budget: float | None
    one_per_contact: bool
    clashes: list[ContactClash] = field(default_factory=list)
    pins_left_out: list[str] = field(default_factory=list)
    excluded_chosen: list[str] = field(default_factory=list)
    below_min_score: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def volume_missing(self) -> int:
        return max(0, self.min_total - self.total)

    @property
    def shortfall(self) -> int:
        """Chapters missing from the themes' minimums and the volume's minimum, added up."""
        return sum(t.missing for t in self.themes) + self.volume_missing

    @property
    def funding_text(self) -> str:
        return money(self.funding)

    @property
    def budget_text(self) -> str:
        return "" if self.budget is None else money(self.budget)

    @property
    def over_budget(self) -> bool:
        return self.budget is not None and self.funding > self.budget + TOLERANCE

    @property
    def broken(self) -> list[str]:
        """The hard rules broken, one sentence each (a shortfall is not one: it is a target)."""
        found = [f"{t.name}: {t.count} chapters, more than its maximum of {t.max}." for t in self.themes if t.excess]
        if self.total > self.max_total:
            found.append(f"The volume: {self.total} chapters, more than its maximum of {self.max_total}.")
        if self.over_budget:
            found.append(f"Funding {money(self.funding)}, more than the budget of {money(self.budget)}.")
        found += [f"One chapter per contact author: {joined(list(c.proposals))} share a contact." for c in self.clashes]
        if self.pins_left_out:
            found.append(f"Pinned but not selected: {', '.join(self.pins_left_out)}.")
        if self.excluded_chosen:
            found.append(f"Excluded but selected: {', '.join(self.excluded_chosen)}.")
        if self.below_min_score:
            found.append(f"Below the minimum score and not pinned: {', '.join(self.below_min_score)}.")
        if self.unknown:
            found.append(f"Not among the proposals: {', '.join(self.unknown)}.")
        return found

    @property
    def shortfalls(self) -> list[str]:
        found = [t.shortfall_text for t in self.themes if t.missing]
        if self.volume_missing:
            found.append(f"The volume: {self.total} of at least {self.min_total}")
        return found


def check(problem: SelectionProblem, chosen: Iterable[str]) -> RuleState:
    """The rule state of ``chosen`` (proposal ids) under ``problem``: counting only, no solver."""
    chosen = list(dict.fromkeys(chosen))
    by_id = {p.id: p for p in problem.proposals}
    picked = [by_id[i] for i in chosen if i in by_id]
    per_theme: dict[str, int] = defaultdict(int)
    contacts: dict[str, list[str]] = defaultdict(list)
    for proposal in picked:
        per_theme[proposal.theme] += 1
        if proposal.contact:
            contacts[proposal.contact].append(proposal.id)
    pinned, excluded, ids = set(problem.pinned), set(problem.excluded), {p.id for p in picked}
    floor = problem.min_score
    return RuleState(
        themes=[ThemeCount(t.id, t.name or t.id, per_theme[t.id], t.min, t.max) for t in problem.themes],
        total=len(picked), min_total=problem.min_total, max_total=problem.max_total,
        funding=sum(p.funding for p in picked), budget=problem.budget, one_per_contact=problem.one_per_contact,
        clashes=[ContactClash(c, tuple(ps)) for c, ps in contacts.items() if len(ps) > 1] if problem.one_per_contact else [],
        pins_left_out=[i for i in problem.pinned if i not in ids],
        excluded_chosen=[p.id for p in picked if p.id in excluded],
        below_min_score=[p.id for p in picked if floor is not None and p.score < floor and p.id not in pinned],
        unknown=[i for i in chosen if i not in by_id],
    )
