"""The command line: parse, call, print.  No logic lives here.

One module per command group, each a typer app: :mod:`build` (validate, build), :mod:`schema`
(schema, init), :mod:`clauses`, :mod:`calc`, :mod:`offers`, :mod:`report`, :mod:`diff`,
:mod:`export`, :mod:`explain`, :mod:`portal` (portal, serve), :mod:`resolve`, :mod:`review` (review,
bump), :mod:`absorb`; :mod:`options` holds the options they share and :mod:`exits` the one handler that turns a
failure into a message and an exit code (0 success, 1 invalid input or a failed build, 2 a command
line that cannot be parsed).  Heavy modules (WeasyPrint, python-docx, pydantic models) are imported
inside the commands so that ``slaforge --help`` stays fast.
"""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from slaforge import __version__
from slaforge.cli import (
    absorb,
    build,
    calc,
    clauses,
    diff,
    explain,
    export,
    offers,
    portal,
    report,
    resolve,
    review,
    schema,
)
from slaforge.cli.exits import DEBUG, Commands, say

app = typer.Typer(
    name="slaforge",
    cls=Commands,
    help="Service level agreements from a structured YAML spec and a reviewed clause library.",
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
app.add_typer(build.commands)
app.add_typer(schema.commands)
app.add_typer(clauses.app, name="clauses")
app.add_typer(calc.app, name="calc")
app.add_typer(offers.commands)
app.add_typer(export.app, name="export")
app.add_typer(report.commands)
app.add_typer(diff.commands)
app.add_typer(explain.commands)
app.add_typer(portal.commands)
app.add_typer(resolve.commands)
app.add_typer(review.commands)
app.add_typer(absorb.commands)


def _version(value: bool) -> None:
    if value:
        say(f"slaforge {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    debug: Annotated[
        bool, typer.Option("--debug", help="On an internal error, print its traceback (to report it).")
    ] = False,
) -> None:
    """Service level agreements from a structured YAML spec and a reviewed clause library."""
    if debug:
        ctx.meta[DEBUG] = True


def main() -> None:
    try:
        app()
    except SystemExit as ending:
        build = sys.modules.get("slaforge.portfolio.build")
        if build is not None and build.POOL_ABANDONED.is_set():  # workers ended mid-document (Ctrl-C, a crash)
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(ending.code if isinstance(ending.code, int) else 1)  # not join the pool's stuck manager thread
        raise


__all__ = ["app", "main"]
