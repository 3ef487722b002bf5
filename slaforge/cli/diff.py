"""``slaforge diff``: what changed between two versions, as a change list or a redline."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import ClauseDirs, DocumentId, PdfEngine, Strict, ThemeDir, pdf_engine_of
from slaforge.errors import InvalidArgument

commands = typer.Typer()


@commands.command(cls=Command)
def diff(
    old: Annotated[
        str,
        typer.Argument(
            metavar="OLD", help="Old version: a spec or portfolio file, or REV:path (e.g. v2.1:samples/x.yaml)."
        ),
    ],
    new: Annotated[str, typer.Argument(metavar="NEW", help="New version: a spec or portfolio file, or REV:path.")],
    fmt: Annotated[
        str, typer.Option("--format", metavar="FORMAT", help="text, md, json, or a redline: html, pdf, docx")
    ] = "text",
    output: Annotated[
        str | None,
        typer.Option("-o", "--output", metavar="FILE", help="Write to this file, or into this folder (a trailing /)."),
    ] = None,
    theme_dir: ThemeDir = None,
    clause_dirs: ClauseDirs = None,
    pdf_engine: PdfEngine = "weasyprint",
    document: DocumentId = None,
    strict: Strict = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            metavar="NAME",
            help="Whose changes the redline's tracked changes are (default: the document owner).",
        ),
    ] = None,
    internal: Annotated[
        bool,
        typer.Option(
            "--internal",
            help="The redline's summary also says whether each change is better or worse for the Customer "
            "(for the provider's own eyes: never send it to the other side).",
        ),
    ] = False,
) -> None:
    """Compare two versions of an agreement: changed values and clauses, or a redline."""
    from slaforge.diff.build import DiffOptions, check_format, run_diff

    folder = output is not None and output.endswith(("/", os.sep))
    target = Path(output) if output else None
    chosen = check_format(fmt)
    engine = pdf_engine_of(pdf_engine, (chosen,))
    if author is not None and not author.strip():
        raise InvalidArgument("--author: given an empty name, expected the name of the person who made the changes")
    reviser = author.strip() if author else None
    options = DiffOptions(
        chosen, target, theme_dir, tuple(clause_dirs or ()), strict, folder, engine, document, reviser, internal
    )
    data, written = run_diff(old, new, options)
    if not written:  # a change list, or a portfolio in which no document changed
        say(data.decode("utf-8"), nl=False)
    for path in written:
        say(f"wrote {path}")
