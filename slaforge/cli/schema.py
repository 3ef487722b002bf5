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
    path: Annotated[Path, typer.Argument(metavar="FILE", help="Where to write the starter spec.")],
    kind: Annotated[str, typer.Option("--kind", metavar="KIND", help="service, customer or corporate")] = "service",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter spec that validates."""
    from slaforge.spec.starter import KINDS, starter_spec
    from slaforge.writers import write_atomic

    if kind not in KINDS:
        raise UsageError(f"--kind must be service, customer or corporate, not {kind!r}")
    if path.exists() and not force:
        raise InvalidArgument(f"{path} already exists (use --force to overwrite)")
    write_atomic(path, starter_spec(kind).encode())
    say(f"wrote {path}: edit it, then run 'slaforge validate {path}'")
