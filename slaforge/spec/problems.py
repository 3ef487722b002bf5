"""Validation errors in the user's words: each pydantic error as a :class:`Problem` located in the file.

An unknown key suggests the closest valid one; a missing key says what it is for; a wrong value
says what was given and what is expected.  Any root model reads this way: the spec, an offer
file, a portfolio file.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from enum import Enum
from typing import Any

from pydantic import BaseModel, ValidationError

from slaforge.errors import Problem, ValueRefused
from slaforge.spec.models import Spec
from slaforge.spec.source import Loc, SourceMap


def problem_from_pydantic(error: Any, source: SourceMap, root: type[BaseModel] = Spec) -> Problem:
    """One pydantic error of validating ``root``, located in ``source`` and said in the user's words."""
    loc: Loc = tuple(part for part in error["loc"] if not is_schema_tag(part))
    kind = error["type"]
    given = show(error.get("input"))
    if kind == "extra_forbidden":
        key = str(loc[-1])
        valid = _valid_keys(root, loc[:-1])
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        message = f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        return source.problem(
            loc, message, given=key, expected="one of: " + ", ".join(sorted(valid)), code="unknown-key"
        )
    if kind == "missing":
        return source.problem(
            loc, f"required key {str(loc[-1])!r} is missing", expected=_describe(root, loc), code="missing"
        )
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    expected = _expected(error)
    if kind in ("literal_error", "enum") and isinstance(error.get("input"), str):
        choices = CHOICE.findall(expected or "")
        close = difflib.get_close_matches(error["input"], choices, n=1, cutoff=0.6)
        message = f"{given} is not one of the choices" + (f"; did you mean {close[0]!r}?" if close else "")
    elif kind.startswith("date") and isinstance(error.get("input"), str):
        reason = message.partition(", ")[2]
        message = f"{given} is not a calendar date" + (f" ({reason})" if reason else "")
    return source.problem(loc, message, given=given, expected=expected, code=kind)


def is_schema_tag(part: str | int) -> bool:
    """pydantic puts ``[key]`` and union member tags such as ``function-before[...]`` into locs."""
    return isinstance(part, str) and part.endswith("]") and ("[" in part) and ("(" in part or part == "[key]")


def show(value: Any) -> str | None:
    """A value as the user wrote it: ``'calendar-month'``, never ``<Window.calendar_month: ...>``."""
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, dict):
        return "a mapping with keys " + ", ".join(map(str, list(value)[:6]))
    if isinstance(value, list):
        return f"a list of {len(value)} item{'s' if len(value) != 1 else ''}"
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


_EXPECTED_TYPES = {
    "model_type": "a mapping of keys to values",
    "dict_type": "a mapping of keys to values",
    "list_type": "a list (one '- item' per line, or [a, b])",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "string_type": "text",
    "date_type": "a date, YYYY-MM-DD",
    "date_parsing": "a date, YYYY-MM-DD",
    "date_from_datetime_inexact": "a date without a time, YYYY-MM-DD",
    "date_from_datetime_parsing": "a real calendar date, YYYY-MM-DD",
}
CHOICE = re.compile(r"'([^']*)'")


def _expected(error: Any) -> str | None:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "literal_error" or kind == "enum":
        return ctx.get("expected")
    if kind == "value_error" and isinstance(ctx.get("error"), ValueRefused):
        return ctx["error"].expected
    if kind == "string_pattern_mismatch":
        return f"text matching {ctx.get('pattern')}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        return error["msg"].lower()
    if kind in _EXPECTED_TYPES:
        return _EXPECTED_TYPES[kind]
    if kind.endswith("_type") or kind.endswith("_parsing"):
        return kind.replace("_type", "").replace("_parsing", "").replace("_", " ")
    if kind == "too_short":
        return f"at least {ctx.get('min_length')} item(s)"
    return None


# -------------------------------------------------------------- key suggestions


def problems_from_pydantic(exc: ValidationError, source: SourceMap, root: type[BaseModel] = Spec) -> list[Problem]:
    return [problem_from_pydantic(error, source, root) for error in exc.errors()]


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    annotation: Any = root
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            info = annotation.model_fields.get(str(part))
            if info is None:
                info = next((f for f in annotation.model_fields.values() if f.alias == part), None)
            if info is None:
                return None
            annotation = info.annotation
            continue
        origin = typing.get_origin(annotation)
        args = typing.get_args(annotation)
        if origin in (list, tuple) and args:
            annotation = args[0]
        elif origin is dict and len(args) == 2:
            annotation = args[1]
        else:
            return None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            models = [a for a in options if isinstance(a, type) and issubclass(a, BaseModel)]
            annotation = models[0] if models else options[0]
        else:
            return annotation


def _valid_keys(root: type[BaseModel], loc: Loc) -> list[str]:
    model = _model_at(root, loc)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _describe(root: type[BaseModel], loc: Loc) -> str | None:
    parent = _model_at(root, loc[:-1])
    if parent is None:
        return None
    name = str(loc[-1])
    info = parent.model_fields.get(name) or next((f for f in parent.model_fields.values() if f.alias == name), None)
    return info.description if info and info.description else None
