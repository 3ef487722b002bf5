"""``slaforge export openslo``: the agreement's objectives in formats monitoring tools read."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from slaforge.cli.options import Output

app = typer.Typer(help="The agreement's objectives in formats monitoring tools read.", no_args_is_help=True)


@app.command("openslo")
def export_openslo(
    spec: Annotated[Path, typer.Argument(help="The agreement's spec file.", show_default=False)],
    output: Output = None,
) -> None:
    """The agreement's objectives as OpenSLO v1 YAML: availability per service, attainment per severity."""
    from slaforge.export.openslo import openslo_yaml
    from slaforge.spec import load_spec

    text = openslo_yaml(load_spec(spec).spec)
    if output is None:
        typer.echo(text, nl=False)
    else:
        from slaforge.writers import write_atomic

        write_atomic(output, text.encode())
