"""What ``chapterhouse assign`` and ``chapterhouse select`` share: read a JSON problem, name every bad input
by its JSON path, solve, print (text or ``--json``), and exit 0 solved, 1 infeasible, 2 bad input.

Plain Python; no Django.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable
from pathlib import Path

SOLVED, INFEASIBLE, BAD_INPUT = 0, 1, 2


def add_problem_command(subparsers, name: str, help: str, handler: Callable) -> None:
    command = subparsers.add_parser(name, help=help, description=help)
    command.add_argument("problem", metavar="PROBLEM.json", nargs="?",
                         help="the problem as JSON ('-' reads standard input)")
    command.add_argument("--json", action="store_true", help="print the result as JSON")
    command.add_argument("--schema", choices=["input", "output"], help="print the JSON Schema of the input or output and exit")
    command.set_defaults(handler=handler)


def run_problem_command(args, parse: Callable, solve: Callable, schemas: Callable, render: Callable) -> int:
    from chapterhouse.tomlschema import SchemaFileError  # pydantic: loaded when a command runs, not for every --help

    if args.schema:
        print(json.dumps(schemas()[args.schema], indent=2, ensure_ascii=False))
        return SOLVED
    if not args.problem:
        print("Name a problem file (PROBLEM.json, or - for standard input).", file=sys.stderr)
        return BAD_INPUT
    source = "<stdin>" if args.problem == "-" else args.problem
    try:
        text = sys.stdin.buffer.read() if args.problem == "-" else Path(args.problem).read_bytes()
    except OSError as error:
        print(f"{source}: cannot be read: {error.strerror}", file=sys.stderr)
        return BAD_INPUT
    try:
        problem = parse(text, source)
    except SchemaFileError as error:
        print(f"{source}: {len(error.problems)} problem(s)", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return BAD_INPUT
    result = solve(problem)
    print(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False) if args.json else render(result))
    return INFEASIBLE if result.status == "infeasible" else SOLVED


def json_schemas(input_model, output_model) -> dict[str, dict]:
    """The JSON Schemas (draft 2020-12) of a problem and its result, as kept in the project beside the solver."""
    dialect = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
    return {"input": {**dialect, **input_model.model_json_schema(by_alias=True)},
            "output": {**dialect, **output_model.model_json_schema()}}


def tidy(value: float) -> float:
    """A solver's sum without float dust: 0.30000000000000004 → 0.3, -0.0 → 0.0."""
    return 0.0 if math.isclose(value, 0.0, abs_tol=1e-12) else round(value, 9)


def listing(ids: list[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
