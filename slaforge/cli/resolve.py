"""``slaforge resolve``: what a document says, merged from every layer, with where each value was set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import DocumentId, Json, Output, Strict

commands = typer.Typer()


@commands.command(cls=Command)
def resolve(
    spec: Annotated[
        Path, typer.Argument(metavar="SPEC", help="A portfolio (with --document) or a spec file.", show_default=False)
    ],
    document: DocumentId = None,
    as_json: Json = False,
    output: Output = None,
    strict: Strict = False,
) -> None:
    """A document's merged spec: YAML with a comment naming the file, line and level of each value, or JSON."""
    from slaforge.portfolio.resolved import as_json as json_text
    from slaforge.portfolio.resolved import as_yaml, resolve_document

    resolved = resolve_document(spec, document, strict)
    text = json_text(resolved) if as_json else as_yaml(resolved)
    if output is None:
        say(text, nl=False)
    else:
        from slaforge.writers import write_atomic

        write_atomic(output, text.encode())
