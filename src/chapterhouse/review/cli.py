"""``chapterhouse assign PROBLEM.json [--json]``: the exact reviewer assignment, no database.

Exit 0 with an assignment, 1 when none exists (the reason says which proposals cannot be covered), 2 when
the input is unusable (every problem named by its JSON path). ``--schema input|output`` prints the JSON
Schemas kept beside this file. Plain Python; no Django.
"""

from __future__ import annotations

from chapterhouse.problemcli import add_problem_command, run_problem_command


def register(subparsers) -> None:
    add_problem_command(subparsers, "assign", "assign reviewers to proposals exactly (JSON in, no database)", assign)


def assign(args) -> int:
    from chapterhouse.review import assignment

    return run_problem_command(args, assignment.parse_problem, assignment.solve, assignment.schemas, render)


def render(result) -> str:
    if result.infeasible:
        lines = [f"No assignment: {result.infeasible.reason}"]
    else:
        reviewers: dict[str, list[str]] = {}
        for proposal, reviewer in result.assignment:
            reviewers.setdefault(proposal, []).append(reviewer)
        lines = [f"{proposal}: {', '.join(names)}" for proposal, names in reviewers.items()]
        if result.status == "time_limit":
            lines.append("Stopped at the time limit: a valid assignment, not proven optimal.")
        lines.append(f"{len(result.assignment)} reviews for {len(reviewers)} proposals; total affinity "
                     f"{result.objective:g}, lowest pair affinity {result.lowest_pair_affinity or 0:g}, lowest "
                     f"proposal total {result.lowest_proposal_total or 0:g}.")
    if result.conflicts_applied:
        lines.append(f"{len(result.conflicts_applied)} conflicts kept apart, e.g. "
                     + "; ".join(f"{c.proposal}–{c.reviewer}: {c.reason}" for c in result.conflicts_applied[:3]) + ".")
    lines.append(f"Solver: {result.solver}")
    return "\n".join(lines)
