"""User-facing failures.  Each carries the exit code the CLI returns for it.

Code that finds bad input raises one of these (or collects :class:`Problem`
records and raises :class:`SpecError` once, with all of them); the CLI prints
the message and exits with ``exit_code``, never a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


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
            head += f"{self.path}: "
        text = head + self.message
        details = []
        if self.given is not None:
            details.append(f"given: {self.given}")
        if self.expected is not None:
            details.append(f"expected: {self.expected}")
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
            "path": self.path,
            "message": self.message,
            "given": self.given,
            "expected": self.expected,
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
            return f"error: {self.message}"
        lines = [p.format() for p in self.problems]
        lines.append(self.message)
        return "\n".join(lines)


class SpecError(SlaforgeError):
    """The spec (or a file it refers to) is invalid; ``problems`` lists every issue."""


class ClauseError(SlaforgeError):
    """A clause file is malformed or cannot be rendered against the spec."""


class RenderError(SlaforgeError):
    """A renderer could not produce its output (e.g. a refused resource fetch)."""


class OutputError(SlaforgeError):
    """An output file cannot be written (its folder is a file, no permission, disk full...)."""


class UsageError(SlaforgeError):
    """The command line itself is wrong (unknown format, missing file...)."""

    exit_code = 2


class DataError(SlaforgeError):
    """Measured data (outage and ticket CSV files) is malformed; ``problems`` lists every bad row."""
