"""``slaforge explain``: where a value of a spec or of a portfolio's document comes from."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command

commands = typer.Typer()


@commands.command(cls=Command)
def explain(
    spec: Annotated[Path, typer.Argument(metavar="SPEC", help="A spec or a portfolio file.", show_default=False)],
    path: Annotated[str, typer.Argument(metavar="FIELD", help="Dotted path, e.g. services.email.availability.target")],
    document: Annotated[
        str | None, typer.Option("--document", metavar="ID", help="Portfolios: the document's id.")
    ] = None,
) -> None:
    """Where a value comes from: the file, line and level that set it, and what it overrode."""
    from slaforge.portfolio.explain import explain as explain_value
    from slaforge.portfolio.explain import explanation_text

    say(explanation_text(explain_value(spec, path, document)))
