"""Read a spec file: YAML with the line and column of every node, then pydantic.

Every problem is collected (YAML syntax, unknown keys with a suggestion, wrong
types, semantic checks) and raised once as :class:`SpecError`, each located by
file, line, column and dotted path.
"""

from __future__ import annotations

import datetime as dt
import difflib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from slaforge.errors import Problem, SpecError
from slaforge.spec.models import Spec

Loc = tuple[str | int, ...]


@dataclass
class SourceMap:
    """Where each node of a YAML document stands: path -> (line, column), 1-based."""

    file: str
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    def locate(self, loc: Loc) -> tuple[int | None, int | None]:
        """The position of ``loc``, or of its nearest ancestor that the file has."""
        for end in range(len(loc), -1, -1):
            hit = self.positions.get(tuple(loc[:end]))
            if hit:
                return hit
        return None, None

    def problem(self, loc: Loc, message: str, **kwargs: Any) -> Problem:
        line, column = self.locate(loc)
        return Problem(message=message, file=self.file, line=line, column=column, path=dotted(loc), **kwargs)


@dataclass(frozen=True)
class LoadedSpec:
    spec: Spec
    path: Path
    source: SourceMap
    warnings: tuple[Problem, ...] = ()


def dotted(loc: Loc) -> str:
    """``('services', 2, 'availability')`` -> ``services[2].availability``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# ------------------------------------------------------------------ YAML


class WrittenFloat(float):
    """A YAML number with a fraction that remembers its digits: ``str()`` gives them back as written.

    A binary float cannot tell ``version: 1.10`` from ``1.1`` or hold ``99.99999999999999999``; the
    unit parsers and the version fields read ``str(value)``, so they see what the user wrote.
    """

    text: str

    def __new__(cls, value: float, text: str) -> WrittenFloat:
        number = super().__new__(cls, value)
        number.text = text
        return number

    def __str__(self) -> str:
        return self.text


def _yaml() -> Any:
    from decimal import Decimal, InvalidOperation

    from ruamel.yaml import YAML
    from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor

    class Constructor(RoundTripConstructor):
        def construct_checked_timestamp(self, node: Any) -> Any:
            try:
                return self.construct_yaml_timestamp(node)
            except ValueError as exc:  # 2027-02-30: ruamel raises a bare ValueError without a position
                error = ConstructorError(None, None, f"{node.value} is not a date ({exc})", node.start_mark)
                error.bad_value = True  # type: ignore[attr-defined]
                raise error from None

        def construct_written_float(self, node: Any) -> Any:
            value = self.construct_yaml_float(node)
            text = str(node.value).strip()
            try:
                exact = Decimal(text.replace("_", "")).is_finite()
            except InvalidOperation:
                exact = False
            return WrittenFloat(value, text) if exact else float(value)

    Constructor.add_constructor("tag:yaml.org,2002:float", Constructor.construct_written_float)
    Constructor.add_constructor("tag:yaml.org,2002:timestamp", Constructor.construct_checked_timestamp)
    yaml = YAML(typ="rt", pure=True)
    yaml.Constructor = Constructor
    yaml.allow_duplicate_keys = False
    return yaml


def read_yaml(path: Path) -> tuple[Any, SourceMap]:
    """Parse ``path`` into plain Python data plus the position of every node."""
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    display = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError(f"{display}: no such file") from None
    except UnicodeDecodeError as exc:
        raise SpecError(f"{display}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise SpecError(f"{display}: cannot read ({exc.strerror})") from None
    yaml = _yaml()
    try:
        node = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        value_error = getattr(exc, "bad_value", False)
        message = f"{'invalid value' if value_error else 'YAML syntax error'}: {exc.problem or exc.context}"
        start = exc.context_mark
        if exc.problem and exc.context and start and mark and start.line != mark.line:
            # an unclosed quote or bracket fails at the end of the file: say where it was opened
            message += f" ({exc.context} at line {start.line + 1}, column {start.column + 1})"
        problem = Problem(
            message=message,
            file=display,
            line=mark.line + 1 if mark else None,
            column=mark.column + 1 if mark else None,
            code="yaml-value" if value_error else "yaml-syntax",
            expected="a real calendar date, YYYY-MM-DD" if value_error else "valid YAML",
        )
        raise SpecError("the spec is not valid YAML", [problem]) from None
    except YAMLError as exc:
        raise SpecError(f"{display}: YAML error: {exc}") from None
    source = SourceMap(display)
    data = _plain(node, (), source)
    return data, source


def _plain(node: Any, loc: Loc, source: SourceMap) -> Any:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*loc, str(key))
            try:
                line, col = node.lc.key(key)
                source.positions[child] = (line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            out[str(key) if not isinstance(key, str) else key] = _plain(value, child, source)
        if loc not in source.positions and node.lc.line is not None:
            source.positions[loc] = (node.lc.line + 1, node.lc.col + 1)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            try:
                line, col = node.lc.item(index)
                source.positions[child] = (line + 1, col + 1)
            except (KeyError, TypeError, IndexError):
                pass
            items.append(_plain(value, child, source))
        return items
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, WrittenFloat):
        return node  # str() gives the digits as written; Decimal(str(x)) keeps them exactly
    if isinstance(node, float):
        return float(node)
    return node


# ------------------------------------------------------------------ validation


def load_spec(path: Path | str, strict: bool = False) -> LoadedSpec:
    """Load and check one spec file; raise :class:`SpecError` with every problem."""
    from slaforge.spec.checks import check_spec

    path = Path(path)
    data, source = read_yaml(path)
    if not isinstance(data, dict):
        raise SpecError(
            "the spec must be a mapping",
            [
                source.problem(
                    (),
                    "the spec must be a YAML mapping of keys to values",
                    given="an empty file" if data is None else _show(data),
                    expected="a mapping with agreement, provider, customers, services, ...",
                )
            ],
        )
    if "tiers" in data and "offer" in data:
        line, column = source.locate(("offer",))
        problem = Problem(
            "this file is a tiered offer, not a single agreement",
            file=source.file,
            line=line,
            column=column,
            expected=f"slaforge offers {path}",
            code="offer-file",
        )
        raise SpecError("build tiered offers with 'slaforge offers'", [problem])
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        problems = [problem_from_pydantic(error, source) for error in exc.errors()]
        raise SpecError(_summary(problems), _sorted(problems)) from None
    found = check_spec(spec, source, base=path.parent)
    errors = [p for p in found if p.severity == "error" or strict]
    warnings = tuple(p for p in found if p.severity == "warning")
    if errors:
        if strict:
            errors = [_as_error(p) for p in errors]
        raise SpecError(_summary(errors), _sorted(errors))
    return LoadedSpec(spec=spec, path=path, source=source, warnings=warnings)


def _as_error(problem: Problem) -> Problem:
    from dataclasses import replace

    return replace(problem, severity="error")


def _sorted(problems: list[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.path or ""))


def _summary(problems: list[Problem]) -> str:
    count = len(problems)
    return f"{count} problem{'s' if count != 1 else ''} found; nothing was written"


def problem_from_pydantic(error: Any, source: SourceMap) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not is_schema_tag(part))
    kind = error["type"]
    given = _show(error.get("input"))
    if kind == "extra_forbidden":
        key = str(loc[-1])
        valid = _valid_keys(loc[:-1])
        close = difflib.get_close_matches(key, valid, n=1, cutoff=0.6)
        message = f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        return source.problem(
            loc, message, given=key, expected="one of: " + ", ".join(sorted(valid)), code="unknown-key"
        )
    if kind == "missing":
        return source.problem(loc, f"required key {str(loc[-1])!r} is missing", expected=_describe(loc), code="missing")
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    expected = _expected(error)
    return source.problem(loc, message, given=given, expected=expected, code=kind)


def is_schema_tag(part: str | int) -> bool:
    """pydantic puts ``[key]`` and union member tags such as ``function-before[...]`` into locs."""
    return isinstance(part, str) and part.endswith("]") and ("[" in part) and ("(" in part or part == "[key]")


def _show(value: Any) -> str | None:
    if value is None:
        return None
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
}


def _expected(error: Any) -> str | None:
    ctx = error.get("ctx") or {}
    kind = error["type"]
    if kind == "literal_error" or kind == "enum":
        return ctx.get("expected")
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


def _model_at(loc: Loc) -> type[BaseModel] | None:
    annotation: Any = Spec
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


def _valid_keys(loc: Loc) -> list[str]:
    model = _model_at(loc)
    if model is None:
        return []
    return [info.alias or name for name, info in model.model_fields.items()]


def _describe(loc: Loc) -> str | None:
    parent = _model_at(loc[:-1])
    if parent is None:
        return None
    name = str(loc[-1])
    info = parent.model_fields.get(name) or next((f for f in parent.model_fields.values() if f.alias == name), None)
    return info.description if info and info.description else None
