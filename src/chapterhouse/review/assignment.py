"""Exact reviewer assignment: every proposal gets k reviewers, no reviewer beyond their load, no conflicts.

An integer programme solved by HiGHS through ``scipy.optimize.milp``. Only eligible pairs (not in conflict,
not forbidden) are variables, and the constraint matrices are sparse, so 2,000 proposals × 200 reviewers
solve in about a second. Objective "total" maximises the sum of affinities. Objective "fair" first maximises
the lowest affinity of any assigned pair (no proposal gets a reviewer matched worse than it must), then, at that
level, the sum: the level by bisection over the distinct affinities, each step a maximum flow (exact, and
its failure one step above is the proof), then the sum as "total" on the pairs at or above the level. (Maximising
the lowest proposal's *sum* instead is strongly NP-hard, by 3-partition, and HiGHS could not prove it at 300 × 30
in 30 s; the level of the worst pair is what bisection over flows decides exactly.) Before solving, counting and
a maximum flow decide feasibility exactly; when there is no assignment, the minimum cut names the proposals that
cannot be covered and why.

Plain Python (pydantic, numpy, scipy); the CLI ``chapterhouse assign`` and the web app call ``solve``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from chapterhouse.problemcli import json_schemas, listing, tidy
from chapterhouse.review.conflicts import ConflictIndex, Person
from chapterhouse.tomlschema import Problem, SchemaFileError, StrictModel, validate_json

__all__ = ["AssignmentProblem", "AssignmentResult", "AssignmentInputError", "parse_problem", "solve"]

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
Score = Annotated[float, Field(allow_inf_nan=False)]


class AssignmentInputError(SchemaFileError):
    """An assignment problem that cannot be solved as written, with every problem named by its JSON path."""


class AuthorIn(StrictModel):
    name: str = ""
    email: str = ""
    affiliation: str = ""


class ProposalIn(StrictModel):
    id: Id
    authors: list[AuthorIn] = []


class ReviewerIn(StrictModel):
    id: Id
    name: str = ""
    email: str = ""
    affiliation: str = ""
    max_load: Annotated[int, Field(ge=0)]


class AssignmentProblem(StrictModel):
    """The input of ``chapterhouse assign`` (its JSON Schema: ``assignment.input.schema.json``)."""

    reviewers_per_proposal: Annotated[int, Field(ge=1)]
    proposals: list[ProposalIn]
    reviewers: list[ReviewerIn]
    affinity: list[tuple[Id, Id, Score]] = Field([], description="[proposal, reviewer, score]; missing pairs score 0")
    conflicts: list[tuple[Id, Id]] = Field([], description="declared conflicts, [proposal, reviewer]")
    pinned: list[tuple[Id, Id]] = Field([], description="pairs that must be in the assignment")
    forbidden: list[tuple[Id, Id]] = Field([], description="pairs that must not be in the assignment")
    objective: Literal["total", "fair"] = "total"
    detect_conflicts: bool = Field(True, description="also find conflicts from authors' and reviewers' e-mails and affiliations")
    time_limit: Annotated[float, Field(gt=0)] | None = Field(
        None, description="seconds HiGHS may spend; if reached, the best assignment found is returned with status "
                          "\"time_limit\" (valid, not proven optimal)")


class ConflictApplied(BaseModel):
    proposal: str
    reviewer: str
    reason: str
    source: Literal["declared", "detected"]


class Infeasible(BaseModel):
    reason: str
    proposals: list[str] = []


class AssignmentResult(BaseModel):
    """The output of ``chapterhouse assign --json`` (its JSON Schema: ``assignment.output.schema.json``)."""

    status: Literal["optimal", "time_limit", "infeasible"]
    assignment: list[tuple[str, str]] = []
    objective: float | None = Field(None, description="sum of the affinities of the assigned pairs")
    lowest_pair_affinity: float | None = Field(None, description="the lowest affinity of any assigned pair (what "
                                                                  "\"fair\" maximises first)")
    lowest_proposal_total: float | None = Field(None, description="the smallest sum of affinities any proposal gets")
    conflicts_applied: list[ConflictApplied] = []
    infeasible: Infeasible | None = None
    solver: str = ""


# -- reading a problem -----------------------------------------------------------------------------------

def parse_problem(text: str | bytes, source: str = "<problem>") -> AssignmentProblem:
    problem = validate_json(AssignmentProblem, text, source, error=AssignmentInputError)
    problems = reference_problems(problem)
    if problems:
        raise AssignmentInputError(source, problems)
    return problem


def _duplicates(ids: list[str], path: str) -> list[Problem]:
    seen: set[str] = set()
    found = []
    for index, value in enumerate(ids):
        if value in seen:
            found.append(Problem(f"{path}[{index}].id", f"{value!r} is used twice"))
        seen.add(value)
    return found


def reference_problems(problem: AssignmentProblem) -> list[Problem]:
    """Ids used twice, pairs naming unknown proposals or reviewers, a pair both pinned and forbidden."""
    found = _duplicates([p.id for p in problem.proposals], "proposals") + _duplicates([r.id for r in problem.reviewers], "reviewers")
    proposals, reviewers = {p.id for p in problem.proposals}, {r.id for r in problem.reviewers}
    for name in ("affinity", "conflicts", "pinned", "forbidden"):
        seen: set[tuple[str, str]] = set()
        for index, row in enumerate(getattr(problem, name)):
            if row[0] not in proposals:
                found.append(Problem(f"{name}[{index}][0]", f"no proposal has the id {row[0]!r}"))
            if row[1] not in reviewers:
                found.append(Problem(f"{name}[{index}][1]", f"no reviewer has the id {row[1]!r}"))
            if name == "affinity" and (row[0], row[1]) in seen:
                found.append(Problem(f"{name}[{index}]", f"the pair {row[0]!r}, {row[1]!r} is scored twice"))
            seen.add((row[0], row[1]))
    forbidden = {tuple(pair) for pair in problem.forbidden}
    for index, pair in enumerate(problem.pinned):
        if tuple(pair) in forbidden:
            found.append(Problem(f"pinned[{index}]", f"{pair[0]!r}, {pair[1]!r} is both pinned and forbidden"))
    return found


# -- solving ---------------------------------------------------------------------------------------------

@dataclass
class _Model:
    """The problem as index arrays: who may review what, what is pinned, what each pair is worth."""

    proposal_ids: list[str]
    reviewer_ids: list[str]
    need: list[int]
    loads: list[int]
    eligible: object  # boolean matrix proposals × reviewers
    pinned: object  # boolean matrix
    scores: object  # float matrix


def _excluded_pairs(problem: AssignmentProblem, pindex: dict, rindex: dict) -> dict[tuple[int, int], ConflictApplied]:
    excluded: dict[tuple[int, int], ConflictApplied] = {}
    for proposal, reviewer in problem.conflicts:
        excluded[pindex[proposal], rindex[reviewer]] = ConflictApplied.model_construct(
            proposal=proposal, reviewer=reviewer, reason="declared conflict", source="declared")
    if problem.detect_conflicts:
        index = ConflictIndex([Person(r.name, r.email, r.affiliation) for r in problem.reviewers])
        for p, proposal in enumerate(problem.proposals):
            found = index.conflicts(Person(a.name, a.email, a.affiliation) for a in proposal.authors)
            for r, reason in found.items():
                excluded.setdefault((p, r), ConflictApplied.model_construct(proposal=proposal.id, reviewer=problem.reviewers[r].id,
                                                            reason=reason, source="detected"))
    return excluded


def _model(problem: AssignmentProblem, excluded: dict) -> _Model:
    import numpy as np

    pindex = {p.id: i for i, p in enumerate(problem.proposals)}
    rindex = {r.id: i for i, r in enumerate(problem.reviewers)}
    shape = (len(pindex), len(rindex))
    eligible = np.ones(shape, dtype=bool)
    for p, r in excluded:
        eligible[p, r] = False
    for proposal, reviewer in problem.forbidden:
        eligible[pindex[proposal], rindex[reviewer]] = False
    pinned = np.zeros(shape, dtype=bool)
    for proposal, reviewer in problem.pinned:
        pinned[pindex[proposal], rindex[reviewer]] = True
    scores = np.zeros(shape)
    count = len(problem.affinity)
    if count:
        rows = np.fromiter((pindex[row[0]] for row in problem.affinity), dtype=np.intp, count=count)
        cols = np.fromiter((rindex[row[1]] for row in problem.affinity), dtype=np.intp, count=count)
        scores[rows, cols] = np.fromiter((row[2] for row in problem.affinity), dtype=float, count=count)
    return _Model(list(pindex), list(rindex), [problem.reviewers_per_proposal] * shape[0],
                  [r.max_load for r in problem.reviewers], eligible, pinned, scores)

def _pinning_problems(problem: AssignmentProblem, model: _Model, excluded: dict) -> Infeasible | None:
    import numpy as np

    for proposal, reviewer in problem.pinned:
        p, r = model.proposal_ids.index(proposal), model.reviewer_ids.index(reviewer)
        if (p, r) in excluded:
            return Infeasible(reason=f"{proposal} is pinned to {reviewer}, but they are in conflict "
                                     f"({excluded[p, r].reason}).", proposals=[proposal])
    k = problem.reviewers_per_proposal
    over = [model.proposal_ids[p] for p in np.flatnonzero(model.pinned.sum(axis=1) > k)]
    if over:
        return Infeasible(reason=f"{listing(over)} {'has' if len(over) == 1 else 'have'} more than {k} pinned "
                                 f"reviewers; {k} are needed.", proposals=over)
    for r in np.flatnonzero(model.pinned.sum(axis=0) > np.array(model.loads)):
        return Infeasible(reason=f"Reviewer {model.reviewer_ids[r]} is pinned to {int(model.pinned[:, r].sum())} "
                                 f"proposals but takes at most {model.loads[r]}.",
                          proposals=[model.proposal_ids[p] for p in np.flatnonzero(model.pinned[:, r])])
    return None


def _shortfall(problem: AssignmentProblem, model: _Model, *, cut: bool) -> Infeasible | None:
    """Which proposals cannot get their k reviewers: counting first, then (``cut``) by a maximum flow, exact."""
    import numpy as np
    from scipy.sparse.csgraph import breadth_first_order

    k = problem.reviewers_per_proposal
    free = model.eligible & ~model.pinned
    available = model.pinned.sum(axis=1) + free.sum(axis=1)
    few = np.flatnonzero(available < k)
    if len(few):
        ids = [model.proposal_ids[p] for p in few]
        first = int(available[few[0]])
        reason = (f"{ids[0]} has {first} eligible reviewer{'s' if first != 1 else ''}; {k} are needed"
                  + (f" (and {len(ids) - 1} more proposals have too few)." if len(ids) > 1 else "."))
        return Infeasible(reason=reason, proposals=ids)

    n, m = free.shape
    need = k - model.pinned.sum(axis=1)
    spare = np.array(model.loads) - model.pinned.sum(axis=0)
    total = int(need.sum())
    if total == 0:
        return None
    if int(spare.sum()) < total:
        return Infeasible(reason=f"{total} more reviews are needed but the reviewers' remaining loads add up to "
                                 f"{int(spare.sum())}; invite more reviewers or raise their loads.",
                          proposals=list(model.proposal_ids))
    if not cut:
        return None
    value, graph, flow = _max_flow(free, need, spare)
    if value >= total:
        return None
    # The minimum cut: what the source still reaches in the residual graph is the part that cannot be covered.
    residual = (graph - flow.flow).tocsr()
    residual.data = (residual.data > 0).astype(np.int32)
    residual.eliminate_zeros()
    reached = set(breadth_first_order(residual, 0, return_predecessors=False).tolist())
    stuck = [p for p in range(n) if 1 + p in reached]
    demand = int(need[stuck].sum())
    supply = int(sum(min(spare[r], int(free[stuck, r].sum())) for r in range(m)))
    ids = [model.proposal_ids[p] for p in stuck]
    return Infeasible(
        reason=f"{listing(ids)} need {demand} more reviews between them, but the reviewers eligible for them "
               f"can take only {supply} (their load limits and conflicts leave no more).",
        proposals=ids)


def _max_flow(free, need, spare):
    """The maximum flow source → proposal (its need) → reviewer (one per allowed pair) → sink (their spare
    load): (its value, the graph, scipy's flow). Its value is the number of reviews that can be placed."""
    import numpy as np
    from scipy.sparse import coo_array
    from scipy.sparse.csgraph import maximum_flow

    n, m = free.shape
    source, sink = 0, n + m + 1
    pairs = np.argwhere(free)
    rows = np.concatenate([np.zeros(n, int), 1 + pairs[:, 0], 1 + n + np.arange(m)])
    cols = np.concatenate([1 + np.arange(n), 1 + n + pairs[:, 1], np.full(m, sink)])
    caps = np.concatenate([need, np.ones(len(pairs), int), spare]).astype(np.int32)
    graph = coo_array((caps, (rows, cols)), shape=(n + m + 2,) * 2).tocsr()
    flow = maximum_flow(graph, source, sink)
    return flow.flow_value, graph, flow


def _fair_level(model: _Model) -> tuple[float | None, str]:
    """The highest level L such that every proposal can get its reviewers with every assigned pair scoring at
    least L (pinned pairs count as they are), and the proof, in words; (None, why) when no assignment exists.

    Feasibility only grows as L falls, so bisection over the distinct affinities of the free pairs finds L
    exactly: a maximum flow places every review at L, and at the next distinct value above L either a flow
    falls short (its minimum cut is the proof) or some proposal has too few pairs left (counting is the proof).
    """
    import numpy as np

    pinned_floor = float(model.scores[model.pinned].min()) if model.pinned.any() else np.inf
    free = model.eligible & ~model.pinned
    need = np.array(model.need) - model.pinned.sum(axis=1)
    spare = np.array(model.loads) - model.pinned.sum(axis=0)
    total = int(need.sum())
    if total == 0:  # every review is pinned (there is at least one proposal, so at least one pin)
        return pinned_floor, "every review is pinned"
    # No proposal can do better than its need-th best free pair: the bisection's ceiling, by counting.
    ranked = -np.sort(-np.where(free, model.scores, -np.inf), axis=1)
    wanting = np.flatnonzero(need > 0)
    bests = ranked[wanting, need[wanting] - 1]
    tightest = int(wanting[np.argmin(bests)])
    ceiling = float(bests.min())
    values = np.unique(model.scores[free])
    values = values[values <= ceiling]
    flows = 0

    def placed(level: float) -> bool:
        nonlocal flows
        flows += 1
        return _max_flow(free & (model.scores >= level), need, spare)[0] >= total

    if not len(values) or not placed(values[0]):
        return None, "no assignment at any level"
    low, high = 0, len(values)  # values[low] places every review; values[high:] do not (or lie above the ceiling)
    if placed(values[-1]):
        low = len(values) - 1
    else:
        high = len(values) - 1
        while high - low > 1:
            middle = (low + high) // 2
            if placed(values[middle]):
                low = middle
            else:
                high = middle
    level = float(values[low])
    above = (f"at {values[low + 1]:g} a maximum flow places fewer than {total} reviews" if low + 1 < len(values)
             else f"above it {model.proposal_ids[tightest]} has fewer than {int(need[tightest])} eligible reviewers")
    proof = f"level {level:g} proven by bisection: {flows} maximum flows; at {level:g} every review is placed, {above}"
    if pinned_floor < level:
        return pinned_floor, f"level {pinned_floor:g}, the lowest pinned pair ({proof.replace('level ', 'free pairs reach ', 1)})"
    return level, proof


@dataclass
class _Pairs:
    """The variables of one solve: chosen (proposal, reviewer) index pairs and the sparse matrices over them."""

    rows: object
    cols: object
    scores: object
    by_proposal: object
    by_reviewer: object
    lower: object

    @classmethod
    def of(cls, model: _Model, mask) -> _Pairs:
        import numpy as np
        from scipy.sparse import coo_array

        rows, cols = np.nonzero(mask)
        count = np.arange(len(rows))
        ones = np.ones(len(rows))
        return cls(rows, cols, model.scores[rows, cols],
                   coo_array((ones, (rows, count)), shape=(len(model.need), len(rows))).tocsr(),
                   coo_array((ones, (cols, count)), shape=(len(model.loads), len(rows))).tocsr(),
                   model.pinned[rows, cols].astype(float))

    def constraints(self, model: _Model) -> list:
        from scipy.optimize import LinearConstraint

        return [LinearConstraint(self.by_proposal, model.need, model.need),
                LinearConstraint(self.by_reviewer, 0, model.loads)]


# Pairs first offered to the solver per proposal, as a multiple of k (more are added while any would pay).
FIRST_CANDIDATES = 2


def _priced_pairs(model: _Model):
    """(pairs to offer, pairs every optimum contains or None): the smallest set of pairs on which the linear relaxation is already optimal for the whole problem.

    Column generation: solve on each proposal's best few eligible reviewers, then price every left-out pair
    with the duals (affinity − proposal's dual − reviewer's dual); add any that would improve the sum and
    solve again. When none would, LP duality proves no left-out pair can improve the optimum. The cover and
    load constraints form a transportation problem (totally unimodular), so that optimum is integral too.
    """
    import numpy as np
    from scipy.optimize import linprog

    allowed = model.eligible | model.pinned
    width = min(allowed.shape[1], FIRST_CANDIDATES * max(model.need))
    ranked = np.argsort(-np.where(allowed, model.scores, -np.inf), axis=1, kind="stable")[:, :width]
    mask = np.zeros_like(allowed)
    np.put_along_axis(mask, ranked, True, axis=1)
    mask = (mask & allowed) | model.pinned
    while True:
        pairs = _Pairs.of(model, mask)
        lp = linprog(-pairs.scores, A_ub=pairs.by_reviewer, b_ub=model.loads, A_eq=pairs.by_proposal,
                     b_eq=model.need, bounds=np.column_stack([pairs.lower, np.ones(len(pairs.rows))]),
                     method="highs-ds")
        if lp.status == 2 and not mask[allowed].all():  # too few candidates to cover everyone yet: widen
            width = min(allowed.shape[1], width * 2)
            ranked = np.argsort(-np.where(allowed, model.scores, -np.inf), axis=1, kind="stable")[:, :width]
            np.put_along_axis(mask, ranked, True, axis=1)
            mask &= allowed
            continue
        if lp.status != 0:
            return mask, None
        reduced = model.scores + lp.eqlin.marginals[:, None] + lp.ineqlin.marginals[None, :]
        improving = allowed & ~mask & (reduced > 1e-9)
        if not improving.any():
            # Complementary slackness: a pair priced below zero is in no optimal solution, one above is in all.
            keep = mask & ((reduced > -1e-7) | model.pinned)
            return keep, keep & (reduced > 1e-7)
        mask |= improving


def _usable(result) -> bool:
    """Optimal, or stopped at the time limit holding a feasible solution."""
    return result.status == 0 or (result.status == 1 and result.x is not None)


def _solve_milp(model: _Model, time_limit: float | None = None) -> tuple[object, str, bool]:
    """The highest-total assignment as a boolean matrix (None if the solver failed), the solver's message, and
    whether optimality is proven (False only when a time limit stopped HiGHS)."""
    import numpy as np
    from scipy.optimize import Bounds, milp

    options = {"time_limit": time_limit} if time_limit else {}
    offered, certain = _priced_pairs(model)
    pairs = _Pairs.of(model, offered)
    if certain is not None:
        pairs.lower = np.maximum(pairs.lower, certain[pairs.rows, pairs.cols])
    result = milp(-pairs.scores, constraints=pairs.constraints(model), integrality=np.ones(len(pairs.rows)),
                  bounds=Bounds(pairs.lower, np.ones(len(pairs.rows))), options=options)
    if not _usable(result):
        return None, result.message, False
    chosen = np.zeros_like(model.eligible)
    picked = result.x > 0.5
    chosen[pairs.rows[picked], pairs.cols[picked]] = True
    return chosen, result.message, result.status == 0


def conflicts_of(problem: AssignmentProblem) -> list[ConflictApplied]:
    """Every declared and detected conflict the solver would keep apart, without solving."""
    pindex = {p.id: i for i, p in enumerate(problem.proposals)}
    rindex = {r.id: i for i, r in enumerate(problem.reviewers)}
    return list(_excluded_pairs(problem, pindex, rindex).values())



def solve(problem: AssignmentProblem) -> AssignmentResult:
    import numpy as np

    pindex = {p.id: i for i, p in enumerate(problem.proposals)}
    rindex = {r.id: i for i, r in enumerate(problem.reviewers)}
    excluded = _excluded_pairs(problem, pindex, rindex)
    applied = sorted(excluded.values(), key=lambda c: (pindex[c.proposal], rindex[c.reviewer]))
    model = _model(problem, excluded)
    blocked = _pinning_problems(problem, model, excluded) or _shortfall(problem, model, cut=False)
    if blocked:
        return AssignmentResult(status="infeasible", conflicts_applied=applied, infeasible=blocked,
                                solver="maximum flow (exact)")
    if not problem.proposals:
        return AssignmentResult(status="optimal", objective=0.0, conflicts_applied=applied, solver="nothing to assign")
    proof = ""
    if problem.objective == "fair":
        level, proof = _fair_level(model)
        if level is not None:
            # Stage 2: the highest total on the pairs at or above the level (pinned pairs stay, whatever they score).
            model = replace(model, eligible=model.eligible & (model.scores >= level))
    if problem.objective == "fair" and level is None:
        chosen, message, proven = None, proof, False
    else:
        chosen, message, proven = _solve_milp(model, problem.time_limit)
    if chosen is None:
        blocked = _shortfall(problem, model, cut=True) or Infeasible(reason=f"The solver found no assignment: {message}")
        return AssignmentResult(status="infeasible", conflicts_applied=applied, solver=f"HiGHS: {message}",
                                infeasible=blocked)
    pairs = [(model.proposal_ids[p], model.reviewer_ids[r]) for p, r in zip(*np.nonzero(chosen))]
    totals = (model.scores * chosen).sum(axis=1)
    how = (f"maximum flow ({proof}), then HiGHS MILP (total at that level): {message}" if problem.objective == "fair"
           else f"HiGHS MILP (total): {message}")
    return AssignmentResult(
        status="optimal" if proven else "time_limit", assignment=pairs, objective=tidy(float(totals.sum())),
        lowest_pair_affinity=tidy(float(model.scores[chosen].min())) if chosen.any() else None,
        lowest_proposal_total=tidy(float(totals.min())), conflicts_applied=applied, solver=how,
    )


def schemas() -> dict[str, dict]:
    return json_schemas(AssignmentProblem, AssignmentResult)
