"""The one place that turns a failure into a message and an exit code.

Every command raises what goes wrong as a :class:`~slaforge.errors.SlaforgeError`; the root command
group catches it, prints its message (every problem with file, line and field path) on standard
error and exits with the error's code, never with a traceback:

- 0: success;
- 1: the command line parses but names something invalid or missing: a spec or its content, a
  clause id, a category, a data folder, a service, a value out of range, a failed build;
- 2: the command line itself cannot be parsed or is inconsistent: an unknown option, a missing
  argument, a value outside a fixed set of choices (:class:`~slaforge.errors.UsageError`).
"""

from __future__ import annotations

from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from slaforge.errors import Problem, SlaforgeError


def fail(error: SlaforgeError) -> NoReturn:
    """Print ``error`` and leave with its exit code."""
    typer.echo(error.format(), err=True)
    raise typer.Exit(error.exit_code)


class Commands(TyperGroup):
    """The root command group: runs a command and maps what it raises to a message and an exit code."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except SlaforgeError as error:
            fail(error)


def warn(problems: list[Problem]) -> None:
    """Warnings (printed, not fatal) on standard error."""
    for problem in problems:
        typer.echo(problem.format(), err=True)


def wrote(paths: list[Any]) -> None:
    for path in paths:
        typer.echo(f"wrote {path}")
