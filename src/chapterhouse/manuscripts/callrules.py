"""A call file's rules for the checker, kept once validated so ``chapterhouse check`` starts fast.

Validating a call file needs pydantic, whose import alone costs about 90 ms, more than the check of a chapter.
So the validated rules are stored as JSON under the user's cache folder, keyed by the call file's bytes and
the schema's source; a later run with the same call and the same schema reads them back without pydantic.
Any change to either makes a new key; a cache that cannot be read or written is simply not used.
Plain Python; no Django.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from chapterhouse.manuscripts.context import CheckRules

SCHEMA_SOURCES = [Path(__file__).resolve().parents[1] / "call" / "schema.py",
                  Path(__file__).resolve().parents[1] / "tomlschema.py"]


class CallRulesError(ValueError):
    """The call file cannot be used; ``problems`` name each field that is wrong."""

    def __init__(self, source: str, problems: list[str]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "chapterhouse" / "call-rules"


def load_check_rules(path: str | Path) -> CheckRules:
    try:
        digest = hashlib.sha256(Path(path).read_bytes())
        for source in SCHEMA_SOURCES:
            digest.update(source.read_bytes())
        cached = cache_folder() / f"{digest.hexdigest()}.json"
        return CheckRules.from_json(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, TypeError):
        cached = None if "digest" not in locals() else cache_folder() / f"{digest.hexdigest()}.json"
    rules = _validated(path)
    if cached is not None:
        try:
            cached.parent.mkdir(parents=True, exist_ok=True)
            partial = cached.with_suffix(f".{os.getpid()}.tmp")
            partial.write_text(rules.to_json(), encoding="utf-8")
            partial.replace(cached)
        except OSError:
            pass
    return rules


def _validated(path: str | Path) -> CheckRules:
    from chapterhouse.call.schema import CallFileError, load_call

    try:
        return CheckRules.of(load_call(path))
    except CallFileError as error:
        raise CallRulesError(str(path), [str(problem) for problem in error.problems]) from None
