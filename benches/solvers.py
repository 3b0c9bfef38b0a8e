"""Benchmark of the two exact solvers at full size, with the solver's own optimality status.

Run by hand from the project root:  .venv/bin/python benches/solvers.py [--runs N] [--seed S]

Assignment: 2,000 proposals × 200 reviewers, k = 3, 2% declared conflicts, every pair scored (random
affinities in [0, 1)), loads of 35 (7,000 places for 6,000 reviews); objective "total". Target: < 2 s.
The "fair" objective (the lowest pair affinity by bisection over maximum flows, then the total at that level)
on the same 2,000 × 200, and on a tight variant (loads of 30: exactly 6,000 places; 20 reviewers everyone
wants), where the bisection needs many flows. Target: < 5 s each, status "optimal" (proven: the flow at the
level places every review, the one at the next distinct affinity does not, or counting shows it cannot).
(Before: "fair" was a two-stage MILP over every pair and stopped at its 30 s limit on 300 × 30, unproven.)
Selection: 2,000 proposals in 4 themes (3–5 each), at most 20 chapters, a budget, one per contact.
Target: < 1 s.
Times are the median of N solves of an already parsed problem (parsing the 400,000 affinity triples of the
JSON is timed apart); the first solve in the process also pays numpy's and scipy's import.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time

from chapterhouse.review import assignment
from chapterhouse.selection import solver


def assignment_problem(rng: random.Random, objective: str = "total", n: int = 2000, m: int = 200, load: int = 35,
                       popular: int = 0) -> str:
    proposals = [{"id": f"FMS-{i:04d}", "authors": [{"name": f"Author {i}", "email": f"a{i}@univ{i % 400}.edu",
                                                      "affiliation": f"University {i % 400}"}]} for i in range(n)]
    reviewers = [{"id": f"R{j:03d}", "name": f"Reviewer {j}", "email": f"r{j}@inst{j}.org",
                  "affiliation": f"Institute {j}", "max_load": load} for j in range(m)]
    # The first ``popular`` reviewers score half a point more with everyone (capped below 1).
    affinity = [[p["id"], r["id"], round(min(0.9999, rng.random() + (0.5 if j < popular else 0)), 4)]
                for p in proposals for j, r in enumerate(reviewers)]
    conflicts = [[p["id"], r["id"]] for p in proposals for r in reviewers if rng.random() < 0.02]
    return json.dumps({"reviewers_per_proposal": 3, "proposals": proposals, "reviewers": reviewers,
                       "affinity": affinity, "conflicts": conflicts, "objective": objective})


def selection_problem(rng: random.Random) -> str:
    themes = [{"id": t, "name": t.title(), "min": 3, "max": 5} for t in ("industry", "process", "partners", "future")]
    proposals = [{"id": f"FMS-{i:04d}", "theme": rng.choice(themes)["id"], "score": round(rng.uniform(1, 5), 2),
                  "funding": rng.choice([0, 0, 0, 2500, 5000, 8000]), "contact": f"c{rng.randrange(1500)}"}
                 for i in range(2000)]
    return json.dumps({"themes": themes, "max_total": 20, "budget": 40000, "one_per_contact": True,
                       "min_score": 2.0, "proposals": proposals})


def timed(solve, problem, runs):
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = solve(problem)
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    rng = random.Random(args.seed)

    text = assignment_problem(rng)
    start = time.perf_counter()
    problem = assignment.parse_problem(text)
    parsed = time.perf_counter() - start
    assignment.solve(problem)  # warm: imports
    seconds, result = timed(assignment.solve, problem, args.runs)
    print(f"assignment 2000×200 k=3 (total): {seconds:.2f} s median of {args.runs} (target < 2 s: "
          f"{seconds / 2:.2f}× the target); parse {parsed:.2f} s")
    print(f"  status {result.status}; {len(result.assignment)} reviews; objective {result.objective:.3f}; "
          f"{len(result.conflicts_applied)} conflicts applied; solver: {result.solver}")

    for label, text in (("fair", assignment_problem(random.Random(args.seed), "fair")),
                        ("fair, tight loads", assignment_problem(random.Random(args.seed), "fair", load=30, popular=20))):
        fair = assignment.parse_problem(text)
        seconds, result = timed(assignment.solve, fair, args.runs)
        print(f"assignment 2000×200 k=3 ({label}): {seconds:.2f} s median of {args.runs} (target < 5 s: "
              f"{seconds / 5:.2f}× the target)")
        print(f"  status {result.status}; objective {result.objective:.3f}; lowest pair affinity "
              f"{result.lowest_pair_affinity:.4f}; lowest proposal total {result.lowest_proposal_total:.3f}; "
              f"solver: {result.solver}")

    selection = solver.parse_problem(selection_problem(rng))
    solver.solve(selection)
    seconds, result = timed(solver.solve, selection, args.runs)
    print(f"selection 2000 proposals, 4 themes: {seconds:.3f} s median of {args.runs} (target < 1 s: "
          f"{seconds:.2f}× the target)")
    print(f"  status {result.status}; {len(result.selected)} selected {result.by_theme}; objective "
          f"{result.objective:.2f}; funding {result.funding:,.0f}; solver: {result.solver}")


if __name__ == "__main__":
    main()
