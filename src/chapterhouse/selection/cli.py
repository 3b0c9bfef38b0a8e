"""``chapterhouse select PROBLEM.json [--json]``: the exact selection under theme quotas, no database.

Exit 0 with a selection (the best one the rules allow, each theme short of its minimum named with what would
close it), 1 when none exists (pins that break a hard rule, with the reason), 2 when the input is unusable
(every problem named by its JSON path). ``--schema input|output`` prints the JSON Schemas kept beside this file.
Plain Python; no Django.
"""

from __future__ import annotations

from chapterhouse.problemcli import add_problem_command, run_problem_command


def register(subparsers) -> None:
    add_problem_command(subparsers, "select", "select proposals under theme quotas exactly (JSON in, no database)", select)


def select(args) -> int:
    from chapterhouse.selection import solver

    return run_problem_command(args, solver.parse_problem, solver.solve, solver.schemas, render)


def render(result) -> str:
    if result.infeasible:
        return f"No selection: {result.infeasible.reason}\nSolver: {result.solver}"
    lines = [f"Selected {len(result.selected)}: {', '.join(result.selected)}",
             f"Total score {result.objective:g}; funding {result.funding:g}."]
    for theme, count in result.by_theme.items():
        runner_ups = ", ".join(result.runner_ups.get(theme, [])) or "none"
        lines.append(f"  {theme}: {count} — {result.why.get(theme, '')} Runner-ups: {runner_ups}.")
    if result.shortfalls:
        lines.append(f"Short of the minimums by {result.shortfall} chapter{'' if result.shortfall == 1 else 's'}:")
        for short in result.shortfalls:
            lines.append(f"  {short.message}. What would close it:")
            lines += [f"    - {closer.text}" for closer in short.closers]
    lines.append(f"Solver: {result.solver}")
    return "\n".join(lines)
