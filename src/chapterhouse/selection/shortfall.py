"""What would close a shortfall the best selection leaves: for each theme (or the volume) short of its minimum,
the proposals a hard rule holds back, those excluded by the editors, those scoring just below the minimum
score, proposals in other themes that fit this one about as well as their own, and a second call.

Advice only: the selection itself is already the best one the rules allow. Plain Python; no Django.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field

from chapterhouse.selection.checker import RuleState, joined, money, plural

if TYPE_CHECKING:
    from chapterhouse.selection.solver import ProposalIn, SelectionProblem


def scored(proposal: ProposalIn) -> str:
    """How a proposal's score reads in the advice: "score 4.5", or "not yet reviewed" instead of a score of 0."""
    return f"score {proposal.score:g}" if proposal.reviewed else "not yet reviewed"

SHOWN = 3  # proposals named per kind of advice


class Closer(BaseModel):
    kind: Literal["held_back", "excluded", "below_min_score", "not_reviewed", "other_theme", "second_call"]
    proposals: list[str] = []
    text: str


class Shortfall(BaseModel):
    theme: str | None = Field(description="the theme's id, or null for the volume's minimum")
    name: str
    selected: int
    min: int
    missing: int
    message: str = Field(description="“Law and Policy: 1 of at least 3”")
    closers: list[Closer] = Field(description="what would close it, most direct first")


def _listing(proposals: list[ProposalIn]) -> str:
    return joined([f"{p.id} ({scored(p)})" for p in proposals])


def _verb(proposals: list, one: str, many: str) -> str:
    return one if len(proposals) == 1 else many


def _held_back_reason(problem: SelectionProblem, proposal: ProposalIn, chosen: list[ProposalIn], state: RuleState) -> str:
    """Why a proposal the rules allow is not in the best selection: the first hard rule adding it would break."""
    holder = next((p.id for p in chosen if problem.one_per_contact and proposal.contact and p.contact == proposal.contact), None)
    if holder:
        return f"its contact author already has {holder} selected (one chapter per contact)"
    if state.budget is not None and state.funding + proposal.funding > state.budget + 1e-9:
        return f"it asks for {money(proposal.funding)} and {money(state.budget - state.funding)} is left in the budget"
    if state.total >= state.max_total:
        return f"the volume is full at {state.max_total} chapters"
    return "adding it would leave another minimum short"


class _Advisor:
    def __init__(self, problem: SelectionProblem, pool: list[ProposalIn], chosen: set[str], state: RuleState):
        self.problem, self.state = problem, state
        self.pool_ids = {p.id for p in pool}
        self.chosen = [p for p in problem.proposals if p.id in chosen]
        self.left_in_pool = sorted((p for p in pool if p.id not in chosen), key=lambda p: -p.score)
        excluded = set(problem.excluded)
        self.excluded = sorted((p for p in problem.proposals if p.id in excluded), key=lambda p: -p.score)
        floor = problem.min_score
        below = sorted((p for p in problem.proposals if floor is not None and p.id not in excluded
                        and p.id not in self.pool_ids), key=lambda p: -p.score)
        self.below = [p for p in below if p.reviewed]
        self.unreviewed = [p for p in below if not p.reviewed]  # no score yet, rather than a score of 0
        self.names = {t.id: t.name or t.id for t in problem.themes}

    def closers(self, theme: str | None, missing: int) -> list[Closer]:
        mine = (lambda p: True) if theme is None else (lambda p: p.theme == theme)
        found = []
        for proposal in [p for p in self.left_in_pool if mine(p)][:SHOWN]:
            found.append(Closer(kind="held_back", proposals=[proposal.id], text=(
                f"{proposal.id} ({scored(proposal)}) is left out: "
                f"{_held_back_reason(self.problem, proposal, self.chosen, self.state)}.")))
        excluded = [p for p in self.excluded if mine(p)][:SHOWN]
        if excluded:
            found.append(Closer(kind="excluded", proposals=[p.id for p in excluded], text=(
                f"{_listing(excluded)} {_verb(excluded, 'is', 'are')} excluded by the editors: clear the mark to "
                f"let {_verb(excluded, 'it', 'them')} count.")))
        below = [p for p in self.below if mine(p)][:SHOWN]
        if below:
            found.append(Closer(kind="below_min_score", proposals=[p.id for p in below], text=(
                f"{_listing(below)} {_verb(below, 'scores', 'score')} below the minimum score of "
                f"{self.problem.min_score:g}: pin {_verb(below, 'it', 'them')}, or lower the minimum.")))
        unreviewed = [p for p in self.unreviewed if mine(p)][:SHOWN]
        if unreviewed:
            found.append(Closer(kind="not_reviewed", proposals=[p.id for p in unreviewed], text=(
                f"{joined([p.id for p in unreviewed])} {_verb(unreviewed, 'is', 'are')} not yet reviewed: "
                f"{_verb(unreviewed, 'it counts', 'they count')} once {_verb(unreviewed, 'its reviews', 'their reviews')} "
                f"give {_verb(unreviewed, 'it', 'them')} a score of at least {self.problem.min_score:g}, "
                f"or if pinned.")))
        if theme is not None:
            found += self._moves(theme)
        where = f"“{self.names[theme]}”" if theme is not None else "the volume"
        found.append(Closer(kind="second_call", text=(
            f"Open a second call for {where} to find {plural(missing, 'more chapter')}.")))
        return found

    def _moves(self, theme: str) -> list[Closer]:
        """Proposals in other themes whose fit for ``theme`` is within the margin of their fit for their own, that
        the rules let in (score, exclusion) and whose move opens no shortfall where they are now."""
        margin = self.problem.fit_margin
        counts = {t.id: (t.count, t.min) for t in self.state.themes}
        chosen = {p.id for p in self.chosen}
        close = []
        for proposal in self.problem.proposals:
            fit = proposal.theme_fit.get(theme)
            if proposal.theme == theme or not fit or proposal.id not in self.pool_ids:
                continue
            count, minimum = counts[proposal.theme]
            if proposal.id in chosen and count <= minimum:
                continue  # moving it would only move the shortfall
            own = proposal.theme_fit.get(proposal.theme, 0.0)
            if fit >= own - margin:
                close.append((fit, own, proposal))
        close.sort(key=lambda item: (-item[0], -item[2].score))
        return [Closer(kind="other_theme", proposals=[p.id], text=(
            f"{p.id} ({scored(p)}, in “{self.names[p.theme]}”{', selected there' if p.id in chosen else ''}) "
            f"fits “{self.names[theme]}” {'better than' if round(fit, 2) > round(own, 2) else 'about as well as'} "
            f"its own theme ({fit:.2f} against {own:.2f}): move it, if its authors agree."))
            for fit, own, p in close[:SHOWN]]


def shortfalls(problem: SelectionProblem, pool: list[ProposalIn], chosen: set[str], state: RuleState) -> list[Shortfall]:
    """Every theme short of its minimum, then the volume if it is short of its own, each with its closers."""
    advisor = _Advisor(problem, pool, chosen, state)
    found = [Shortfall(theme=t.id, name=t.name, selected=t.count, min=t.min, missing=t.missing,
                       message=t.shortfall_text, closers=advisor.closers(t.id, t.missing))
             for t in state.themes if t.missing]
    if state.volume_missing:
        found.append(Shortfall(theme=None, name="The volume", selected=state.total, min=state.min_total,
                               missing=state.volume_missing, message=state.shortfalls[-1],
                               closers=advisor.closers(None, state.volume_missing)))
    return found
