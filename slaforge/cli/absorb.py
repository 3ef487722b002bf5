"""``slaforge absorb``: what the other side changed in a returned DOCX, and --apply to take it into the spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import ClauseDirs, Json, ThemeDir

commands = typer.Typer()


@commands.command(cls=Command)
def absorb(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="The spec the DOCX was built from.", show_default=False)],
    returned: Annotated[
        Path,
        typer.Argument(metavar="RETURNED", help="The DOCX as the other side returned it.", show_default=False),
    ],
    apply: Annotated[
        bool,
        typer.Option(
            "--apply",
            help="Write the changed values into SPEC (comments and layout kept) and reworded clauses into "
            "override files in the spec's clause folder; all of them or, if the result does not compose, none.",
        ),
    ] = False,
    as_json: Json = False,
    theme_dir: ThemeDir = None,
    clause_dirs: ClauseDirs = None,
) -> None:
    """Read a returned DOCX: its tracked changes and comments by clause, and the spec values they change."""
    from slaforge.absorb import absorb as read_back
    from slaforge.absorb import report_json, report_text
    from slaforge.build import BuildOptions

    options = BuildOptions(theme_dir=theme_dir, clause_dirs=tuple(clause_dirs or ()))
    result = read_back(spec, returned, options, apply=apply)
    say(report_json(result) if as_json else report_text(result, theme_dir), nl=False)
