"""TOML (and JSON) files read into strict pydantic models, with every problem named by its field path.

Shared by the call file and the galley manifest: editors write these by hand, so an error must say which
field is wrong and how (``themes[2].max_chapters: must be an integer ≥ min_chapters (3)``), indexes counting
from 0, and unknown keys are errors that list the keys allowed there. Plain Python; no Django.
"""

from __future__ import annotations

import tomllib
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError

Model = TypeVar("Model", bound=BaseModel)


class StrictModel(BaseModel):
    """Unknown keys are errors, types are not coerced ("12" is not 12), and the result cannot change."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class SchemaFileError(ValueError):
    """A file that cannot be used, with every problem found (not just the first)."""

    def __init__(self, source: str, problems: list[Problem]):
        self.source = source
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(str(p) for p in problems))


def parse_toml(model: type[Model], text: str, source: str, error: type[SchemaFileError] = SchemaFileError) -> Model:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as decode_error:
        raise error(source, [Problem("", f"not valid TOML: {decode_error}")]) from None
    return validate_data(model, data, source, error)


def load_toml(model: type[Model], path: str | Path, error: type[SchemaFileError] = SchemaFileError) -> Model:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(str(path), [Problem("", "file not found")]) from None
    except UnicodeDecodeError as decode_error:
        raise error(str(path), [Problem("", f"not UTF-8 text ({decode_error.reason} at byte {decode_error.start})")]) from None
    except OSError as os_error:
        raise error(str(path), [Problem("", f"cannot be read: {os_error.strerror}")]) from None
    return parse_toml(model, text, str(path), error)


def validate_data(model: type[Model], data: dict, source: str, error: type[SchemaFileError] = SchemaFileError) -> Model:
    try:
        return model.model_validate(data, by_alias=True)
    except ValidationError as validation_error:
        raise error(source, [_problem(e, model) for e in validation_error.errors()]) from None


def validate_json(model: type[Model], text: str | bytes, source: str,
                  error: type[SchemaFileError] = SchemaFileError) -> Model:
    """JSON read with JSON's own types (an array fills a tuple, 3 fills a float), problems named by path."""
    try:
        return model.model_validate_json(text, by_alias=True)
    except ValidationError as validation_error:
        problems = [_problem(e, model) for e in validation_error.errors()]
        if any(e["type"] == "json_invalid" for e in validation_error.errors()):
            problems = [Problem("", "not valid JSON: " + validation_error.errors()[0]["ctx"]["error"])]
        raise error(source, problems) from None


# -- turning pydantic's errors into sentences an editor understands ------------------------------------

_PLAIN_MESSAGES = {
    "missing": "is required",
    "int_type": "must be an integer",
    "int_parsing": "must be an integer",
    "string_type": "must be text in quotes",
    "bool_type": "must be true or false",
    "date_type": "must be a date like 2024-01-15",
    "list_type": "must be a list [ … ]",
    "model_type": "must be a table of keys",
    "dict_type": "must be a table of keys",
    "float_type": "must be a number",
    "string_too_short": "must not be empty",
}


def _problem(error: dict, root: type[BaseModel]) -> Problem:
    loc = error["loc"]
    kind = error["type"]
    if kind == "extra_forbidden":
        allowed = _allowed_keys(root, loc[:-1])
        message = "unknown key" + (f" (allowed here: {', '.join(allowed)})" if allowed else "")
    elif kind == "too_short" and isinstance(error.get("ctx"), dict):
        message = f"needs at least {error['ctx'].get('min_length')} item(s)"
    elif kind == "string_pattern_mismatch":
        message = f"{error['input']!r} does not have the expected form (pattern {error['ctx']['pattern']})"
    elif kind in _PLAIN_MESSAGES:
        message = _PLAIN_MESSAGES[kind]
    else:
        message = error["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
        for words, sign in (("greater than or equal to", "≥"), ("less than or equal to", "≤"),
                            ("greater than", ">"), ("less than", "<")):
            message = message.replace(words, sign)
    return Problem(_path(loc, root), message)


def _field(model: type[BaseModel], key: str):
    return model.model_fields.get(key) or next((f for f in model.model_fields.values() if f.alias == key), None)


def _path(loc: tuple, root: type[BaseModel]) -> str:
    """Field names as written in the file (aliases), indexes in brackets."""
    out, model = "", root
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        name = str(part)
        field = model.model_fields.get(name) if model else None
        shown = (field.alias or name) if field else name
        out += ("." if out else "") + shown
        model = _model_in(field.annotation) if field else None
    return out


def _allowed_keys(root: type[BaseModel], loc: tuple) -> list[str]:
    """The keys a table at ``loc`` may hold, found by walking the model classes along the path."""
    model: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        field = _field(model, part)
        model = _model_in(field.annotation) if field else None
    if model is None:
        return []
    return sorted(f.alias or name for name, f in model.model_fields.items())


def _model_in(annotation) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _model_in(arg)
        if found:
            return found
    return None
