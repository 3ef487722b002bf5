"""Read a spec file: YAML with the line and column of every node, then pydantic.

Every problem is collected (YAML syntax, unknown keys with a suggestion, wrong
types, semantic checks) and raised once as :class:`SpecError`, each located by
file, line, column and dotted path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from slaforge.errors import Problem, Problems, SpecError
from slaforge.spec.models import Spec
from slaforge.spec.problems import show
from slaforge.spec.source import Loc, SourceMap
from slaforge.spec.validate import check_data


@dataclass(frozen=True)
class LoadedSpec:
    spec: Spec
    path: Path
    source: SourceMap
    warnings: tuple[Problem, ...] = ()


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
    path = Path(path)
    data, source = read_yaml(path)
    if not isinstance(data, dict):
        raise SpecError(
            "the spec must be a mapping",
            [
                source.problem(
                    (),
                    "the spec must be a YAML mapping of keys to values",
                    given="an empty file" if data is None else show(data),
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
    checked = check_data(data, source, path.parent, strict)
    Problems(list(checked.errors)).raise_errors()
    assert checked.spec is not None
    return LoadedSpec(spec=checked.spec, path=path, source=source, warnings=checked.warnings)
