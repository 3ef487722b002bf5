"""``slaforge schema`` and ``slaforge init``: the spec's schema and reference, and a starter spec."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.exits import say
from slaforge.cli.help import Command
from slaforge.cli.options import Output
from slaforge.errors import InvalidArgument, UsageError

commands = typer.Typer()


@commands.command(cls=Command)
def schema(
    output: Output = None,
    kind: Annotated[
        str,
        typer.Option(
            "--kind", metavar="KIND", help="Which file: spec, fragment, service-fragment, portfolio or offer."
        ),
    ] = "spec",
    markdown: Annotated[bool, typer.Option("--markdown", help="The spec reference in Markdown instead.")] = False,
) -> None:
    """Print the JSON Schema of a kind of file (a spec by default), for editors that check and complete YAML."""
    from slaforge.spec.schema import KINDS

    if kind not in KINDS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    if markdown:
        from slaforge.spec.reference import spec_reference

        text = spec_reference()
    else:
        from slaforge.spec.schema import text as schema_text

        text = schema_text(kind)
    if output is None:
        say(text, nl=False)
    else:
        from slaforge.writers import write_atomic

        write_atomic(output, text.encode())


@commands.command(cls=Command)
def init(
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the starter.")],
    kind: Annotated[
        str,
        typer.Option(
            "--kind",
            metavar="KIND",
            help="service, customer or corporate (a spec), portfolio (with the fragments it names), fragment or offer.",
        ),
    ] = "service",
    force: Annotated[bool, typer.Option("--force", help="Overwrite existing files.")] = False,
) -> None:
    """Write a commented starter that validates, and beside it (in schemas/) the JSON Schema its modeline names."""
    from slaforge.spec.starter import KINDS, starter_files
    from slaforge.writers import write_all

    if kind not in KINDS:
        raise UsageError(f"--kind must be one of {', '.join(KINDS)}, not {kind!r}")
    files = starter_files(kind, path)
    # a schema already there as init would write it is left as it is; any other file is the user's work
    taken = [f for f, text in files.items() if f.exists() and not (f.suffix == ".json" and _holds(f, text))]
    if taken and not force:
        names = ", ".join(str(f) for f in taken)
        raise InvalidArgument(f"{names} already exist{'s' if len(taken) == 1 else ''} (use --force to overwrite)")
    write_all({file: text.encode() for file, text in files.items()})  # all of them or none
    for file in files:
        say(f"wrote {file}")
    say(f"edit {path}, then run 'slaforge validate {path}'" if kind != "fragment" else
        f"name {path} in a portfolio's documents, then run 'slaforge validate' on the portfolio")  # fmt: skip


def _holds(file: Path, text: str) -> bool:
    try:
        return file.read_text(encoding="utf-8") == text
    except (OSError, UnicodeDecodeError):
        return False
