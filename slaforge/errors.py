"""User-facing failures.  Each carries the exit code the CLI returns for it.

Code that finds bad input raises one of these, or collects :class:`Problem` records in a
:class:`Problems` and raises once, with all of them in file and line order; the CLI prints the
message and exits with ``exit_code``, never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from slaforge.inputs.limits import MESSAGE_CHARS
from slaforge.inputs.limits import MESSAGE_VALUE_CHARS as VALUE_CHARS
from slaforge.text import cut


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in the input, located precisely."""

    message: str
    file: str | None = None
    line: int | None = None  # 1-based
    column: int | None = None  # 1-based
    path: str | None = None  # dotted field path: services[2].availability.target
    given: str | None = None
    expected: str | None = None
    severity: str = "error"  # "error" | "warning"
    code: str = "invalid"

    @property
    def location(self) -> str:
        where = self.file or "<input>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def format(self) -> str:
        head = f"{self.location}: {self.severity}: "
        if self.path:
            head += f"{cut(self.path, VALUE_CHARS)}: "
        text = head + cut(self.message, MESSAGE_CHARS)
        details = []
        if self.given is not None:
            details.append(f"given: {cut(self.given, VALUE_CHARS)}")
        if self.expected is not None:
            details.append(f"expected: {cut(self.expected, MESSAGE_CHARS)}")
        if details:
            text += "\n    " + "; ".join(details)
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "path": None if self.path is None else cut(self.path, VALUE_CHARS),
            "message": cut(self.message, MESSAGE_CHARS),
            "given": None if self.given is None else cut(self.given, VALUE_CHARS),
            "expected": None if self.expected is None else cut(self.expected, MESSAGE_CHARS),
        }


class SlaforgeError(Exception):
    """Base of every failure the user should see as a message, not a traceback."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = problems or []

    def format(self) -> str:
        if not self.problems:
            return f"error: {cut(self.message, MESSAGE_CHARS)}"
        lines = [p.format() for p in self.problems]
        lines.append(cut(self.message, MESSAGE_CHARS))
        return "\n".join(lines)


class ValueRefused(ValueError):
    """A value a parser refuses, with what it expects instead (shown as the problem's ``expected``)."""

    def __init__(self, message: str, expected: str) -> None:
        super().__init__(message)
        self.expected = expected


class SpecError(SlaforgeError):
    """The spec (or a file it refers to) is invalid; ``problems`` lists every issue."""


class ClauseError(SlaforgeError):
    """A clause file is malformed or cannot be rendered against the spec."""


class RenderError(SlaforgeError):
    """A renderer could not produce its output (e.g. a refused resource fetch)."""


class OutputError(SlaforgeError):
    """An output file cannot be written (its folder is a file, no permission, disk full...)."""


class InvalidArgument(SlaforgeError):
    """A command-line value that parses but names something invalid or missing: a clause, a category,
    a service, a data folder, a period outside the data, a value out of range (exit 1)."""


class UsageError(SlaforgeError):
    """The command line itself cannot be parsed or is inconsistent: an unknown option, a missing
    argument, a value outside a fixed set of choices, two options that exclude each other (exit 2)."""

    exit_code = 2


class InputError(SlaforgeError):
    """A file the user gave cannot be read as what it should be: missing, not a regular file, too large,
    not UTF-8, not valid YAML, or outside the folder it belongs to (:mod:`slaforge.inputs`)."""


class DataError(SlaforgeError):
    """Measured data (outage and ticket CSV files) is malformed; ``problems`` lists every bad row."""


# ------------------------------------------------------------------ collecting problems


def in_order(problems: Iterable[Problem]) -> list[Problem]:
    """By file, line, column and path: the order a reader goes through the input."""
    return sorted(problems, key=lambda p: (p.file or "", p.line or 0, p.column or 0, p.path or ""))


def summary(count: int, where: str = "found") -> str:
    """``3 problems found; nothing was written``: how every command sums up the problems that stopped it."""
    return f"{count} problem{'' if count == 1 else 's'} {where}; nothing was written"


def as_errors(problems: Iterable[Problem]) -> list[Problem]:
    """Warnings made errors (``--strict``)."""
    return [p if p.severity == "error" else replace(p, severity="error") for p in problems]


def merge_repeats(problems: Iterable[Problem], noun: str) -> list[Problem]:
    """One fault reported for several tiers or documents (``"tier gold: ..."``, ``"tier silver: ..."``)
    at the same place, once, naming each: ``"tiers gold, silver: ..."``.  Exact repeats go too."""
    tagged = re.compile(rf"^{re.escape(noun)} (\S+): (.*)$", re.DOTALL)
    groups: dict[tuple[object, ...], tuple[Problem, list[str]]] = {}
    for problem in problems:
        match = tagged.match(problem.message)
        name, message = (match[1], match[2]) if match else (None, problem.message)
        key = (problem.file, problem.line, problem.column, problem.path, message, problem.severity, name is None)
        names = groups.setdefault(key, (problem, []))[1]
        if name and name not in names:
            names.append(name)
    out = []
    for key, (problem, names) in groups.items():
        if len(names) > 1:
            problem = replace(problem, message=f"{noun}s {', '.join(names)}: {key[4]}")
        out.append(problem)
    return out


@dataclass
class Problems:
    """The problems one pass over the input finds: collected as they come, raised once at the end."""

    items: list[Problem] = field(default_factory=list)

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == "warning"]

    def exception(self, error: type[SlaforgeError] = SpecError, where: str = "found") -> SlaforgeError:
        """``error`` with every error collected, once each, in file and line order."""
        errors = list(dict.fromkeys(self.errors))
        return error(summary(len(errors), where), in_order(errors))

    def raise_errors(self, error: type[SlaforgeError] = SpecError, where: str = "found") -> None:
        """Raise :meth:`exception` when an error was collected."""
        if self.errors:
            raise self.exception(error, where)
