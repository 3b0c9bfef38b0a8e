"""Exact selection of chapters: the highest total score within every theme's quota, the volume's size, a
funding budget and, if asked, one chapter per contact author.

A 0–1 integer programme solved by HiGHS through ``scipy.optimize.milp``. When no selection exists, the reason
is found by counting before the solver runs ("Theme “Industry” needs at least 3 chapters; only 2 proposals in
it score at least 3.0"). Beside the selection: why each theme holds as many chapters as it does, and the
runner-ups per theme (the best proposals left out, in the order to ask them if a selected author drops out).

Plain Python (pydantic, numpy, scipy); the CLI ``chapterhouse select`` and the web app call ``solve``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from chapterhouse.problemcli import json_schemas, tidy
from chapterhouse.tomlschema import Problem, SchemaFileError, StrictModel, validate_json

__all__ = ["SelectionProblem", "SelectionResult", "SelectionInputError", "parse_problem", "solve"]

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Number = Annotated[float, Field(allow_inf_nan=False)]
RUNNER_UPS = 3


class SelectionInputError(SchemaFileError):
    """A selection problem that cannot be solved as written, with every problem named by its JSON path."""


class ThemeIn(StrictModel):
    id: Id
    name: str = ""
    min: Annotated[int, Field(ge=0)]
    max: Annotated[int, Field(ge=0)]


class ProposalIn(StrictModel):
    id: Id
    theme: Id
    score: Number
    funding: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    contact: str = ""


class SelectionProblem(StrictModel):
    """The input of ``chapterhouse select`` (its JSON Schema: ``selection.input.schema.json``)."""

    themes: Annotated[list[ThemeIn], Field(min_length=1)]
    max_total: Annotated[int, Field(ge=0)]
    budget: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    one_per_contact: bool = False
    min_score: Number | None = Field(None, description="proposals scoring less are not selected unless pinned")
    proposals: list[ProposalIn]
    pinned: list[Id] = Field([], description="proposals that must be selected")
    excluded: list[Id] = Field([], description="proposals that must not be selected")


class Infeasible(BaseModel):
    reason: str


class SelectionResult(BaseModel):
    """The output of ``chapterhouse select --json`` (its JSON Schema: ``selection.output.schema.json``)."""

    status: str = Field(description="optimal or infeasible")
    selected: list[str] = []
    objective: float | None = Field(None, description="sum of the selected proposals' scores")
    by_theme: dict[str, int] = {}
    funding: float = 0.0
    infeasible: Infeasible | None = None
    runner_ups: dict[str, list[str]] = Field({}, description="per theme, the best proposals not selected, best first")
    why: dict[str, str] = Field({}, description="per theme, why it holds as many chapters as it does")
    solver: str = ""


def parse_problem(text: str | bytes, source: str = "<problem>") -> SelectionProblem:
    problem = validate_json(SelectionProblem, text, source, error=SelectionInputError)
    problems = reference_problems(problem)
    if problems:
        raise SelectionInputError(source, problems)
    return problem


def reference_problems(problem: SelectionProblem) -> list[Problem]:
    found = []
    themes = set()
    for index, theme in enumerate(problem.themes):
        if theme.id in themes:
            found.append(Problem(f"themes[{index}].id", f"{theme.id!r} is used twice"))
        themes.add(theme.id)
        if theme.max < theme.min:
            found.append(Problem(f"themes[{index}].max", f"must be an integer ≥ min ({theme.min})"))
    ids = set()
    for index, proposal in enumerate(problem.proposals):
        if proposal.id in ids:
            found.append(Problem(f"proposals[{index}].id", f"{proposal.id!r} is used twice"))
        ids.add(proposal.id)
        if proposal.theme not in themes:
            found.append(Problem(f"proposals[{index}].theme", f"no theme has the id {proposal.theme!r}"))
    for name in ("pinned", "excluded"):
        for index, value in enumerate(getattr(problem, name)):
            if value not in ids:
                found.append(Problem(f"{name}[{index}]", f"no proposal has the id {value!r}"))
    excluded = set(problem.excluded)
    for index, value in enumerate(problem.pinned):
        if value in excluded:
            found.append(Problem(f"pinned[{index}]", f"{value!r} is both pinned and excluded"))
    return found


# -- solving ---------------------------------------------------------------------------------------------

def _label(theme: ThemeIn) -> str:
    return f"Theme “{theme.name or theme.id}”"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _money(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def candidates(problem: SelectionProblem) -> list[ProposalIn]:
    """The proposals the solver may choose: not excluded and scoring at least ``min_score`` (or pinned)."""
    pinned, excluded = set(problem.pinned), set(problem.excluded)
    floor = problem.min_score
    return [p for p in problem.proposals
            if p.id not in excluded and (p.id in pinned or floor is None or p.score >= floor)]


def _why_none(problem: SelectionProblem, pool: list[ProposalIn]) -> Infeasible | None:
    """A reason no selection exists that counting alone shows, most specific first."""
    pinned = set(problem.pinned)
    in_theme = defaultdict(list)
    for proposal in pool:
        in_theme[proposal.theme].append(proposal)
    for theme in problem.themes:
        there = in_theme[theme.id]
        if len(there) < theme.min:
            which = (f"score at least {problem.min_score:g}" if problem.min_score is not None else "can be selected")
            return Infeasible(reason=f"{_label(theme)} needs at least {_plural(theme.min, 'chapter')}; only "
                                     f"{len(there)} proposal{'s' if len(there) != 1 else ''} in it {which}.")
        if problem.one_per_contact:
            contacts = len({p.contact or p.id for p in there})
            if contacts < theme.min:
                return Infeasible(reason=f"{_label(theme)} needs at least {_plural(theme.min, 'chapter')} with one per "
                                         f"contact author; its proposals have only {contacts} different contacts.")
        fixed = sum(p.id in pinned for p in there)
        if fixed > theme.max:
            return Infeasible(reason=f"{_label(theme)} takes at most {_plural(theme.max, 'chapter')}; {fixed} of its "
                                     f"proposals are pinned.")
    floor = sum(t.min for t in problem.themes)
    if floor > problem.max_total:
        return Infeasible(reason=f"The themes' minimums add up to {floor} chapters; the volume takes at most "
                                 f"{problem.max_total}.")
    if len(pinned) > problem.max_total:
        return Infeasible(reason=f"{len(pinned)} proposals are pinned; the volume takes at most {problem.max_total}.")
    if problem.one_per_contact:
        doubled = [c for c, n in Counter(p.contact for p in pool if p.id in pinned and p.contact).items() if n > 1]
        if doubled:
            return Infeasible(reason=f"Two pinned proposals share the contact {doubled[0]}; only one per contact "
                                     f"may be selected.")
    if problem.budget is not None:
        cheapest = 0.0
        for theme in problem.themes:
            there = in_theme[theme.id]
            must = [p.funding for p in there if p.id in pinned]
            rest = sorted(p.funding for p in there if p.id not in pinned)
            cheapest += sum(must) + sum(rest[:max(0, theme.min - len(must))])
        if cheapest > problem.budget + 1e-9:
            return Infeasible(reason=f"Meeting every theme's minimum costs at least {_money(cheapest)} in funding "
                                     f"(the pinned proposals and the cheapest others); the budget is "
                                     f"{_money(problem.budget)}.")
    return None


def _solve_milp(problem: SelectionProblem, pool: list[ProposalIn]):
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array

    count = len(pool)
    position = {t.id: i for i, t in enumerate(problem.themes)}
    theme_rows = coo_array((np.ones(count), ([position[p.theme] for p in pool], np.arange(count))),
                           shape=(len(problem.themes), count))
    constraints = [
        LinearConstraint(theme_rows, [t.min for t in problem.themes], [t.max for t in problem.themes]),
        LinearConstraint(np.ones((1, count)), 0, problem.max_total),
    ]
    if problem.budget is not None:
        constraints.append(LinearConstraint(np.array([[p.funding for p in pool]]), 0, problem.budget))
    if problem.one_per_contact:
        groups = defaultdict(list)
        for index, proposal in enumerate(pool):
            if proposal.contact:
                groups[proposal.contact].append(index)
        shared = [members for members in groups.values() if len(members) > 1]
        if shared:
            rows = [row for row, members in enumerate(shared) for _ in members]
            cols = [index for members in shared for index in members]
            constraints.append(LinearConstraint(coo_array((np.ones(len(cols)), (rows, cols)),
                                                          shape=(len(shared), count)), 0, 1))
    pinned = set(problem.pinned)
    lower = np.array([1.0 if p.id in pinned else 0.0 for p in pool])
    return milp(-np.array([p.score for p in pool]), constraints=constraints, integrality=np.ones(count),
                bounds=Bounds(lower, np.ones(count)))


def _why_filled(problem: SelectionProblem, pool: list[ProposalIn], chosen: set[str], funding: float) -> dict[str, str]:
    """One sentence per theme: which constraint stops it holding more (or fewer) chapters."""
    picked_contacts = {p.contact for p in pool if p.id in chosen and p.contact}
    out = {}
    for theme in problem.themes:
        there = sorted((p for p in pool if p.theme == theme.id), key=lambda p: -p.score)
        count = sum(p.id in chosen for p in there)
        left = [p for p in there if p.id not in chosen]
        if count == theme.max:
            out[theme.id] = f"At its maximum of {theme.max}."
        elif not left:
            out[theme.id] = f"Every eligible proposal in it is selected ({count})."
        elif len(chosen) >= problem.max_total:
            out[theme.id] = (f"The volume is full ({problem.max_total} chapters); its next proposal, {left[0].id} "
                             f"(score {left[0].score:g}), scores lower than those chosen elsewhere.")
        elif problem.budget is not None and funding + left[0].funding > problem.budget + 1e-9:
            out[theme.id] = (f"Its next proposal, {left[0].id}, asks for {_money(left[0].funding)}, more than "
                             f"the {_money(problem.budget - funding)} left in the budget.")
        elif problem.one_per_contact and left[0].contact in picked_contacts:
            out[theme.id] = f"Its next proposal, {left[0].id}, has a contact author already selected."
        else:
            out[theme.id] = (f"Adding its next proposal, {left[0].id}, would break the quotas, budget or "
                             f"one-per-contact rule elsewhere.")
        if count == theme.min and count < theme.max:
            out[theme.id] += f" At its minimum of {theme.min}."
    return out


def solve(problem: SelectionProblem) -> SelectionResult:
    pool = candidates(problem)
    blocked = _why_none(problem, pool)
    if blocked:
        return SelectionResult(status="infeasible", infeasible=blocked, solver="counting (exact)")
    if pool:
        result = _solve_milp(problem, pool)
        if result.status != 0:
            return SelectionResult(
                status="infeasible", solver=f"HiGHS: {result.message}",
                infeasible=Infeasible(reason="No selection meets the quotas, the volume's size, the budget and "
                                             "the one-per-contact rule together; relax one of them."))
        chosen = {p.id for p, x in zip(pool, result.x) if x > 0.5}
        message = f"HiGHS MILP: {result.message}"
    else:
        chosen, message = set(), "nothing to select"
    selected = [p for p in problem.proposals if p.id in chosen]
    funding = sum(p.funding for p in selected)
    runner_ups = {t.id: [p.id for p in sorted((p for p in pool if p.theme == t.id and p.id not in chosen),
                                              key=lambda p: -p.score)][:RUNNER_UPS] for t in problem.themes}
    return SelectionResult(
        status="optimal", selected=[p.id for p in selected], objective=tidy(sum(p.score for p in selected)),
        by_theme={t.id: sum(p.theme == t.id for p in selected) for t in problem.themes}, funding=tidy(funding),
        runner_ups=runner_ups, why=_why_filled(problem, pool, chosen, funding), solver=message,
    )



def schemas() -> dict[str, dict]:
    return json_schemas(SelectionProblem, SelectionResult)
