"""YAML as slaforge reads every file of it: plain data, the position of each value, and bounded cost.

One parser for specs, fragments, portfolios, offers, front matter, categories, labels and outlines
(ruamel.yaml, round-trip mode, so that every key and item keeps its line and column).  On top of
what YAML itself refuses, each of these is a problem located at its line and column, raised as
the caller's error before any value is used:

- nesting deeper than :data:`~slaforge.inputs.limits.YAML_DEPTH`;
- a document whose values, every alias counted as the values it repeats, number more than
  :data:`~slaforge.inputs.limits.YAML_VALUES` (an "alias bomb" of nine aliases of nine aliases
  ... fails at once, in time and memory proportional to the file, not to what it would expand to);
  an alias inside the value it names (a structure that contains itself);
- a document whose texts, every alias counted as the text it repeats, hold more than
  :data:`~slaforge.inputs.limits.YAML_CHARS` characters (an alias of a 1 MB text repeated 1,000 times
  would print a gigabyte);
- a value its tag cannot be (``!!int abc``, ``!!float abc``), an impossible date (2027-02-30), a
  date outside [:data:`~slaforge.inputs.limits.FIRST_YEAR`, :data:`~slaforge.inputs.limits.LAST_YEAR`);
- a number of more than :data:`~slaforge.inputs.limits.NUMBER_DIGITS` digits or beyond
  ``1e±30``, infinity and NaN (no agreement has a use for them, and arithmetic on them fails);
- a string holding a lone surrogate (``"\\ud800"``), a NUL or another control character (only tab
  and line breaks are text).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from slaforge.errors import InputError, Problem, SlaforgeError, summary
from slaforge.inputs.files import UNPRINTABLE, check_no_nul, position
from slaforge.inputs.limits import (
    FIRST_YEAR,
    LAST_YEAR,
    NUMBER_DIGITS,
    NUMBER_EXPONENT,
    YAML_CHARS,
    YAML_DEPTH,
    YAML_VALUES,
)
from slaforge.text import cut

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]
# control characters but tab and line breaks, DEL, C1 controls, and halves of surrogate pairs


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

    def __reduce__(self) -> tuple[Any, ...]:  # documents travel to worker processes
        return (WrittenFloat, (float(self), self.text))


class _Refused(Exception):
    """A value the limits refuse, at a YAML mark."""

    def __init__(self, message: str, mark: Any, expected: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark
        self.expected = expected
        self.code = code


def _number_problem(text: str) -> str | None:
    """Why the number literal ``text`` is refused, or None."""
    digits = sum(ch.isdigit() for ch in text.split("e")[0].split("E")[0])
    if digits > NUMBER_DIGITS:
        return f"a number of {digits} digits is longer than any agreement needs (at most {NUMBER_DIGITS})"
    return None


def _loader() -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.composer import Composer
    from ruamel.yaml.constructor import RoundTripConstructor
    from ruamel.yaml.nodes import MappingNode, ScalarNode, SequenceNode

    class BoundedComposer(Composer):  # type: ignore[misc]
        """Counts each node's values (aliases expanded) and its depth as it is composed, in linear time."""

        def compose_document(self) -> Any:
            # id(node) -> (values, depth, characters of its texts), aliases expanded
            self._sizes: dict[int, tuple[int, int, int]] = {}
            return super().compose_document()

        def compose_node(self, parent: Any, index: Any) -> Any:
            node = super().compose_node(parent, index)
            if id(node) in self._sizes:
                return node  # an alias: counted where its parent sums its children
            if isinstance(node, ScalarNode):
                _check_scalar(node)
                self._sizes[id(node)] = (1, 0, len(node.value) if isinstance(node.value, str) else 0)
                return node
            children = (
                node.value
                if isinstance(node, SequenceNode)
                else [part for pair in node.value for part in pair]
                if isinstance(node, MappingNode)
                else []
            )
            values, depth, chars = 1, 0, 0
            for child in children:
                size = self._sizes.get(id(child))
                if size is None:  # composed, but not finished: an alias inside its own anchor
                    raise _Refused(
                        "an alias inside the value it names (a structure that contains itself)",
                        node.start_mark,
                        "an alias of a value defined before it, outside it",
                        "yaml-recursive-alias",
                    )
                values += size[0]
                depth = max(depth, size[1] + 1)
                chars += size[2]
            if depth > YAML_DEPTH:
                raise _Refused(
                    f"the values nest more than {YAML_DEPTH} levels deep (through aliases too)",
                    node.start_mark,
                    f"at most {YAML_DEPTH} levels of mappings and lists",
                    "yaml-too-deep",
                )
            if values > YAML_VALUES:
                raise _Refused(
                    f"the document holds more than {YAML_VALUES:,} values (every alias counted as the values "
                    "it repeats)",
                    node.start_mark,
                    f"at most {YAML_VALUES:,} values; write repeated values out, or alias fewer of them",
                    "yaml-too-many-values",
                )
            if chars > YAML_CHARS:
                raise _Refused(
                    f"the document's texts hold more than {YAML_CHARS:,} characters (every alias counted as the "
                    "text it repeats)",
                    node.start_mark,
                    f"at most {YAML_CHARS:,} characters of text; write a long text once, or alias it fewer times",
                    "yaml-too-much-text",
                )
            self._sizes[id(node)] = (values, depth, chars)
            return node

    def _check_scalar(node: Any) -> None:
        text = node.value
        if node.style == ">" and isinstance(text, str):
            text = text.replace("\a", "")  # ruamel marks the folds of a folded scalar with BEL
        bad = UNPRINTABLE.search(text) if isinstance(text, str) else None
        if bad is None:
            return
        code = ord(bad[0])
        if 0xD800 <= code <= 0xDFFF:
            message = f"a lone surrogate U+{code:04X} is not a character"
        else:
            message = f"the control character U+{code:04X} has no place in an agreement's text"
        raise _Refused(message, node.start_mark, "text of printable characters", "control-character")

    class BoundedConstructor(RoundTripConstructor):  # type: ignore[misc]
        def construct_bounded_int(self, node: Any) -> Any:
            text = str(node.value).strip()
            reason = _number_problem(text)
            if reason:
                raise _Refused(reason, node.start_mark, f"a number of at most {NUMBER_DIGITS} digits", "yaml-value")
            try:
                return self.construct_yaml_int(node)
            except ValueError:
                raise _Refused(
                    f"{cut(text, 60)!r} is not a whole number", node.start_mark, "a whole number, e.g. 3", "yaml-value"
                ) from None

        def construct_written_float(self, node: Any) -> Any:
            text = str(node.value).strip()
            reason = _number_problem(text)
            if reason:
                raise _Refused(reason, node.start_mark, f"a number of at most {NUMBER_DIGITS} digits", "yaml-value")
            try:
                value = self.construct_yaml_float(node)
            except ValueError:
                raise _Refused(
                    f"{cut(text, 60)!r} is not a number", node.start_mark, "a number, e.g. 99.95", "yaml-value"
                ) from None
            try:
                exact = Decimal(text.replace("_", ""))
            except InvalidOperation:  # .inf, .nan
                exact = None
            if exact is None or not exact.is_finite():
                raise _Refused(
                    f"{cut(text, 60)} is not a finite number", node.start_mark, "a number, e.g. 99.95", "yaml-value"
                )
            if exact and not -NUMBER_EXPONENT <= exact.adjusted() <= NUMBER_EXPONENT:
                raise _Refused(
                    f"{cut(text, 60)} is out of range",
                    node.start_mark,
                    f"a number between 1e-{NUMBER_EXPONENT} and 1e{NUMBER_EXPONENT}",
                    "yaml-value",
                )
            return WrittenFloat(value, text)

        def construct_bounded_timestamp(self, node: Any) -> Any:
            try:
                value = self.construct_yaml_timestamp(node)
            except (ValueError, OverflowError):  # 2027-02-30: ruamel raises a bare ValueError
                # kept as the text written, so that validation reports it at its field, with its line and
                # column, among every other problem of the file (a text field takes it as text)
                return str(node.value)
            if isinstance(value, dt.date) and not FIRST_YEAR <= value.year < LAST_YEAR:
                raise _Refused(
                    f"{cut(str(node.value), 60)} is out of range",
                    node.start_mark,
                    f"a date from {FIRST_YEAR} to {LAST_YEAR - 1}",
                    "yaml-value",
                )
            return value

    BoundedConstructor.add_constructor("tag:yaml.org,2002:int", BoundedConstructor.construct_bounded_int)
    BoundedConstructor.add_constructor("tag:yaml.org,2002:float", BoundedConstructor.construct_written_float)
    BoundedConstructor.add_constructor("tag:yaml.org,2002:timestamp", BoundedConstructor.construct_bounded_timestamp)
    yaml = YAML(typ="rt", pure=True)
    yaml.Composer = BoundedComposer
    yaml.Constructor = BoundedConstructor
    yaml.allow_duplicate_keys = False
    yaml.max_depth = YAML_DEPTH + 1  # ruamel's own guard on composing; the composer above counts aliases too
    return yaml


def parse_yaml(
    text: str,
    file: str,
    *,
    error: type[SlaforgeError] = InputError,
    first_line: int = 1,
    what: str = "YAML",
) -> tuple[Any, Positions]:
    """``text`` (the file ``file``, starting on its line ``first_line``) as plain data and positions.

    Positions map each loc (keys and list indexes from the top) to its 1-based (line, column).
    Every problem is raised as ``error`` with one located :class:`Problem`.
    """
    from ruamel.yaml.composer import MaxDepthExceededError
    from ruamel.yaml.error import MarkedYAMLError, YAMLError
    from ruamel.yaml.reader import ReaderError

    check_no_nul(text, file, error=error, first_line=first_line)

    def located(message: str, line: int | None, column: int | None, expected: str, code: str) -> SlaforgeError:
        problem = Problem(
            message,
            file=file,
            line=None if line is None else line + first_line - 1,
            column=column,
            expected=expected,
            code=code,
        )
        return error(summary(1), [problem])

    try:
        node = _loader().load(text)
    except _Refused as exc:
        mark = exc.mark
        raise located(exc.message, mark.line + 1, mark.column + 1, exc.expected, exc.code) from None
    except MaxDepthExceededError as exc:
        mark = exc.problem_mark
        raise located(
            f"the values nest more than {YAML_DEPTH} levels deep",
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            f"at most {YAML_DEPTH} levels of mappings and lists",
            "yaml-too-deep",
        ) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        message = f"{what} syntax error: {exc.problem or exc.context}"
        start = exc.context_mark
        if exc.problem and exc.context and start and mark and start.line != mark.line:
            # an unclosed quote or bracket fails at the end of the file: say where it was opened
            message += f" ({exc.context} at line {start.line + first_line}, column {start.column + 1})"
        raise located(
            message,
            mark.line + 1 if mark else None,
            mark.column + 1 if mark else None,
            f"valid {what}",
            "yaml-syntax",
        ) from None
    except ReaderError as exc:
        line, column = position(text, min(exc.position, len(text)))
        raise located(
            f"{what} cannot hold the character U+{exc.character:04X}" if isinstance(exc.character, int) else str(exc),
            line,
            column,
            "printable text",
            "control-character",
        ) from None
    except YAMLError as exc:
        raise located(f"{what} error: {exc}", None, None, f"valid {what}", "yaml-syntax") from None
    except RecursionError:
        raise located(
            f"the values nest too deeply to read (more than {YAML_DEPTH} levels)",
            None,
            None,
            f"at most {YAML_DEPTH} levels",
            "yaml-too-deep",
        ) from None
    positions: Positions = {}
    data = plain(node, (), positions)
    if first_line != 1:
        positions = {loc: (line + first_line - 1, column) for loc, (line, column) in positions.items()}
    return data, positions


def plain(node: Any, loc: Loc, positions: Positions) -> Any:
    """Round-trip data as plain Python: dicts, lists, str, int, bool, floats (:class:`WrittenFloat`), dates."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq
    from ruamel.yaml.scalarbool import ScalarBoolean

    if isinstance(node, CommentedMap):
        out: dict[Any, Any] = {}
        for key, value in node.items():
            child = (*loc, str(key))
            try:
                line, col = node.lc.key(key)
                positions[child] = (line + 1, col + 1)
            except (KeyError, TypeError):
                pass
            out[str(key) if not isinstance(key, str) else key] = plain(value, child, positions)
        if loc not in positions and node.lc.line is not None:
            positions[loc] = (node.lc.line + 1, node.lc.col + 1)
        return out
    if isinstance(node, CommentedSeq):
        items = []
        for index, value in enumerate(node):
            child = (*loc, index)
            try:
                line, col = node.lc.item(index)
                positions[child] = (line + 1, col + 1)
            except (KeyError, TypeError, IndexError):
                pass
            items.append(plain(value, child, positions))
        return items
    if isinstance(node, dt.datetime):
        return node
    if isinstance(node, dt.date):
        return dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    if isinstance(node, bool | ScalarBoolean):
        return bool(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, WrittenFloat):
        return node  # str() gives the digits as written; Decimal(str(x)) keeps them exactly
    if isinstance(node, float):
        return float(node)
    return node
