"""Exact selection of chapters: the highest total score within every theme's quota, the volume's size, a
funding budget and, if asked, one chapter per contact author; and, when the proposals cannot fill the minimums
(the usual case), the best selection that comes closest.

A 0–1 integer programme solved by HiGHS through ``scipy.optimize.milp``, lexicographically and exactly, in two
solves: first the fewest chapters missing from the themes' minimums and the volume's minimum (these are targets),
then, with that shortfall fixed, the highest total score. The maximums, the budget, one per contact, the minimum
score and the editors' exclusions are hard rules; only pins can make them impossible together, and counting names
how ("Theme “Industry” takes at most 2 chapters; 3 of its proposals are pinned."). Every answer is checked by
``checker.check`` (counting, not HiGHS). Beside the selection: each shortfall with what would close it
(``shortfall``), why each theme holds as many chapters as it does, and the runner-ups per theme.

Plain Python (pydantic, numpy, scipy); the CLI ``chapterhouse select`` and the web app call ``solve``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from chapterhouse.problemcli import json_schemas, tidy
from chapterhouse.selection.checker import RuleState, check, money, plural
from chapterhouse.selection.shortfall import Shortfall, scored, shortfalls
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
    reviewed: bool = Field(True, description="false when no review is in yet (its score is then 0): the advice "
                                             "says it is not yet reviewed rather than quoting the score")
    funding: Annotated[float, Field(ge=0, allow_inf_nan=False)] = 0.0
    contact: str = ""
    theme_fit: dict[Id, Number] = Field(
        {}, description="how well the proposal fits each theme (theme id → score, e.g. the screening's theme fit); "
                        "only used to suggest moves that would close a shortfall")


class SelectionProblem(StrictModel):
    """The input of ``chapterhouse select`` (its JSON Schema: ``selection.input.schema.json``)."""

    themes: Annotated[list[ThemeIn], Field(min_length=1)]
    max_total: Annotated[int, Field(ge=0)]
    min_total: Annotated[int, Field(ge=0)] = Field(0, description="the volume's minimum: a target, like the themes' minimums")
    budget: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    one_per_contact: bool = False
    min_score: Number | None = Field(None, description="proposals scoring less are not selected unless pinned")
    proposals: list[ProposalIn]
    pinned: list[Id] = Field([], description="proposals that must be selected")
    excluded: list[Id] = Field([], description="proposals that must not be selected")
    fit_margin: Annotated[float, Field(ge=0, allow_inf_nan=False)] = Field(
        0.05, description="a proposal whose fit for a short theme is within this of its fit for its own theme is "
                          "suggested for a move")


class Infeasible(BaseModel):
    reason: str


class SelectionResult(BaseModel):
    """The output of ``chapterhouse select --json`` (its JSON Schema: ``selection.output.schema.json``)."""

    status: str = Field(description="optimal (the best selection the rules allow, shortfalls included) or "
                                    "infeasible (pins break a hard rule)")
    selected: list[str] = []
    objective: float | None = Field(None, description="sum of the selected proposals' scores")
    shortfall: int = Field(0, description="chapters missing from the themes' and the volume's minimums, added up "
                                          "(minimised first, before the score)")
    shortfalls: list[Shortfall] = Field([], description="each minimum not met, with what would close it")
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
    if problem.max_total < problem.min_total:
        found.append(Problem("max_total", f"must be an integer ≥ min_total ({problem.min_total})"))
    ids = set()
    for index, proposal in enumerate(problem.proposals):
        if proposal.id in ids:
            found.append(Problem(f"proposals[{index}].id", f"{proposal.id!r} is used twice"))
        ids.add(proposal.id)
        if proposal.theme not in themes:
            found.append(Problem(f"proposals[{index}].theme", f"no theme has the id {proposal.theme!r}"))
        for key in proposal.theme_fit:
            if key not in themes:
                found.append(Problem(f"proposals[{index}].theme_fit.{key}", f"no theme has the id {key!r}"))
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


def candidates(problem: SelectionProblem) -> list[ProposalIn]:
    """The proposals the solver may choose: not excluded and scoring at least ``min_score`` (or pinned)."""
    pinned, excluded = set(problem.pinned), set(problem.excluded)
    floor = problem.min_score
    return [p for p in problem.proposals
            if p.id not in excluded and (p.id in pinned or floor is None or p.score >= floor)]


def _pins_impossible(problem: SelectionProblem) -> Infeasible | None:
    """Why the pins alone break a hard rule, or None. Every hard rule is an upper limit, so selecting only the
    pinned proposals is a selection unless the pins themselves break one: counting them is complete."""
    pins = [p for p in problem.proposals if p.id in set(problem.pinned)]
    for theme in problem.themes:
        fixed = sum(p.theme == theme.id for p in pins)
        if fixed > theme.max:
            return Infeasible(reason=f"{_label(theme)} takes at most {plural(theme.max, 'chapter')}; {fixed} of "
                                     f"its proposals are pinned.")
    if len(pins) > problem.max_total:
        return Infeasible(reason=f"{len(pins)} proposals are pinned; the volume takes at most "
                                 f"{plural(problem.max_total, 'chapter')}.")
    if problem.one_per_contact:
        doubled = [c for c, n in Counter(p.contact for p in pins if p.contact).items() if n > 1]
        if doubled:
            shared = [p.id for p in pins if p.contact == doubled[0]]
            return Infeasible(reason=f"The pinned proposals {' and '.join(shared)} share a contact author; only "
                                     f"one chapter per contact may be selected.")
    funding = sum(p.funding for p in pins)
    if problem.budget is not None and funding > problem.budget + 1e-9:
        return Infeasible(reason=f"The pinned proposals ask for {money(funding)} in funding; the budget is "
                                 f"{money(problem.budget)}.")
    return None


def _solve_milp(problem: SelectionProblem, pool: list[ProposalIn]):
    """(chosen ids, shortfall, HiGHS's message), or (None, None, message) if HiGHS fails.

    Variables: one 0–1 per proposal in the pool, then one integer shortfall per theme and one for the volume.
    Stage 1 minimises the shortfalls' sum; stage 2 keeps it at that (an integer, so exactly) and maximises the
    score. Two solves rather than one weighted objective: no weight to get wrong, no tolerance to trust.
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_array, eye_array, hstack

    count, themes = len(pool), len(problem.themes)
    slack = themes + 1
    position = {t.id: i for i, t in enumerate(problem.themes)}
    # One row per theme and a last row for the volume, over the proposals.
    themes_of = [position[p.theme] for p in pool]
    rows = coo_array((np.ones(2 * count), (np.concatenate([themes_of, np.full(count, themes)]),
                                           np.tile(np.arange(count), 2))), shape=(slack, count))
    mins = np.array([t.min for t in problem.themes] + [problem.min_total], dtype=float)
    maxes = np.array([t.max for t in problem.themes] + [problem.max_total], dtype=float)
    constraints = [
        LinearConstraint(hstack([rows, coo_array((slack, slack))]), 0, maxes),  # the maximums, hard
        LinearConstraint(hstack([rows, eye_array(slack)]), mins, np.inf),  # count + shortfall ≥ minimum
    ]
    if problem.budget is not None:
        constraints.append(LinearConstraint(np.concatenate([[p.funding for p in pool], np.zeros(slack)])[None, :],
                                            0, problem.budget))
    if problem.one_per_contact:
        groups = defaultdict(list)
        for index, proposal in enumerate(pool):
            if proposal.contact:
                groups[proposal.contact].append(index)
        shared = [members for members in groups.values() if len(members) > 1]
        if shared:
            group_rows = [row for row, members in enumerate(shared) for _ in members]
            cols = [index for members in shared for index in members]
            constraints.append(LinearConstraint(coo_array((np.ones(len(cols)), (group_rows, cols)),
                                                          shape=(len(shared), count + slack)), 0, 1))
    pinned = set(problem.pinned)
    lower = np.concatenate([[1.0 if p.id in pinned else 0.0 for p in pool], np.zeros(slack)])
    bounds = Bounds(lower, np.concatenate([np.ones(count), mins]))
    integrality = np.ones(count + slack)
    missing = np.concatenate([np.zeros(count), np.ones(slack)])
    first = milp(missing, constraints=constraints, integrality=integrality, bounds=bounds)
    if first.status != 0:
        return None, None, first.message
    shortfall = int(round(first.fun))
    constraints.append(LinearConstraint(missing[None, :], 0, shortfall))
    second = milp(-np.concatenate([[p.score for p in pool], np.zeros(slack)]), constraints=constraints,
                  integrality=integrality, bounds=bounds)
    if second.status != 0:
        return None, None, second.message
    chosen = {p.id for p, x in zip(pool, second.x[:count]) if x > 0.5}
    said = first.message if first.message == second.message else f"{first.message}; {second.message}"
    return chosen, shortfall, f"two exact solves (fewest chapters missing, then the highest score): {said}"


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
            out[theme.id] = (f"Every eligible proposal in it is selected ({count})." if there
                             else "No proposal in it can be selected.")
        elif len(chosen) >= problem.max_total:
            out[theme.id] = (f"The volume is full ({problem.max_total} chapters); its next proposal, {left[0].id} "
                             f"({scored(left[0])}), scores lower than those chosen elsewhere.")
        elif problem.budget is not None and funding + left[0].funding > problem.budget + 1e-9:
            out[theme.id] = (f"Its next proposal, {left[0].id}, asks for {money(left[0].funding)}, more than "
                             f"the {money(problem.budget - funding)} left in the budget.")
        elif problem.one_per_contact and left[0].contact in picked_contacts:
            out[theme.id] = f"Its next proposal, {left[0].id}, has a contact author already selected."
        else:
            out[theme.id] = (f"Adding its next proposal, {left[0].id}, would break the quotas, budget or "
                             f"one-per-contact rule elsewhere.")
        if count < theme.min:
            out[theme.id] += f" {theme.min - count} short of its minimum of {theme.min}."
        elif count == theme.min and count < theme.max:
            out[theme.id] += f" At its minimum of {theme.min}."
    return out


class SolverDisagrees(RuntimeError):
    """HiGHS returned a selection the independent check finds breaking a hard rule: a bug, never shown as a result."""


def _verified(problem: SelectionProblem, chosen: set[str], shortfall: int | None) -> RuleState:
    state = check(problem, chosen)
    if state.broken or (shortfall is not None and state.shortfall != shortfall):
        raise SolverDisagrees(f"HiGHS's selection fails the check: {state.broken or 'shortfall differs'}")
    return state


def solve(problem: SelectionProblem) -> SelectionResult:
    blocked = _pins_impossible(problem)
    if blocked:
        return SelectionResult(status="infeasible", infeasible=blocked, solver="counting (exact)")
    pool = candidates(problem)
    if pool:
        chosen, shortfall, message = _solve_milp(problem, pool)
        if chosen is None:
            return SelectionResult(status="infeasible", solver=f"HiGHS: {message}", infeasible=Infeasible(
                reason=f"The solver found no selection ({message}); the pins were checked and keep every rule, so "
                       f"this is a fault: please report it with the problem."))
        message = f"HiGHS MILP: {message}"
    else:
        chosen, shortfall, message = set(), None, "nothing to select"
    state = _verified(problem, chosen, shortfall)
    selected = [p for p in problem.proposals if p.id in chosen]
    runner_ups = {t.id: [p.id for p in sorted((p for p in pool if p.theme == t.id and p.id not in chosen),
                                              key=lambda p: -p.score)][:RUNNER_UPS] for t in problem.themes}
    return SelectionResult(
        status="optimal", selected=[p.id for p in selected], objective=tidy(sum(p.score for p in selected)),
        shortfall=state.shortfall, shortfalls=shortfalls(problem, pool, chosen, state),
        by_theme={t.id: t.count for t in state.themes}, funding=tidy(state.funding),
        runner_ups=runner_ups, why=_why_filled(problem, pool, chosen, state.funding), solver=message,
    )


def schemas() -> dict[str, dict]:
    return json_schemas(SelectionProblem, SelectionResult)
