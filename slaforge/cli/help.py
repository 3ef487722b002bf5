"""How a command's help reads: words a user knows, never a Python type.

Typer prints each argument with its annotation (``SPEC <list[Path]>``) and each option without a
metavar with its type (``--out <path>``).  Every command uses :class:`Command`, which lists an
argument by its metavar alone; every option that takes a value names it with a metavar
(``--out FOLDER``), which ``tests/test_cli_conventions.py`` checks for every command.
"""

from __future__ import annotations

from typing import Any

from typer.core import TyperCommand


class Command(TyperCommand):
    """A command whose help lists arguments by their metavar (``SPEC...``), not their Python type."""

    def format_options(self, ctx: Any, formatter: Any) -> None:
        arguments, options = [], []
        for param in self.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is None:
                continue
            if param.param_type_name == "argument":
                name = param.metavar or param.name.upper()
                arguments.append((f"{name}..." if param.nargs != 1 and not name.endswith("...") else name, record[1]))
            else:
                options.append(record)
        if arguments:
            with formatter.section("Arguments"):
                formatter.write_dl(arguments)
        if options:
            with formatter.section("Options"):
                formatter.write_dl(options)
