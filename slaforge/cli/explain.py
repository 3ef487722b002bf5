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
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the value, where it was set and what it overrode as JSON.")
    ] = False,
) -> None:
    """Where a value comes from: the file, line and level that set it, and what it overrode.

    With --json: the document, and per value its path, named path, value (as the spec writes it), where
    (file:line:column) and level, the settings it overrode (newest first) and an agreed exception's reason.
    """
    from slaforge.portfolio.explain import explain as explain_value
    from slaforge.portfolio.explain import explanation_text

    explanation = explain_value(spec, path, document)
    if as_json:
        from slaforge.cli.exits import emit_json
        from slaforge.portfolio.explain import explanation_data

        emit_json(explanation_data(explanation))
    else:
        say(explanation_text(explanation))
